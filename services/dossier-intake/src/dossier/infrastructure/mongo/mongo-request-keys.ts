import { Inject, Injectable } from '@nestjs/common';
import { isDuplicateKeyError } from '@lienthong/persistence';
import { MONGO_CONNECTION } from '@lienthong/runtime';
import type { Connection, mongo } from 'mongoose';
import { RequestKeys, type KeyClaim } from '../../application/request-keys/request-keys';

// `request_keys`: _id = scope|key. IN_FLIGHT while the first request runs, DONE with its answer afterwards. A request
// that crashed mid-way leaves IN_FLIGHT behind; after `staleAfterMs` a retry takes the key over.
type KeyDocument = {
  _id: string;
  requestHash: string;
  state: 'IN_FLIGHT' | 'DONE';
  at: Date;
  status?: number;
  body?: unknown;
};
const staleAfterMs = 60_000;

@Injectable()
export class MongoRequestKeys extends RequestKeys {
  private readonly keys: mongo.Collection<KeyDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    super();
    this.keys = connection.db!.collection<KeyDocument>('request_keys');
  }

  override async claim(scope: string, key: string, requestHash: string): Promise<KeyClaim> {
    const _id = `${scope}|${key}`;
    try {
      await this.keys.insertOne({ _id, requestHash, state: 'IN_FLIGHT', at: new Date() });
      return { state: 'new' };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const held = await this.keys.findOne({ _id });
    if (!held) return this.claim(scope, key, requestHash); // released meanwhile
    if (held.requestHash !== requestHash) return { state: 'mismatch' };
    if (held.state === 'DONE') return { state: 'replay', status: held.status ?? 200, body: held.body };
    if (Date.now() - held.at.getTime() > staleAfterMs) {
      const taken = await this.keys.updateOne({ _id, state: 'IN_FLIGHT', at: held.at }, { $set: { at: new Date() } });
      if (taken.modifiedCount === 1) return { state: 'new' };
    }
    return { state: 'in-flight' };
  }

  override async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    await this.keys.updateOne({ _id: `${scope}|${key}` }, { $set: { state: 'DONE', status, body, at: new Date() } });
  }

  override async release(scope: string, key: string): Promise<void> {
    await this.keys.deleteOne({ _id: `${scope}|${key}`, state: 'IN_FLIGHT' });
  }
}
