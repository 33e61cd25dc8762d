import type { DocumentReference, DossierSubmission } from '../../domain/dossier';

/** A document of a submission: its metadata, and where to fetch it when the intake system gives a URL. */
export type SubmittedDocument = DocumentReference & {
  /** Fetched during the request (allow-listed hosts only), checked, stored by SHA-256; not kept with the dossier. */
  url?: string;
};

/**
 * A file that arrived with the submission itself (a VBDLIS base64 attachment): its address and a way to stream its
 * bytes, which may be called more than once (each call starts from the first byte).
 */
export interface AttachedFile {
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  open(): NodeJS.ReadableStream;
}

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
      /** Bytes of documents that came with the request; stored (after validation) before the dossier is. */
      files?: readonly AttachedFile[];
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
