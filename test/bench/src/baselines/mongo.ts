import mongoose, { Schema } from 'mongoose';
import { sized, dossierPayload, type BenchContext, type BenchRecord } from '../context';
import { closedLoop } from '../measure';

// M1/M2: the raw MongoDB driver and mongoose on the development database (FerretDB v1 on SQLite here: its figures
// are FerretDB's, far below MongoDB's), 4 KB dossier-shaped documents keyed by `_id`.

const rate = (count: number, ms: number) => Math.round(count / (ms / 1000));

async function timed(task: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await task();
  return performance.now() - t0;
}

/** mongoose `Model.create` at `concurrency`: the loop S2 is compared with (R2). */
export async function mongooseSaveLoop(
  connection: mongoose.Connection,
  count: number,
  concurrency: number,
  tag: string,
): Promise<number> {
  const model = connection.model(
    `Save${tag}`,
    new Schema({ _id: String }, { strict: false, collection: `save_${tag}` }),
  );
  const ms = await timed(() =>
    closedLoop(
      count,
      concurrency,
      async (i) => void (await model.create({ _id: `${tag}-${i}`, ...dossierPayload(i) })),
    ),
  );
  return rate(count, ms);
}

export async function mongoBaselines(ctx: BenchContext): Promise<BenchRecord[]> {
  const connection = await mongoose.createConnection(ctx.mongoUrl, { dbName: `bench_${ctx.run}` }).asPromise();
  const db = connection.db!;
  try {
    const one = sized(ctx, 400, 50);
    const many = sized(ctx, 4000, 500);
    const raw = db.collection<{ _id: string }>('raw');
    const insertOne1 = rate(
      one,
      await timed(() =>
        closedLoop(one, 1, async (i) => void (await raw.insertOne({ _id: `a${i}`, ...dossierPayload(i) }))),
      ),
    );
    const insertOne32 = rate(
      many,
      await timed(() =>
        closedLoop(many, 32, async (i) => void (await raw.insertOne({ _id: `b${i}`, ...dossierPayload(i) }))),
      ),
    );
    const insertMany500 = rate(
      many,
      await timed(async () => {
        for (let s = 0; s < many; s += 500) {
          await raw.insertMany(
            Array.from({ length: Math.min(500, many - s) }, (_, j) => ({ _id: `c${s + j}`, ...dossierPayload(s + j) })),
            { ordered: false },
          );
        }
      }),
    );
    // Updates go in commands of 50 statements: FerretDB v1 hung on a 500-statement update command (ADR 0005).
    const bulkUpdate50 = rate(
      many,
      await timed(async () => {
        for (let s = 0; s < many; s += 50) {
          await raw.bulkWrite(
            Array.from({ length: Math.min(50, many - s) }, (_, j) => ({
              updateOne: { filter: { _id: `c${s + j}` }, update: { $set: { touched: true } } },
            })),
            { ordered: false },
          );
        }
      }),
    );

    const model = connection.model('Dossier', new Schema({ _id: String }, { strict: false, collection: 'mongoose' }));
    const create32 = await mongooseSaveLoop(connection, many, 32, 'm32');
    const insertManyDefault = rate(
      many,
      await timed(async () => {
        for (let s = 0; s < many; s += 500) {
          await model.insertMany(
            Array.from({ length: Math.min(500, many - s) }, (_, j) => ({ _id: `d${s + j}`, ...dossierPayload(s + j) })),
          );
        }
      }),
    );
    const insertManyLean = rate(
      many,
      await timed(async () => {
        for (let s = 0; s < many; s += 500) {
          await model.insertMany(
            Array.from({ length: Math.min(500, many - s) }, (_, j) => ({ _id: `e${s + j}`, ...dossierPayload(s + j) })),
            { lean: true },
          );
        }
      }),
    );
    let read = 0;
    const readMs = await timed(async () => {
      for await (const _doc of model.find().lean().cursor({ batchSize: 500 })) read += 1;
    });
    return [
      {
        id: 'M1',
        title: 'raw MongoDB driver on the development database (FerretDB v1, SQLite)',
        headline: { value: insertMany500, unit: 'docs/s (insertMany of 500)' },
        figures: {
          insertOneConcurrency1: insertOne1,
          insertOneConcurrency32: insertOne32,
          insertMany500,
          bulkWriteUpdates50: bulkUpdate50,
          counts: { one, many },
        },
      },
      {
        id: 'M2',
        title: 'mongoose on the same database',
        headline: { value: create32, unit: 'docs/s (Model.create, concurrency 32)' },
        ratio: {
          name: 'mongoose/driver',
          baseline: 'M1 insertOne concurrency 32',
          value: Math.round((create32 / insertOne32) * 100) / 100,
        },
        figures: {
          createConcurrency32: create32,
          insertManyDefault,
          insertManyLean,
          insertManyLeanToDriver: Math.round((insertManyLean / insertMany500) * 100) / 100,
          leanCursorRead: rate(read, readMs),
        },
      },
    ];
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}
