import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@lienthong/kernel';
import { tagActiveSpan } from '@lienthong/observability';
import type { Dossier } from '../../domain/dossier';
import { DossierRepository } from '../../domain/dossier.ports';

/** The communes a caller may act for, from its verified token (the only source of tenant scope). */
export interface CallerScope {
  clientId: string;
  communes: readonly string[];
}

/** Another commune's dossier is reported as absent, exactly like one that does not exist. */
export function inScope(dossier: Dossier | null, scope: CallerScope): dossier is Dossier {
  return dossier !== null && scope.communes.includes(dossier.receivingUnitCode);
}

export function notFound(dossierCode: string): NotFoundError {
  return new NotFoundError(`Dossier ${dossierCode} was not found.`);
}

/** Reads one dossier by its code, within the caller's communes. */
@Injectable()
export class GetDossierHandler {
  constructor(private readonly dossiers: DossierRepository) {}

  async execute(dossierCode: string, scope: CallerScope): Promise<Dossier> {
    tagActiveSpan({ dossierCode });
    const dossier = await this.dossiers.findByCode(dossierCode);
    if (!inScope(dossier, scope)) throw notFound(dossierCode);
    return dossier;
  }
}
