import { Inject, Injectable } from '@nestjs/common';
import { newId } from '@lienthong/kernel';
import { isDuplicateKeyError, outboxMarkUpdate, withoutOutboxFields } from '@lienthong/persistence';
import { MONGO_CONNECTION } from '@lienthong/runtime';
import type { Connection, mongo } from 'mongoose';
import { LookupLog, type LookupLogEntry, VerificationRequests } from '../../domain/match.ports';
import { type VerificationRequest, VerificationState } from '../../domain/verification-request';

// Collections, keyed by `_id` (the one index FerretDB v1 uses for lookups; ADR 0004):
//   verification_requests  _id = dossier code; the request, its verdicts and its pending match events (`outbox`)
//   registry_lookups       _id = UUIDv7; the audit log of registry lookups (purpose, caller, time, masked numbers)
type RequestDocument = VerificationRequest & { _id: string; outbox: unknown[] };

function toRequest(doc: RequestDocument): VerificationRequest {
  const { _id: _code, ...request } = withoutOutboxFields(doc);
  return request;
}

@Injectable()
export class MongoVerificationRequestRepository extends VerificationRequests {
  /** The requests collection; the outbox relay reads and trims pending events there. */
  readonly requests: mongo.Collection<RequestDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    super();
    this.requests = connection.db!.collection<RequestDocument>('verification_requests');
  }

  override async createIfAbsent(request: VerificationRequest): Promise<boolean> {
    try {
      await this.requests.insertOne({ _id: request.dossierCode, ...request, outbox: [] });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  override async find(dossierCode: string): Promise<VerificationRequest | null> {
    const doc = await this.requests.findOne({ _id: dossierCode });
    return doc ? toRequest(doc) : null;
  }

  override async startRound(dossierCode: string, sequence: number, causationId: string): Promise<boolean> {
    const result = await this.requests.updateOne(
      { _id: dossierCode, intakeSequence: { $lt: sequence } },
      {
        $set: { intakeSequence: sequence, round: sequence, state: VerificationState.AwaitingRegistry, causationId },
      },
    );
    return result.modifiedCount === 1;
  }

  override async markPending(dossierCode: string, round: number, since: Date): Promise<void> {
    await this.requests.updateOne(
      { _id: dossierCode, round, state: VerificationState.AwaitingRegistry },
      { $set: { state: VerificationState.IdentityPending, pendingSince: since.toISOString() } },
    );
  }

  override async save(
    next: VerificationRequest,
    expectedVersion: number,
    outbox: readonly unknown[],
  ): Promise<boolean> {
    const set: Partial<VerificationRequest> = {
      state: next.state,
      persons: next.persons,
      version: next.version,
      ...(next.completedRound !== undefined ? { completedRound: next.completedRound } : {}),
      ...(next.completedAt !== undefined ? { completedAt: next.completedAt } : {}),
    };
    const update = {
      $set: set,
      ...(next.pendingSince === undefined ? { $unset: { pendingSince: '' } } : {}),
      ...(outbox.length > 0 ? { $push: { outbox: { $each: [...outbox] } }, ...outboxMarkUpdate(outbox) } : {}),
    } as unknown as mongo.UpdateFilter<RequestDocument>;
    const result = await this.requests.updateOne(
      { _id: next.dossierCode, version: expectedVersion, round: next.round },
      update,
    );
    return result.modifiedCount === 1;
  }

  override async needingReview(limit: number): Promise<VerificationRequest[]> {
    // A scan (not an `_id` lookup): the review queue is an officer's screen, read rarely and kept short.
    const docs = await this.requests
      .find({ state: VerificationState.Completed, 'persons.result.verdict': 'NEEDS_REVIEW' })
      .limit(limit)
      .toArray();
    return docs.map(toRequest).sort((a, b) => (a.completedAt ?? '').localeCompare(b.completedAt ?? ''));
  }
}

/** The lookup audit log: one inserted document per registry request, never updated. */
@Injectable()
export class MongoLookupLog extends LookupLog {
  private readonly entries: mongo.Collection<LookupLogEntry & { _id: string }>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    super();
    this.entries = connection.db!.collection<LookupLogEntry & { _id: string }>('registry_lookups');
  }

  override async record(entry: LookupLogEntry): Promise<void> {
    await this.entries.insertOne({ _id: newId(), ...entry });
  }

  /** The lookups made for one purpose (a dossier code), oldest first. */
  async forPurpose(purpose: string, limit = 100): Promise<LookupLogEntry[]> {
    const docs = await this.entries.find({ purpose }).limit(limit).toArray();
    return docs.map(({ _id: _id, ...entry }) => entry).sort((a, b) => a.at.localeCompare(b.at));
  }
}
