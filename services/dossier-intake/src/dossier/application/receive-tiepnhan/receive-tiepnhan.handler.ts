import { Injectable, Optional } from '@nestjs/common';
import { DocumentLimits } from '../document-limits';
import type { DossierSubmission } from '../../domain/dossier';
import { FileStore } from '@lienthong/file-store';
import { SubmitDossierCommand, type SubmitDossierResult } from '../submit-dossier/submit-dossier.command';
import { SubmitDossierHandler } from '../submit-dossier/submit-dossier.handler';

export interface ReceiveTiepNhanCommand {
  clientId: string;
  submission: DossierSubmission;
  dossierCode?: string;
  /** The one-stop receipt number: re-sending the same receipt is idempotent. */
  receipt: string;
  files: { sha256: string; bytes: Buffer }[];
}

/**
 * A dossier from the VBDLIS compatibility payload: submitted like a canonical one, idempotent on the receipt
 * number, then its files stored by hash. The files are written after the dossier is accepted, so refused input
 * stores nothing; a re-sent payload writes them again (a no-op for files already there), which also completes a
 * first attempt that stopped between the two.
 */
@Injectable()
export class ReceiveTiepNhanHandler {
  constructor(
    private readonly submit: SubmitDossierHandler,
    private readonly files: FileStore,
    @Optional() private readonly limits: DocumentLimits = new DocumentLimits(),
  ) {}

  async execute(command: ReceiveTiepNhanCommand): Promise<{ result: SubmitDossierResult; replayed: boolean }> {
    const outcome = await this.submit.execute(
      new SubmitDossierCommand(command.clientId, `vbdlis-tiepnhan|${command.receipt}`, command.submission, {
        dossierCode: command.dossierCode,
        partiesComplete: false,
      }),
    );
    for (const file of command.files) {
      await this.files.put(file.sha256, file.bytes, { maxBytes: this.limits.maxFileBytes });
    }
    return outcome;
  }
}
