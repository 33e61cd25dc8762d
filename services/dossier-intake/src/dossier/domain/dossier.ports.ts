import type { Dossier, ExternalReference, HistoryEntry } from './dossier';

/**
 * The first request with an idempotency key reserves the dossier code it creates, so a retry, even one that follows
 * a crash half-way, finds the same dossier or completes it under the same code.
 */
export interface SubmissionReservation {
  clientId: string;
  idempotencyKey: string;
  /** SHA-256 of the canonical request body. */
  requestHash: string;
  dossierCode: string;
}

/**
 * Persistence port for dossiers. Every lookup is by a unique key stored as the document id, the one access path
 * that is indexed on every MongoDB-wire database this runs on. Implementations return plain objects.
 */
export abstract class DossierRepository {
  abstract findReservation(clientId: string, idempotencyKey: string): Promise<SubmissionReservation | null>;
  /** Records the reservation; false when the key is already reserved (by a concurrent request). */
  abstract reserve(reservation: SubmissionReservation): Promise<boolean>;
  /**
   * Claims the intake system's own reference for the request with `idempotencyKey`; returns the idempotency key
   * that holds it (this one, or the earlier request's).
   */
  abstract claimExternalReference(
    clientId: string,
    reference: ExternalReference,
    idempotencyKey: string,
  ): Promise<string>;
  /** Stores a new dossier and its pending events in one write; false when it exists already. */
  abstract insert(dossier: Dossier, outbox: readonly unknown[]): Promise<boolean>;
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
