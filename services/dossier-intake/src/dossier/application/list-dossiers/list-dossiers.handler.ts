import { Injectable } from '@nestjs/common';
import { Clock, NotFoundError } from '@lienthong/kernel';
import type { Dossier, DossierStatus } from '../../domain/dossier';
import { DossierRepository } from '../../domain/dossier.ports';
import type { CallerScope } from '../get-dossier/get-dossier.handler';

export interface ListDossiersQuery {
  communeCode?: string;
  status?: DossierStatus;
  procedureCode?: string;
  receivedFrom?: Date;
  receivedTo?: Date;
  overdue?: boolean;
  /** Opaque cursor from the previous page's `next`. */
  cursor?: string;
  limit: number;
}

/** The cursor is the last dossier code of the page, base64url-encoded so clients treat it as opaque. */
export function encodeCursor(dossierCode: string): string {
  return Buffer.from(dossierCode, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string | undefined {
  const code = Buffer.from(cursor, 'base64url').toString('utf8');
  return /^[0-9A-Za-z._-]{1,64}$/.test(code) ? code : undefined;
}

/** Lists the dossiers of the caller's communes (or one of them), page by page in dossier-code order. */
@Injectable()
export class ListDossiersHandler {
  constructor(
    private readonly dossiers: DossierRepository,
    private readonly clock: Clock,
  ) {}

  async execute(query: ListDossiersQuery, scope: CallerScope): Promise<{ items: Dossier[]; next?: string }> {
    // Asking for another commune is answered like asking for one that does not exist.
    if (query.communeCode && !scope.communes.includes(query.communeCode)) {
      throw new NotFoundError(`Commune ${query.communeCode} was not found.`);
    }
    const page = await this.dossiers.list({
      communes: query.communeCode ? [query.communeCode] : scope.communes,
      status: query.status,
      procedureCode: query.procedureCode,
      receivedFrom: query.receivedFrom,
      receivedTo: query.receivedTo,
      overdue: query.overdue,
      now: this.clock.now(),
      after: query.cursor,
      limit: query.limit,
    });
    return page.next ? { items: page.items, next: encodeCursor(page.next) } : { items: page.items };
  }
}
