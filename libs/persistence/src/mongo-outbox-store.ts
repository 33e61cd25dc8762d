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

  /**
   * Pulls each entry by exact equality with what `pending` returned. FerretDB v1 supports `$pull` by value but not by
   * a condition on a nested field (`{ 'event.id': ... }`), so this is one single-document update per entry; usually
   * there is one.
   */
  async remove(aggregateId: string, entries: TEntry[]): Promise<void> {
    for (const entry of entries) {
      await this.collection.updateOne({ [this.idField]: aggregateId }, {
        $pull: { outbox: entry },
      } as unknown as mongo.UpdateFilter<mongo.Document>);
    }
  }

  async withPending(limit: number): Promise<string[]> {
    const docs = await this.collection
      .find({ 'outbox.0': { $exists: true } }, { projection: { [this.idField]: 1 } })
      .limit(limit)
      .toArray();
    return docs.map((d) => d[this.idField] as string).filter(Boolean);
  }
}
