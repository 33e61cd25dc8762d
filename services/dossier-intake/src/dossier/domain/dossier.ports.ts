import type { Dossier, HistoryEntry } from './dossier';

/** A stored dossier with the idempotency facts of the request that created it. */
export interface StoredSubmission {
  dossier: Dossier;
  /** SHA-256 of the canonical request body. */
  requestHash: string;
}

/** Persistence port for dossiers. Implementations return plain objects. */
export abstract class DossierRepository {
  /** The dossier created by `clientId` with `idempotencyKey`, if any. */
  abstract findByIdempotencyKey(clientId: string, idempotencyKey: string): Promise<StoredSubmission | null>;
  /** Stores a new dossier and its pending events in one write. Throws DuplicateSubmissionError on a unique clash. */
  abstract insert(
    dossier: Dossier,
    idempotencyKey: string,
    requestHash: string,
    outbox: readonly unknown[],
  ): Promise<void>;
  abstract findByCode(dossierCode: string): Promise<Dossier | null>;
  /**
   * Applies an LRO case event once: appends `entry` and moves `caseSequence` to `sequence` only if it is newer.
   * Returns false for a duplicate or stale event (nothing changed).
   */
  abstract applyCaseEvent(dossierCode: string, sequence: number, entry: HistoryEntry): Promise<boolean>;
}

/** Issues the next daily number for an agency; atomic under concurrency. */
export abstract class DossierCodeCounter {
  abstract next(agencyId: string, day: string): Promise<number>;
}

/** Another dossier already holds this idempotency key or external reference. */
export class DuplicateSubmissionError extends Error {
  constructor(readonly conflict: 'idempotencyKey' | 'externalReference' | 'dossierCode') {
    super(`duplicate ${conflict}`);
    this.name = 'DuplicateSubmissionError';
  }
}
