import type { mongo } from 'mongoose';

/** An outbox entry as stored; the shape is owned by @lienthong/messaging (OutboxEntry). */
interface StoredEntry {
  event: { id: string };
}

/**
 * OutboxStore over a collection whose documents carry an `outbox` array and are identified by `idField`
 * (e.g. `dossierCode`). Removal is a single `$pull` on one document, so it is atomic on FerretDB and MongoDB alike.
 */
export class MongoOutboxStore<TEntry extends StoredEntry> {
  constructor(
    private readonly collection: mongo.Collection,
    private readonly idField: string,
  ) {}

  async pending(aggregateId: string): Promise<TEntry[]> {
    const doc = await this.collection.findOne({ [this.idField]: aggregateId }, { projection: { outbox: 1 } });
    return (doc?.outbox as TEntry[] | undefined) ?? [];
  }

  async remove(aggregateId: string, eventIds: string[]): Promise<void> {
    await this.collection.updateOne({ [this.idField]: aggregateId }, {
      $pull: { outbox: { 'event.id': { $in: eventIds } } },
    } as unknown as mongo.UpdateFilter<mongo.Document>);
  }

  async withPending(limit: number): Promise<string[]> {
    const docs = await this.collection
      .find({ 'outbox.0': { $exists: true } }, { projection: { [this.idField]: 1 } })
      .limit(limit)
      .toArray();
    return docs.map((d) => d[this.idField] as string).filter(Boolean);
  }
}
