import type { DocumentReference, DossierSubmission } from '../../domain/dossier';

/** A document of a submission: its metadata, and where to fetch it when the intake system gives a URL. */
export type SubmittedDocument = DocumentReference & {
  /** Fetched during the request (allow-listed hosts only), checked, stored by SHA-256; not kept with the dossier. */
  url?: string;
};

/** Submit a dossier on behalf of an intake system, exactly once per idempotency key. */
export class SubmitDossierCommand {
  constructor(
    readonly clientId: string,
    readonly idempotencyKey: string,
    readonly submission: Omit<DossierSubmission, 'documents'> & { documents?: SubmittedDocument[] },
    readonly options: {
      /** The national dossier code the intake system already issued (its receipt number); checked, then kept. */
      dossierCode?: string;
      /** False when the intake system sends only the submitter (the compatibility payload): no party-role check. */
      partiesComplete?: boolean;
    } = {},
  ) {}
}

/** What the front desk gets back at once. */
export interface SubmitDossierResult {
  dossierCode: string;
  status: string;
  portalStatusCode: number;
  receivedAt: string;
  /** Legal due date (ngày hẹn trả), RFC 3339 with +07:00. */
  dueAt: string;
  timeLimit: { unit: string; amount?: number; cutoff?: string };
  links: { self: string };
}
