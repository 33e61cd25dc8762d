import { Schema, type Connection } from 'mongoose';
import { newId } from '@lienthong/kernel';
import { connectMongo, isDuplicateKeyError, pingMongo } from './mongo-connection';

const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

describe('mongo connection (real FerretDB/MongoDB)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await connectMongo({ url, dbName: 'persistence_it' });
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('answers ping', async () => {
    await expect(pingMongo(connection, 2_000)).resolves.toBeGreaterThanOrEqual(0);
  });

  it('enforces unique indexes and reports duplicates', async () => {
    const model = connection.model(
      `things_${newId().slice(-12)}`,
      new Schema({ key: { type: String, unique: true }, value: Number }),
    );
    await model.createIndexes();
    await model.create({ key: 'a', value: 1 });
    const duplicate = await model.create({ key: 'a', value: 2 }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(duplicate)).toBe(true);
    const found = await model.findOne({ key: 'a' }).lean<{ key: string; value: number }>();
    expect({ key: found?.key, value: found?.value }).toEqual({ key: 'a', value: 1 });
    await model.collection.drop();
  });

  it('fails fast, not hangs, when the server is unreachable', async () => {
    // A hang would exceed the test timeout; the driver must give up after serverSelectionTimeoutMs.
    await expect(
      connectMongo({ url: 'mongodb://127.0.0.1:1', dbName: 'x', serverSelectionTimeoutMs: 500 }),
    ).rejects.toThrow();
  });
});
