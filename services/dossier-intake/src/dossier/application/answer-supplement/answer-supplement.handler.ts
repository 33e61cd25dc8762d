import { Injectable } from '@nestjs/common';
import { Clock, ConflictError, ValidationError } from '@lienthong/kernel';
import type { Dossier } from '../../domain/dossier';
import { answerSupplement } from '../../domain/dossier-lifecycle';
import { DossierChanges } from '../change-dossier/dossier-changes';
import { inScope, notFound, type CallerScope } from '../get-dossier/get-dossier.handler';
import { StatutorySchedule } from '../statutory-schedule';

export interface AnswerSupplementCommand {
  dossierCode: string;
  /** The request being answered; when given it must be the open one. */
  supplementRequestNumber?: number;
  /** Catalogue kinds of the documents handed in. */
  documents: { kind: string }[];
  note?: string;
}

/** The front desk hands in the documents of the LRO's open supplement request. */
@Injectable()
export class AnswerSupplementHandler {
  constructor(
    private readonly changes: DossierChanges,
    private readonly schedule: StatutorySchedule,
    private readonly clock: Clock,
  ) {}

  async execute(command: AnswerSupplementCommand, scope: CallerScope): Promise<Dossier> {
    const documents = command.documents.map((d) => ({
      componentCode: d.kind,
      name: this.schedule.documentKindName(d.kind) ?? '',
    }));
    const unknown = documents.flatMap((d, i) =>
      d.name
        ? []
        : [
            {
              field: `documents[${i}].kind`,
              code: 'UNKNOWN_DOCUMENT_KIND',
              message: `${d.componentCode} is not a document kind of the catalogue`,
            },
          ],
    );
    if (unknown.length > 0) throw new ValidationError('The supplement has unknown document kinds.', unknown);
    const receivedAt = this.clock.now().toISOString();
    const stored = await this.changes.apply(
      command.dossierCode,
      (dossier) => {
        if (!inScope(dossier, scope)) throw notFound(command.dossierCode);
        const open = dossier.supplementRequest?.number;
        if (command.supplementRequestNumber !== undefined && open !== command.supplementRequestNumber) {
          throw new ConflictError(
            `Supplement request ${command.supplementRequestNumber} is not the open request of dossier ${command.dossierCode}.`,
          );
        }
        return answerSupplement(dossier, documents, receivedAt, scope.clientId, command.note);
      },
      { missing: 'not-found' },
    );
    return stored!;
  }
}
