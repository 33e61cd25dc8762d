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
  /**
   * Present while the document has pending entries: the event time of the oldest (RFC 3339). The sweeper finds
   * pending documents through the index on it instead of reading the whole collection (ADR 0004).
   */
  outboxSince?: string;
}

/** Drops the outbox's fields from a stored aggregate, for repositories that map documents to domain objects. */
export function withoutOutboxFields<T extends object>(doc: T): Omit<T, keyof OutboxFields> {
  const { outbox: _outbox, outboxLease: _lease, outboxSince: _since, ...rest } = doc as T & OutboxFields;
  return rest;
}

/** The event time of the oldest of these entries (times are `toISOString()`, so they sort as text). */
function oldestTime(entries: readonly unknown[]): string | undefined {
  let oldest: string | undefined;
  for (const entry of entries) {
    const time = (entry as StoredEntry | undefined)?.event?.time;
    if (typeof time === 'string' && (oldest === undefined || time < oldest)) oldest = time;
  }
  return oldest;
}

/** The outbox fields of a new document holding `entries`: spread them into the inserted document. */
export function outboxInsertFields<T>(entries: readonly T[]): { outbox: T[]; outboxSince?: string } {
  const since = oldestTime(entries);
  return { outbox: [...entries], ...(since === undefined ? {} : { outboxSince: since }) };
}

/**
 * The update operator that marks a document as pending when `entries` are appended to its outbox (`$push` them in
 * the same update): spread it into the update; empty when there are none.
 */
export function outboxMarkUpdate(entries: readonly unknown[]): { $min?: { outboxSince: string } } {
  const since = oldestTime(entries);
  return since === undefined ? {} : { $min: { outboxSince: since } };
}

// Filters and updates built from plain objects: the collections are untyped (`mongo.Document`).
type Filter = mongo.Filter<mongo.Document>;
type Update = mongo.UpdateFilter<mongo.Document>;

const hasPending: Filter = { 'outbox.0': { $exists: true } };
// Every marked document, through the index (any string is ≥ ''), oldest first.
const marked: Filter = { outboxSince: { $gte: '' } };
const byMark = { outboxSince: 1 } as const;

/** No lease, or one that expired before `now`. `{ outboxLease: null }` also matches a missing field (FerretDB too). */
function leaseFree(now: Date): Filter {
  return { $or: [{ outboxLease: null }, { 'outboxLease.until': { $lt: now } }] };
}

/**
 * OutboxStore over a collection whose documents carry an `outbox` array and are identified by `idField`
 * (e.g. `dossierCode`). Every write is one conditional update of one document, so it is atomic on FerretDB v1 and
 * MongoDB alike. The lease field exists only while a relay works on the document (it is `$unset` on release).
 * Writers mark a document that has pending entries (`outboxInsertFields`, `outboxMarkUpdate`: `outboxSince`, the
 * oldest entry's time) and the relay removes the mark with the last entry, so the scans below read the marked
 * documents through the `outbox_since` index, not the collection (on FerretDB through the ordered pushdown of
 * ADR 0005). A document whose events were written without the mark is not found by a scan, only by a relay of it.
 * Tested against FerretDB v1, which lacks `$size`, `$pull` by condition and `$slice` projections.
 */
export class MongoOutboxStore<TEntry extends StoredEntry> {
  private index?: Promise<void>;

  constructor(
    private readonly collection: mongo.Collection,
    private readonly idField: string,
  ) {}

  /** The index on the pending marker, created once before the first query that reads through it. */
  private ensureIndex(): Promise<void> {
    this.index ??= this.collection
      .createIndex(byMark, { name: 'outbox_since' })
      .then(() => undefined)
      .catch(() => {
        this.index = undefined; // tried again by the next query; the queries are right without it, only slower
      });
    return this.index;
  }

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
    // The usual case in one update: the lease still ours and nothing appended since it was taken (the outbox equals
    // what was leased), so the outbox empties and the marker and the lease go with it.
    if (entries.length > 0) {
      const emptied = await this.collection.updateOne(
        { [this.idField]: aggregateId, 'outboxLease.owner': owner, outbox: entries },
        { $set: { outbox: [] }, $unset: { outboxLease: '', outboxSince: '' } },
      );
      if (emptied.matchedCount === 1) return 0;
    }
    // The driver's types forbid array operators on an untyped document; the shape is right for `outbox: TEntry[]`.
    const pull = (entries.length > 0 ? { $pullAll: { outbox: entries } } : {}) as unknown as Update;
    const released = await this.collection.findOneAndUpdate(
      { [this.idField]: aggregateId, 'outboxLease.owner': owner },
      { ...pull, $unset: { outboxLease: '' } },
      { returnDocument: 'after' },
    );
    const after =
      released ??
      (entries.length === 0
        ? await this.collection.findOne({ [this.idField]: aggregateId })
        : await this.collection.findOneAndUpdate({ [this.idField]: aggregateId }, pull, { returnDocument: 'after' }));
    const remaining = (after?.outbox as unknown[] | undefined) ?? [];
    await this.remark(aggregateId, remaining);
    return remaining.length;
  }

  /**
   * Brings the marker in line with what remains after a removal: gone when nothing does (unless an entry was
   * appended meanwhile), else the oldest remaining entry's time (`$max`: an append meanwhile only adds later ones).
   */
  private async remark(aggregateId: string, remaining: readonly unknown[]): Promise<void> {
    const since = oldestTime(remaining);
    if (since === undefined) {
      await this.collection.updateOne(
        { [this.idField]: aggregateId, 'outbox.0': { $exists: false } },
        { $unset: { outboxSince: '' } },
      );
    } else {
      await this.collection.updateOne({ [this.idField]: aggregateId }, { $max: { outboxSince: since } });
    }
  }

  async withPending(limit: number, now: Date = new Date()): Promise<string[]> {
    await this.ensureIndex();
    const docs = await this.collection
      .find({ ...marked, ...hasPending, ...leaseFree(now) }, { projection: { [this.idField]: 1 } })
      .sort(byMark)
      .limit(limit)
      .toArray();
    return docs.map((d) => d[this.idField] as string).filter(Boolean);
  }

  async countPending(): Promise<number> {
    // The marked documents only, through the index; FerretDB v1 has no `$size`, so the entries are counted here.
    await this.ensureIndex();
    const docs = await this.collection
      .find(marked, { projection: { outbox: 1 } })
      .sort(byMark)
      .toArray();
    return docs.reduce((n, d) => n + ((d.outbox as unknown[] | undefined)?.length ?? 0), 0);
  }

  async oldestPending(): Promise<Date | null> {
    await this.ensureIndex();
    const [doc] = await this.collection
      .find({ ...marked, ...hasPending }, { projection: { _id: 0, 'outbox.event.time': 1 } })
      .sort(byMark)
      .limit(1)
      .toArray();
    const times = ((doc?.outbox as { event?: { time?: unknown } }[] | undefined) ?? [])
      .map((entry) => (typeof entry.event?.time === 'string' ? Date.parse(entry.event.time) : Number.NaN))
      .filter((t) => !Number.isNaN(t));
    return times.length > 0 ? new Date(Math.min(...times)) : null;
  }
}
