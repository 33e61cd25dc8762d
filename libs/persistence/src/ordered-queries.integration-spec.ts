import type { Connection, mongo } from 'mongoose';
import { newId } from '@lienthong/kernel';
import { connectMongo } from './mongo-connection';

const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

// Sorted, filtered, limited finds as the worklist and the clock watch send them, checked against MongoDB's rules
// computed here. On the local FerretDB they exercise the ordered pushdown of ADR 0005 (patch 4): SQLite returns the
// documents in order through the indexes below and the limit ends the scan, which is only right while every sort
// and narrowed field has held strings (or booleans) alone. The second half writes other types (a number, an array,
// null) into those fields, after which the same queries must still be answered right (by upstream's path).

type Doc = {
  _id: string;
  branch?: unknown;
  open?: unknown;
  state?: unknown;
  due?: unknown;
  commune?: string;
  name?: string;
};

const specialDues = ['', 'a&b', 'a<b', 'a=b', 'Đà Nẵng', 'é', 'e\u0301', '\u007f', 'Z', '2026-01-01T00:00:00.000Z<'];

/** MongoDB's order of the values used here: missing and null, numbers, strings (byte by byte), booleans. */
function compareValues(a: unknown, b: unknown): number {
  const rank = (v: unknown) =>
    v === undefined || v === null ? 0 : typeof v === 'number' ? 1 : typeof v === 'string' ? 2 : 3;
  const [ra, rb] = [rank(a), rank(b)];
  if (ra !== rb) return ra - rb;
  if (ra === 1) return (a as number) - (b as number);
  if (ra === 2) return Buffer.compare(Buffer.from(a as string), Buffer.from(b as string));
  if (ra === 3) return Number(a) - Number(b);
  return 0;
}

/** An array sorts by its smallest element in an ascending sort. */
function sortValue(v: unknown): unknown {
  return Array.isArray(v) ? [...v].sort(compareValues)[0] : v;
}

type Condition = unknown;
function matches(doc: Doc, filter: Record<string, Condition>): boolean {
  return Object.entries(filter).every(([key, cond]) => {
    if (key === '$or') return (cond as Record<string, Condition>[]).some((f) => matches(doc, f));
    const value = doc[key as keyof Doc];
    const candidates = Array.isArray(value) ? value : [value];
    const test = (c: Condition, v: unknown): boolean => {
      if (c !== null && typeof c === 'object' && !Array.isArray(c)) {
        return Object.entries(c as Record<string, unknown>).every(([op, x]) => {
          if (op === '$in') return (x as unknown[]).some((e) => test(e, v));
          const sameType = typeof v === typeof x && v !== null && v !== undefined;
          const cmp = sameType ? compareValues(v, x) : NaN;
          if (op === '$gt') return cmp > 0;
          if (op === '$gte') return cmp >= 0;
          if (op === '$lt') return cmp < 0;
          if (op === '$lte') return cmp <= 0;
          throw new Error(`operator ${op} not modelled`);
        });
      }
      return v === c;
    };
    return candidates.some((v) => test(cond, v));
  });
}

function expected(
  docs: Doc[],
  filter: Record<string, Condition>,
  sort: [keyof Doc, 1 | -1][],
  skip: number,
  limit: number,
): string[] {
  return docs
    .filter((d) => matches(d, filter))
    .sort((a, b) => {
      for (const [key, dir] of sort) {
        const c = compareValues(sortValue(a[key]), sortValue(b[key]));
        if (c !== 0) return c * dir;
      }
      return 0;
    })
    .slice(skip, skip + limit)
    .map((d) => d._id);
}

function pick<T>(values: readonly T[], i: number): T {
  return values[i % values.length]!;
}

describe('sorted finds (real FerretDB/MongoDB; FerretDB ordered pushdown)', () => {
  let connection: Connection;
  let collection: mongo.Collection<Doc>;
  const docs: Doc[] = [];

  beforeAll(async () => {
    connection = await connectMongo({ url, dbName: 'persistence_it' });
    collection = connection.db!.collection<Doc>(`ordered_${newId().slice(-12)}`);
    await collection.createIndexes([
      { key: { branch: 1, open: 1, due: 1, _id: 1 }, name: 'by_due' },
      { key: { branch: 1, open: 1, state: 1, due: 1, _id: 1 }, name: 'by_state' },
      { key: { open: 1, due: 1 }, name: 'watch' },
    ]);
    // A deterministic spread: 2,000 documents, 300 distinct due dates, special strings, missing and null dues.
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
    for (let i = 0; i < 2_000; i++) {
      const r = next();
      const dueKind = r % 100;
      const due =
        dueKind < 3
          ? undefined
          : dueKind < 5
            ? null
            : dueKind < 12
              ? pick(specialDues, r)
              : new Date(Date.UTC(2026, 0, 1) + (next() % 300) * 3_600_000).toISOString();
      docs.push({
        _id: `D${String(next() % 1_000_000).padStart(6, '0')}-${i}`,
        branch: pick(['B1', 'B2', 'B3'], next()),
        open: next() % 3 !== 0,
        state: pick(['S1', 'S2', 'S3', 'S4'], next()),
        ...(due === undefined ? {} : { due }),
        commune: pick(['C1', 'C2', 'C3'], next()),
        name: `n${next() % 500}`,
      });
    }
    for (let i = 0; i < docs.length; i += 500) await collection.insertMany(docs.slice(i, i + 500));
  });

  afterAll(async () => {
    await collection?.drop().catch(() => undefined);
    await connection?.close();
  });

  const middle = new Date(Date.UTC(2026, 0, 1) + 150 * 3_600_000).toISOString();
  const cursorDue = new Date(Date.UTC(2026, 0, 1) + 40 * 3_600_000).toISOString();
  const queries: { name: string; filter: Record<string, Condition>; sort: [keyof Doc, 1 | -1][] }[] = [
    {
      name: 'branch, open',
      filter: { branch: 'B1', open: true },
      sort: [
        ['due', 1],
        ['_id', 1],
      ],
    },
    {
      name: 'branch, open, state',
      filter: { branch: 'B1', open: true, state: 'S2' },
      sort: [
        ['due', 1],
        ['_id', 1],
      ],
    },
    {
      name: 'due before',
      filter: { branch: 'B2', open: true, due: { $lt: middle } },
      sort: [
        ['due', 1],
        ['_id', 1],
      ],
    },
    {
      name: 'cursor',
      filter: {
        branch: 'B1',
        open: true,
        due: { $gte: cursorDue },
        $or: [{ due: { $gt: cursorDue } }, { due: cursorDue, _id: { $gt: 'D5' } }],
      },
      sort: [
        ['due', 1],
        ['_id', 1],
      ],
    },
    {
      name: '$in',
      filter: { branch: { $in: ['B1', 'B3'] }, open: false, state: { $in: ['S1', 'S3'] } },
      sort: [
        ['due', 1],
        ['_id', 1],
      ],
    },
    {
      name: 'unindexed filter',
      filter: { branch: 'B3', open: true, commune: 'C2' },
      sort: [
        ['due', 1],
        ['_id', 1],
      ],
    },
    {
      name: 'watch',
      filter: { open: true, due: { $gt: 'Z', $lte: '\u007f' } },
      sort: [
        ['due', 1],
        ['_id', 1],
      ],
    },
    {
      name: 'untracked sort field',
      filter: { branch: 'B2' },
      sort: [
        ['name', 1],
        ['_id', 1],
      ],
    },
    {
      name: 'descending',
      filter: { branch: 'B2', open: true },
      sort: [
        ['due', -1],
        ['_id', -1],
      ],
    },
  ];

  async function checkAll(): Promise<number> {
    let compared = 0;
    for (const q of queries) {
      for (const [skip, limit] of [
        [0, 1],
        [0, 26],
        [3, 7],
        [0, 5_000],
      ] as const) {
        const got = await collection
          .find(q.filter as mongo.Filter<Doc>, { projection: { _id: 1 } })
          .sort(Object.fromEntries(q.sort))
          .skip(skip)
          .limit(limit)
          .toArray();
        expect({ query: q.name, skip, limit, ids: got.map((d) => d._id) }).toEqual({
          query: q.name,
          skip,
          limit,
          ids: expected(docs, q.filter, q.sort, skip, limit),
        });
        compared += got.length;
      }
    }
    return compared;
  }

  it('answers in MongoDB order while the fields hold strings and booleans only', async () => {
    expect(await checkAll()).toBeGreaterThan(1_000);
  });

  it('still answers right once a sort or filter field holds another type', async () => {
    const odd: Doc[] = [
      { _id: 'X-number-due', branch: 'B1', open: true, state: 'S2', due: 5, commune: 'C2', name: 'n1' },
      { _id: 'X-array-branch', branch: ['B9', 'B1'], open: true, state: 'S2', due: 'a', commune: 'C2', name: 'n2' },
      { _id: 'X-null-state', branch: 'B2', open: true, state: null, due: '', commune: 'C2', name: 'n3' },
      { _id: 'X-number-open', branch: 'B1', open: 1, state: 'S2', due: 'b', commune: 'C2', name: 'n4' },
    ];
    await collection.insertMany(odd);
    docs.push(...odd);
    expect(await checkAll()).toBeGreaterThan(1_000);
  });
});
