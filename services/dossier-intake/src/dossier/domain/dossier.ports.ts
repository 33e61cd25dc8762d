import type { Dossier, DossierStatus, ExternalReference } from './dossier';

/**
 * The first request with an idempotency key reserves it, then the dossier code it creates, so that concurrent
 * retries wait for that one request instead of each taking a number, and a retry that follows a crash half-way
 * finds the same dossier or completes it under the same code.
 */
export interface SubmissionReservation {
  clientId: string;
  idempotencyKey: string;
  /** SHA-256 of the canonical request body. */
  requestHash: string;
  /** Set once the first request has its number; absent while it is being issued. */
  dossierCode?: string;
  /** When the key was reserved (set by the store). */
  reservedAt?: Date;
}

/**
 * Persistence port for dossiers. Every lookup is by a unique key stored as the document id, the one access path
 * that is indexed on every MongoDB-wire database this runs on. Implementations return plain objects.
 */
export abstract class DossierRepository {
  abstract findReservation(clientId: string, idempotencyKey: string): Promise<SubmissionReservation | null>;
  /** Records the reservation; false when the key is already reserved (by a concurrent request). */
  abstract reserve(reservation: SubmissionReservation): Promise<boolean>;
  /** Sets the reservation's dossier code unless it has one; returns the code it holds afterwards. */
  abstract assignCode(clientId: string, idempotencyKey: string, dossierCode: string): Promise<string>;
  /**
   * Claims the intake system's own reference for the request with `idempotencyKey`; returns the idempotency key
   * that holds it (this one, or the earlier request's).
   */
  abstract claimExternalReference(
    clientId: string,
    reference: ExternalReference,
    idempotencyKey: string,
  ): Promise<string>;
  /**
   * Stores many new dossiers (the backlog import), each once, each with its pending events of `outboxes` (by dossier
   * code; none when absent) in the same document: returns the codes stored and the codes that were present already
   * (their events are not stored again). Not atomic across dossiers; each dossier is one document.
   */
  abstract insertMany(
    dossiers: readonly Dossier[],
    outboxes?: ReadonlyMap<string, readonly unknown[]>,
  ): Promise<{ inserted: string[]; present: string[] }>;
  /** Stores a new dossier and its pending events in one write; false when it exists already. */
  abstract insert(dossier: Dossier, outbox: readonly unknown[]): Promise<boolean>;
  abstract findByCode(dossierCode: string): Promise<Dossier | null>;
  /**
   * Stores a changed dossier and appends its new pending events in one write, only if the stored version is still
   * `expectedVersion` (optimistic concurrency); false when someone else changed it first (read again and retry).
   */
  abstract save(dossier: Dossier, expectedVersion: number, outbox: readonly unknown[]): Promise<boolean>;
  /** One page of dossiers matching `query`, ordered by dossier code; `next` is the cursor of the following page. */
  abstract list(query: DossierQuery): Promise<{ items: Dossier[]; next?: string }>;
}

/**
 * Issues the next daily number for an agency; atomic under concurrency. Numbers the intake systems issued
 * themselves (claimed) are skipped, so the day's numbers, issued and claimed together, stay gap-free.
 */
export abstract class DossierCodeCounter {
  /** The next number of the day that is neither issued nor claimed. */
  abstract next(agencyId: string, day: string): Promise<number>;
  /**
   * Records `sequence` as issued by an intake system, so `next` never hands it out; false when the counter has
   * already handed it out (the code is taken). Claiming a number claimed before is true (a retry).
   */
  abstract claim(agencyId: string, day: string, sequence: number): Promise<boolean>;
  /** Moves the day's counter to at least `sequence` (imported codes), so new numbers never collide with them. */
  abstract atLeast(agencyId: string, day: string, sequence: number): Promise<void>;
}

/** Filters of the dossier list; `communes` is the caller's scope (always applied). */
export interface DossierQuery {
  communes: readonly string[];
  status?: DossierStatus;
  procedureCode?: string;
  /** Received at or after / before this instant. */
  receivedFrom?: Date;
  receivedTo?: Date;
  /** Only dossiers past their due date and still being worked on (true), or only the others (false), at `now`. */
  overdue?: boolean;
  now: Date;
  /** Dossier code after which the page starts. */
  after?: string;
  limit: number;
}
