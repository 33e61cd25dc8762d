import { Injectable } from '@nestjs/common';
import type { DossierSubmission } from '../../domain/dossier';
import {
  SubmitDossierCommand,
  type AttachedFile,
  type SubmitDossierResult,
} from '../submit-dossier/submit-dossier.command';
import { SubmitDossierHandler } from '../submit-dossier/submit-dossier.handler';

export interface ReceiveTiepNhanCommand {
  clientId: string;
  submission: DossierSubmission;
  dossierCode?: string;
  /** The one-stop receipt number: re-sending the same receipt is idempotent. */
  receipt: string;
  /** The payload's attachments (decoded from base64 while they stream into the store). */
  files: readonly AttachedFile[];
}

/**
 * A dossier from the VBDLIS compatibility payload: submitted like a canonical one, idempotent on the receipt
 * number, with its attachments. The submission stores the files after validation and before the dossier (ADR 0007),
 * so refused input stores no dossier, a document store that is down answers 503 with nothing stored, and a stored
 * dossier always has its files; a re-sent payload of an accepted dossier is answered from the first one.
 */
@Injectable()
export class ReceiveTiepNhanHandler {
  constructor(private readonly submit: SubmitDossierHandler) {}

  execute(command: ReceiveTiepNhanCommand): Promise<{ result: SubmitDossierResult; replayed: boolean }> {
    return this.submit.execute(
      new SubmitDossierCommand(command.clientId, `vbdlis-tiepnhan|${command.receipt}`, command.submission, {
        dossierCode: command.dossierCode,
        partiesComplete: false,
        files: command.files,
      }),
    );
  }
}
