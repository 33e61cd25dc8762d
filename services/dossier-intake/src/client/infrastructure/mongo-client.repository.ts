import { Inject, Injectable } from '@nestjs/common';
import { isDuplicateKeyError, outboxInsertFields, outboxMarkUpdate, withoutOutboxFields } from '@lienthong/persistence';
import { MONGO_CONNECTION } from '@lienthong/runtime';
import type { Connection, mongo } from 'mongoose';
import { ClientRepository, type ClientSettings } from '../domain/client.ports';

// `clients`: _id = client id; the client's settings and pending events (`outbox`), one document per client.
type ClientDocument = ClientSettings & { _id: string; outbox: unknown[] };

@Injectable()
export class MongoClientRepository extends ClientRepository {
  /** The clients collection; the outbox relay of the client topic reads and trims pending events there. */
  readonly clients: mongo.Collection<ClientDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    super();
    this.clients = connection.db!.collection<ClientDocument>('clients');
  }

  override async find(clientId: string): Promise<ClientSettings | null> {
    const doc = await this.clients.findOne({ _id: clientId });
    if (!doc) return null;
    const { _id: _id, ...settings } = withoutOutboxFields(doc);
    return settings;
  }

  override async save(settings: ClientSettings, expectedVersion: number, outbox: readonly unknown[]): Promise<boolean> {
    if (expectedVersion === 0) {
      try {
        await this.clients.insertOne({ _id: settings.clientId, ...settings, ...outboxInsertFields(outbox) });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    }
    const update = { $set: settings, $push: { outbox: { $each: [...outbox] } }, ...outboxMarkUpdate(outbox) };
    const result = await this.clients.updateOne({ _id: settings.clientId, version: expectedVersion }, update);
    return result.matchedCount === 1;
  }
}
