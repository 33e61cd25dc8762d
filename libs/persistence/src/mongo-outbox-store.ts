import type { mongo } from 'mongoose';

/** An outbox entry as stored; the shape is owned by @lienthong/messaging (OutboxEntry). */
interface StoredEntry {
  /** `time` is the event's write time, RFC 3339 in UTC (`toISOString()`), so it sorts as text. */
  event: { id: string; time: string };
}

/** The lease a relay holds on one aggregate's outbox while it publishes (field `outboxLease` of the document). */
export interface StoredOutboxLease {
  /** `<host>/<pid>/<uuid>` of the relay call holding it. */
  owner: string;
  /** After this instant another relay may take it over. */
  until: Date;
}

/** Fields the outbox keeps in an aggregate document, besides the aggregate's own. */
export interface OutboxFields {
  outbox?: unknown[];
  outboxLease?: StoredOutboxLease;
}

/** Drops the outbox's fields from a stored aggregate, for repositories that map documents to domain objects. */
export function withoutOutboxFields<T extends object>(doc: T): Omit<T, keyof OutboxFields> {
  const { outbox: _outbox, outboxLease: _lease, ...rest } = doc as T & OutboxFields;
  return rest;
}

// Filters and updates built from plain objects: the collections are untyped (`mongo.Document`).
type Filter = mongo.Filter<mongo.Document>;
type Update = mongo.UpdateFilter<mongo.Document>;

const hasPending: Filter = { 'outbox.0': { $exists: true } };

/** No lease, or one that expired before `now`. `{ outboxLease: null }` also matches a missing field (FerretDB too). */
function leaseFree(now: Date): Filter {
  return { $or: [{ outboxLease: null }, { 'outboxLease.until': { $lt: now } }] };
}

/**
 * OutboxStore over a collection whose documents carry an `outbox` array and are identified by `idField`
 * (e.g. `dossierCode`). Every write is one conditional update of one document, so it is atomic on FerretDB v1 and
 * MongoDB alike. The lease field exists only while a relay works on the document (it is `$unset` on release).
 * Tested against FerretDB v1, which lacks `$size`, `$pull` by condition and `$slice` projections; hence the
 * `$unwind`/`$count` and `outbox.0` sort below.
 */
export class MongoOutboxStore<TEntry extends StoredEntry> {
  constructor(
    private readonly collection: mongo.Collection,
    private readonly idField: string,
  ) {}

  /**
   * One `findAndModify`: takes the lease and reads the entries it covers in the same atomic step (FerretDB v1 has no
   * projection in `findAndModify`, so the whole document comes back).
   */
  async acquireLease(aggregateId: string, owner: string, now: Date, until: Date): Promise<TEntry[] | null> {
    const lease: StoredOutboxLease = { owner, until };
    const doc = await this.collection.findOneAndUpdate(
      { [this.idField]: aggregateId, ...hasPending, ...leaseFree(now) },
      { $set: { outboxLease: lease } },
      { returnDocument: 'after' },
    );
    return doc ? ((doc.outbox as TEntry[] | undefined) ?? []) : null;
  }

  async renewLease(aggregateId: string, owner: string, until: Date): Promise<boolean> {
    const result = await this.collection.updateOne(
      { [this.idField]: aggregateId, 'outboxLease.owner': owner },
      { $set: { 'outboxLease.until': until } },
    );
    return result.matchedCount === 1;
  }

  async releaseLease(aggregateId: string, owner: string): Promise<void> {
    await this.collection.updateOne(
      { [this.idField]: aggregateId, 'outboxLease.owner': owner },
      { $unset: { outboxLease: '' } },
    );
  }

  async pending(aggregateId: string): Promise<TEntry[]> {
    const doc = await this.collection.findOne({ [this.idField]: aggregateId }, { projection: { outbox: 1 } });
    return (doc?.outbox as TEntry[] | undefined) ?? [];
  }

  /**
   * Pulls the entries by exact equality with what `acquireLease` returned (FerretDB v1 supports `$pull`/`$pullAll` by
   * value, but neither a condition on a nested field such as `{ 'event.id': ... }` nor `$in`), and releases the lease
   * in the same update, which also tells how many entries remain. If the lease was lost meanwhile, the entries are
   * still pulled, and the new holder's lease is left alone.
   */
  async remove(aggregateId: string, entries: TEntry[], owner: string): Promise<number> {
    // The driver's types forbid array operators on an untyped document; the shape is right for `outbox: TEntry[]`.
    const pull = (entries.length > 0 ? { $pullAll: { outbox: entries } } : {}) as unknown as Update;
    const released = await this.collection.findOneAndUpdate(
      { [this.idField]: aggregateId, 'outboxLease.owner': owner },
      { ...pull, $unset: { outboxLease: '' } },
      { returnDocument: 'after' },
    );
    if (released) return (released.outbox as unknown[] | undefined)?.length ?? 0;
    if (entries.length === 0) return (await this.pending(aggregateId)).length;
    const pulled = await this.collection.findOneAndUpdate({ [this.idField]: aggregateId }, pull, {
      returnDocument: 'after',
    });
    return (pulled?.outbox as unknown[] | undefined)?.length ?? 0;
  }

  async withPending(limit: number, now: Date = new Date()): Promise<string[]> {
    const docs = await this.collection
      .find({ ...hasPending, ...leaseFree(now) }, { projection: { [this.idField]: 1 } })
      .limit(limit)
      .toArray();
    return docs.map((d) => d[this.idField] as string).filter(Boolean);
  }

  async countPending(): Promise<number> {
    // FerretDB v1 has no `$size`; one row per entry, counted by the server, keeps the answer small at any backlog.
    const [row] = await this.collection
      .aggregate<{ n: number }>([{ $match: hasPending }, { $unwind: '$outbox' }, { $count: 'n' }])
      .toArray();
    return row?.n ?? 0;
  }

  async oldestPending(): Promise<Date | null> {
    // Entries are appended in write order, so each document's first entry is its oldest.
    const [doc] = await this.collection
      .find(hasPending, { projection: { _id: 0, 'outbox.event.time': 1 } })
      .sort({ 'outbox.0.event.time': 1 })
      .limit(1)
      .toArray();
    const times = ((doc?.outbox as { event?: { time?: unknown } }[] | undefined) ?? [])
      .map((entry) => (typeof entry.event?.time === 'string' ? Date.parse(entry.event.time) : Number.NaN))
      .filter((t) => !Number.isNaN(t));
    return times.length > 0 ? new Date(Math.min(...times)) : null;
  }
}
