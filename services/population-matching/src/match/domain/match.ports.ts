import type { RegistryQuery, RegistryRecord, LookupPurpose } from './matching/registry-record';
import type { VerificationRequest } from './verification-request';

/** The registry's answer to one query of a batch: the records found (none when the number is unknown). */
export interface RegistryAnswer {
  requestId: string;
  records: RegistryRecord[];
}

/** The National Population Database (port; implemented over HTTP by infrastructure/registry). */
export abstract class PopulationRegistry {
  /** The most queries one batch request may carry. */
  abstract readonly maxBatch: number;
  /** One request carrying `queries` (a batch of one is a single lookup). */
  abstract lookup(queries: readonly RegistryQuery[], purpose: LookupPurpose): Promise<RegistryAnswer[]>;
}

/** The registry refused for now (429): try again after `retryAfterMs`. */
export class RegistryThrottledError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`population registry throttled the request; retry after ${retryAfterMs} ms`);
    this.name = 'RegistryThrottledError';
  }
}

/** The registry cannot be reached or failed (timeout, connection refused or reset, 5xx). */
export class RegistryUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryUnavailableError';
  }
}

/** One lookup as the audit log keeps it: who asked, why, when, for how many persons, and what happened. */
export interface LookupLogEntry {
  purpose: string;
  caller: string;
  at: string;
  durationMs: number;
  persons: number;
  /** Masked numbers looked up. */
  maskedIds: string[];
  outcome: 'ANSWERED' | 'THROTTLED' | 'UNAVAILABLE' | 'REJECTED';
}

export abstract class LookupLog {
  abstract record(entry: LookupLogEntry): Promise<void>;
}

/** Where verification requests live. Every write is one conditional single-document update. */
export abstract class VerificationRequests {
  /** Stores the request unless one exists for the dossier; returns whether it was new. */
  abstract createIfAbsent(request: VerificationRequest): Promise<boolean>;
  abstract find(dossierCode: string): Promise<VerificationRequest | null>;
  /** Starts a new round for a later intake event (sequence above the last applied); returns whether it did. */
  abstract startRound(dossierCode: string, sequence: number, causationId: string): Promise<boolean>;
  /** Marks the round identity pending (registry down) unless it completed meanwhile. */
  abstract markPending(dossierCode: string, round: number, since: Date): Promise<void>;
  /**
   * Replaces the request by `next` if its version is still `expectedVersion`, appending `outbox` entries in the same
   * update; returns whether it did.
   */
  abstract save(next: VerificationRequest, expectedVersion: number, outbox: readonly unknown[]): Promise<boolean>;
  /** Persons awaiting an officer, oldest first. */
  abstract needingReview(limit: number): Promise<VerificationRequest[]>;
}

/** Queues a round's registry lookup (port; BullMQ in infrastructure/queue). */
export abstract class LookupScheduler {
  abstract schedule(dossierCode: string, round: number): Promise<void>;
}

/** Publishes a request's pending match events (port; the outbox relay). */
export abstract class MatchEventsRelay {
  abstract relay(dossierCode: string): Promise<number>;
}

/** Whether the registry is currently considered down (the circuit breaker is not closed): degraded mode. */
export abstract class RegistryHealth {
  abstract degraded(): boolean;
}
