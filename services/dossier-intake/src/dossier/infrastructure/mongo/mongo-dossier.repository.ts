import { Inject, Injectable } from '@nestjs/common';
import { isDuplicateKeyError, outboxInsertFields, outboxMarkUpdate, withoutOutboxFields } from '@lienthong/persistence';
import { MONGO_CONNECTION } from '@lienthong/runtime';
import type { Connection, mongo } from 'mongoose';
import { activeStatuses, type Dossier, type ExternalReference } from '../../domain/dossier';
import {
  DossierCodeCounter,
  DossierRepository,
  type DossierQuery,
  type SubmissionReservation,
} from '../../domain/dossier.ports';

// Collections, each keyed by `_id`: the one index FerretDB v1 uses for lookups (other filters scan the collection),
// and the cheapest on MongoDB too. Each write touches one document, so no step needs a transaction.
//   dossiers             _id = dossier code; the dossier, its history and its pending events (`outbox`), plus
//                        `receivedInstant` and `dueInstant` (UTC, so the list's date filters compare as text)
//   submission_keys      _id = clientId|idempotencyKey; the reservation of a dossier code by the first request
//   external_references  _id = clientId|system|id; which request holds an intake system's own reference
type DossierDocument = Dossier & { _id: string; outbox: unknown[]; receivedInstant?: string; dueInstant?: string };
type ReservationDocument = SubmissionReservation & { _id: string; at: Date };
type ReferenceDocument = { _id: string; idempotencyKey: string; at: Date };

function toDossier(doc: DossierDocument): Dossier {
  const { _id: _code, receivedInstant: _r, dueInstant: _d, ...dossier } = withoutOutboxFields(doc);
  // Dossiers stored before these fields existed read as having none yet.
  return {
    ...dossier,
    matchSequence: dossier.matchSequence ?? 0,
    pausedIntervals: dossier.pausedIntervals ?? [],
    answeredSupplementRequests: dossier.answeredSupplementRequests ?? [],
  };
}

/** Instants as UTC text, which sorts and compares in time order whatever offset the client used. */
function instants(dossier: Dossier): { receivedInstant: string; dueInstant: string } {
  return {
    receivedInstant: new Date(dossier.receivedAt).toISOString(),
    dueInstant: new Date(dossier.dueAt).toISOString(),
  };
}

@Injectable()
export class MongoDossierRepository extends DossierRepository {
  /** The dossiers collection; the outbox relay reads and trims pending events there. */
  readonly dossiers: mongo.Collection<DossierDocument>;
  private readonly reservations: mongo.Collection<ReservationDocument>;
  private readonly references: mongo.Collection<ReferenceDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    super();
    this.dossiers = connection.db!.collection<DossierDocument>('dossiers');
    this.reservations = connection.db!.collection<ReservationDocument>('submission_keys');
    this.references = connection.db!.collection<ReferenceDocument>('external_references');
  }

  override async findReservation(clientId: string, idempotencyKey: string): Promise<SubmissionReservation | null> {
    const doc = await this.reservations.findOne({ _id: `${clientId}|${idempotencyKey}` });
    if (!doc) return null;
    const { _id: _key, at, ...reservation } = doc;
    return { ...reservation, reservedAt: at };
  }

  override async reserve(reservation: SubmissionReservation): Promise<boolean> {
    const _id = `${reservation.clientId}|${reservation.idempotencyKey}`;
    const { reservedAt: _at, ...fields } = reservation;
    return this.insertUnlessPresent(this.reservations, { _id, ...fields, at: new Date() });
  }

  override async assignCode(clientId: string, idempotencyKey: string, dossierCode: string): Promise<string> {
    const _id = `${clientId}|${idempotencyKey}`;
    // `dossierCode: null` also matches a missing field, on FerretDB too.
    await this.reservations.updateOne({ _id, dossierCode: null as never }, { $set: { dossierCode } });
    return (await this.reservations.findOne({ _id }))?.dossierCode ?? dossierCode;
  }

  override async claimExternalReference(
    clientId: string,
    reference: ExternalReference,
    idempotencyKey: string,
  ): Promise<string> {
    const _id = `${clientId}|${reference.system}|${reference.id}`;
    if (await this.insertUnlessPresent(this.references, { _id, idempotencyKey, at: new Date() })) return idempotencyKey;
    const holder = await this.references.findOne({ _id });
    return holder?.idempotencyKey ?? idempotencyKey;
  }

  override async insert(dossier: Dossier, outbox: readonly unknown[]): Promise<boolean> {
    return this.insertUnlessPresent(this.dossiers, {
      _id: dossier.dossierCode,
      ...dossier,
      ...instants(dossier),
      ...outboxInsertFields(outbox),
    });
  }

  override async insertMany(
    dossiers: readonly Dossier[],
    outboxes?: ReadonlyMap<string, readonly unknown[]>,
  ): Promise<{ inserted: string[]; present: string[] }> {
    if (dossiers.length === 0) return { inserted: [], present: [] };
    // One bulk insert: each dossier with its own events (outbox inside the aggregate), as `insert` writes one.
    const docs = dossiers.map((d) => ({
      _id: d.dossierCode,
      ...d,
      ...instants(d),
      ...outboxInsertFields(outboxes?.get(d.dossierCode) ?? []),
    }));
    const present = new Set<string>();
    try {
      await this.dossiers.insertMany(docs, { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { index: number; code?: number; err?: { code?: number } }[] })
        .writeErrors;
      if (!writeErrors) throw error;
      for (const e of Array.isArray(writeErrors) ? writeErrors : [writeErrors]) {
        if ((e.code ?? e.err?.code) !== 11000) throw error;
        present.add(docs[e.index]!._id);
      }
    }
    return { inserted: docs.map((d) => d._id).filter((c) => !present.has(c)), present: [...present] };
  }

  override async findByCode(dossierCode: string): Promise<Dossier | null> {
    const doc = await this.dossiers.findOne({ _id: dossierCode });
    return doc ? toDossier(doc) : null;
  }

  override async save(dossier: Dossier, expectedVersion: number, outbox: readonly unknown[]): Promise<boolean> {
    const fields: Record<string, unknown> = { ...dossier, ...instants(dossier) };
    // Optional fields the dossier no longer has (an answered supplement request) are removed, not left behind.
    const unset = Object.fromEntries(
      (['supplementRequest', 'appointmentAt', 'match'] as const)
        .filter((f) => dossier[f] === undefined)
        .map((f) => [f, '']),
    );
    for (const f of Object.keys(unset)) delete fields[f];
    const update: Record<string, unknown> = { $set: fields };
    if (Object.keys(unset).length > 0) update['$unset'] = unset;
    if (outbox.length > 0)
      Object.assign(update, { $push: { outbox: { $each: [...outbox] } } }, outboxMarkUpdate(outbox));
    const result = await this.dossiers.updateOne({ _id: dossier.dossierCode, version: expectedVersion }, update);
    return result.matchedCount === 1;
  }

  override async list(query: DossierQuery): Promise<{ items: Dossier[]; next?: string }> {
    const filter: Record<string, unknown> = { receivingUnitCode: { $in: [...query.communes] } };
    if (query.after) filter['_id'] = { $gt: query.after };
    if (query.status) filter['status'] = query.status;
    if (query.procedureCode) filter['procedureCode'] = query.procedureCode;
    const received: Record<string, string> = {};
    if (query.receivedFrom) received['$gte'] = query.receivedFrom.toISOString();
    if (query.receivedTo) received['$lt'] = query.receivedTo.toISOString();
    if (Object.keys(received).length > 0) filter['receivedInstant'] = received;
    const now = query.now.toISOString();
    if (query.overdue === true) {
      filter['dueInstant'] = { $lt: now };
      filter['status'] = query.status
        ? activeStatuses.includes(query.status)
          ? query.status
          : { $in: [] }
        : { $in: [...activeStatuses] };
    } else if (query.overdue === false) {
      filter['$or'] = [{ dueInstant: { $gte: now } }, { status: { $nin: [...activeStatuses] } }];
    }
    const docs = await this.dossiers
      .find(filter as mongo.Filter<DossierDocument>, { projection: { outbox: 0, outboxLease: 0 } })
      .sort({ _id: 1 })
      .limit(query.limit + 1)
      .toArray();
    const items = docs.slice(0, query.limit).map(toDossier);
    return docs.length > query.limit ? { items, next: items[items.length - 1]!.dossierCode } : { items };
  }

  private async insertUnlessPresent<T extends { _id: string }>(
    collection: mongo.Collection<T>,
    doc: T,
  ): Promise<boolean> {
    try {
      await collection.insertOne(doc as mongo.OptionalUnlessRequiredId<T>);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}

/**
 * Daily counters in `dossier_code_counters`: one document per agency and day, `seq` the highest number issued (or
 * passed), `taken` the numbers intake systems issued themselves. Each step is one single-document write.
 */
@Injectable()
export class MongoDossierCodeCounter extends DossierCodeCounter {
  private readonly counters: mongo.Collection<{ _id: string; seq: number; taken?: number[] }>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    super();
    this.counters = connection.db!.collection<{ _id: string; seq: number; taken?: number[] }>('dossier_code_counters');
  }

  override async atLeast(agencyId: string, day: string, sequence: number): Promise<void> {
    await this.counters.updateOne({ _id: `${agencyId}|${day}` }, { $max: { seq: sequence } }, { upsert: true });
  }

  override async claim(agencyId: string, day: string, sequence: number): Promise<boolean> {
    const _id = `${agencyId}|${day}`;
    await this.counters.updateOne({ _id }, { $setOnInsert: { seq: 0 } }, { upsert: true });
    // Atomic on the one document: either the counter has not reached the number yet, or the number was claimed
    // before (a retry); then it is recorded, and `next` skips it from now on.
    const result = await this.counters.updateOne(
      { _id, $or: [{ seq: { $lt: sequence } }, { taken: sequence }] },
      { $addToSet: { taken: sequence } },
    );
    return result.matchedCount === 1;
  }

  override async next(agencyId: string, day: string): Promise<number> {
    for (;;) {
      const counter = await this.counters.findOneAndUpdate(
        { _id: `${agencyId}|${day}` },
        { $inc: { seq: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
      if (!counter) throw new Error(`counter ${agencyId}|${day} was not returned by the database`);
      // A number an intake system issued itself belongs to its dossier: take the next one.
      if (!counter.taken?.includes(counter.seq)) return counter.seq;
    }
  }
}
