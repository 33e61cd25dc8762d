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
  /**
   * The documents handed in: catalogue kind and, when a file was uploaded (`PUT /v1/files/{sha256}`), its reference
   * and file name (the name stays at intake; the LRO gets the reference).
   */
  documents: { kind: string; fileName?: string; mediaType?: string; sizeBytes?: number; sha256?: string }[];
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
      ...(d.sha256 && d.mediaType && d.sizeBytes
        ? { mediaType: d.mediaType, sizeBytes: d.sizeBytes, sha256: d.sha256 }
        : {}),
    }));
    const files = command.documents.flatMap(({ kind, fileName, mediaType, sizeBytes, sha256 }) =>
      fileName && mediaType && sizeBytes && sha256 ? [{ kind, fileName, mediaType, sizeBytes, sha256 }] : [],
    );
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
        return answerSupplement(dossier, documents, receivedAt, scope.clientId, command.note, files);
      },
      { missing: 'not-found' },
    );
    return stored!;
  }
}
