import mongoose, { type mongo } from 'mongoose';
import { devToken } from '@lienthong/testing';
import { sized, type BenchContext, type BenchRecord } from '../context';
import { infrastructureProcesses, percentiles, ProcessMeter, type Percentiles } from '../measure';
import { BenchBranch, BenchCaseFactory, type Case, type CaseDocument } from './worklist-cases';
import { benchServices, pidOf } from './stack';

// WL: registration-office's `GET /v1/worklist` with 200,000 open cases of one branch (issue 5: "indexed so 200,000
// open cases stay fast"). The cases are written straight into registration_office.cases in their stored shape (built
// by the service's own code, worklist-cases.ts), in insertMany commands of 50 documents (larger multi-statement
// writes have hung FerretDB, ADR 0005), under a branch of their own; the service runs as a process on the
// benchmark's port with its clock watch and outbox sweeper held off, so nothing acts on the seeded cases; each filter
// is asked over HTTP with a worker token, one query at a time; the seeded cases are deleted at the end (and before
// seeding, should an earlier run have been killed).

const batchSize = 50;

/** The filters measured, by id (`--wl-filters=first,overdue` runs some). `cursor` is the second page of `first`. */
export const WorklistFilters: Record<string, Record<string, string>> = {
  first: {},
  state: { state: 'IN_REVIEW' },
  procedure: { procedureCode: '1.013831' },
  commune: { communeCode: '21451' },
  overdue: { overdue: 'true' },
  dueWithin3: { dueWithinWorkingDays: '3' },
  cursor: {},
};

interface FilterResult {
  query: string;
  latency: Percentiles;
  itemsFirstAnswer: number;
  cpuMsPerQuery: Record<string, number>;
  errors: number;
}

async function removeSeeded(cases: mongo.Collection<CaseDocument>): Promise<{ deleted: number; ms: number }> {
  const t0 = performance.now();
  const { deletedCount } = await cases.deleteMany({ branchCode: BenchBranch });
  return { deleted: deletedCount, ms: Math.round(performance.now() - t0) };
}

export async function worklistScenario(ctx: BenchContext): Promise<BenchRecord> {
  const count = sized(ctx, Number(ctx.flags.get('wl-cases') ?? 200_000), 2_000);
  const queries = sized(ctx, Number(ctx.flags.get('wl-queries') ?? 100), 10);
  const only = ctx.flags.get('wl-filters')?.split(',');
  const filters = Object.keys(WorklistFilters).filter((id) => !only || only.includes(id));
  const connection = await mongoose.createConnection(ctx.mongoUrl, { dbName: 'registration_office' }).asPromise();
  const cases = connection.db!.collection<CaseDocument>('cases');
  const { 'registration-office': office } = benchServices(ctx, ['registration-office'], {
    OTEL_TRACES_EXPORTER: 'none',
    // Nothing may act on the seeded cases: no clock watch round, no outbox sweep during the run.
    CLOCK_WATCH_INTERVAL_MS: String(24 * 3_600_000),
    OUTBOX_SWEEP_INTERVAL_MS: String(24 * 3_600_000),
  });
  const leftOver = await removeSeeded(cases);
  let removed: { deleted: number; ms: number } | undefined;
  try {
    const othersInCollection = await cases.estimatedDocumentCount();
    // Seed: built by the service's code (a few thousand distinct cases, each under several codes), written 50 per
    // insertMany, one command at a time.
    const distinct = Math.min(count, Number(ctx.flags.get('wl-distinct') ?? 5_000));
    const factory = new BenchCaseFactory(ctx.root, new Date());
    const buildStart = performance.now();
    const built: Case[] = [];
    for (let i = 0; i < distinct; i += 1) built.push(await factory.build(i));
    const buildMs = Math.round(performance.now() - buildStart);
    const seedMeter = new ProcessMeter({ ...infrastructureProcesses(ctx.runDir), bench: process.pid });
    seedMeter.start();
    let bytes = 0;
    const states: Record<string, number> = {};
    for (let from = 0; from < count; from += batchSize) {
      const docs: CaseDocument[] = [];
      for (let i = from; i < Math.min(count, from + batchSize); i += 1)
        docs.push(factory.document(built[i % distinct]!));
      for (const d of docs) {
        states[d.state] = (states[d.state] ?? 0) + 1;
        bytes += Buffer.byteLength(JSON.stringify(d));
      }
      await cases.insertMany(docs, { ordered: true });
      if (from % 20_000 === 0) process.stderr.write(`[bench]   WL seeded ${from.toLocaleString('en-US')}\n`);
    }
    const seeding = seedMeter.stop();

    await office!.start(120_000);
    const officeUrl = office!.baseUrl;
    const authorization = `Bearer ${devToken({ worker: 'bench-wl', branch: BenchBranch, roles: ['officer', 'approver', 'supervisor'] }, 3 * 3600)}`;
    const ask = async (params: Record<string, string>) => {
      const response = await fetch(`${officeUrl}/v1/worklist?${new URLSearchParams(params).toString()}`, {
        headers: { authorization },
        signal: AbortSignal.timeout(120_000),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`worklist answered ${response.status}: ${text.slice(0, 200)}`);
      return JSON.parse(text) as { items: { dossierCode: string; dueAt: string }[]; nextCursor?: string };
    };
    const firstPage = await ask({});
    if (!firstPage.nextCursor) throw new Error('the first page has no next cursor: the seeded cases are not listed');
    const paramsOf = (id: string) => (id === 'cursor' ? { cursor: firstPage.nextCursor! } : WorklistFilters[id]!);

    const results: Record<string, FilterResult> = {};
    const procs = {
      ...infrastructureProcesses(ctx.runDir),
      'registration-office': pidOf(office!),
      bench: process.pid,
    };
    const queryMeter = new ProcessMeter(procs);
    queryMeter.start();
    for (const id of filters) {
      const meter = new ProcessMeter(procs);
      meter.start();
      const latencies: number[] = [];
      let errors = 0;
      let items = -1;
      for (let q = 0; q < queries; q += 1) {
        const t0 = performance.now();
        try {
          const page = await ask(paramsOf(id));
          latencies.push(performance.now() - t0);
          if (items < 0) items = page.items.length;
        } catch (error) {
          errors += 1;
          if (errors > 3) throw error;
        }
      }
      const usage = meter.stop();
      results[id] = {
        query: new URLSearchParams(id === 'cursor' ? { cursor: '<second page>' } : WorklistFilters[id]!).toString(),
        latency: percentiles(latencies),
        itemsFirstAnswer: items,
        cpuMsPerQuery: Object.fromEntries(
          Object.entries(usage.cpuMs)
            .filter(([, ms]) => ms > 0)
            .map(([name, ms]) => [name, Math.round(ms / queries)]),
        ),
        errors,
      };
      process.stderr.write(`[bench]   WL ${id}: p95 ${results[id].latency.p95} ms\n`);
    }
    const querying = queryMeter.stop();

    // The same filter straight to the database (no HTTP, no service), and what FerretDB says it does with it.
    const direct: number[] = [];
    for (let q = 0; q < 10; q += 1) {
      const t0 = performance.now();
      await cases
        .find(
          { branchCode: BenchBranch, open: true },
          { projection: { audit: 0, outbox: 0, history: 0, documents: 0, appliedKeys: 0 } },
        )
        .sort({ dueAt: 1, _id: 1 })
        .limit(26)
        .toArray();
      direct.push(performance.now() - t0);
    }
    const byIdStart = performance.now();
    await cases.findOne({ _id: firstPage.items[0]!.dossierCode });
    const byIdMs = Math.round((performance.now() - byIdStart) * 10) / 10;
    const explain = await connection
      .db!.command({
        explain: {
          find: 'cases',
          filter: { branchCode: BenchBranch, open: true },
          sort: { dueAt: 1, _id: 1 },
          limit: 26,
        },
      })
      .catch((error: unknown) => ({ error: String(error) }));

    const worst = Math.max(...Object.values(results).map((r) => r.latency.p95));
    const dbCpu = Object.entries(querying.cpuMs)
      .filter(([name]) => /ferret|mongo/i.test(name))
      .reduce((sum, [, ms]) => sum + ms, 0);
    removed = await removeSeeded(cases);
    return {
      id: 'WL',
      title: `worklist query (GET /v1/worklist) with ${count.toLocaleString('en-US')} open cases of one branch (FerretDB)`,
      headline: { value: worst, unit: `ms p95 (worst of ${filters.length} filters, ${queries} queries each)` },
      verdict: { target: 'fast at 200,000 open cases (issue 5)', floor: 'p95 ≤ 500 ms', floorHolds: worst <= 500 },
      processes: querying,
      figures: {
        openCases: count,
        otherCasesInCollection: othersInCollection,
        seededStates: states,
        distinctCases: distinct,
        averageDocumentBytes: Math.round(bytes / count),
        seeding: {
          insertManyOf: batchSize,
          wallMs: seeding.wallMs,
          buildMs,
          docsPerSec: Math.round((count / seeding.wallMs) * 1000),
          cpuMs: seeding.cpuMs,
        },
        queriesPerFilter: queries,
        filters: results,
        databaseShareOfQueryCpu:
          querying.totalCpuMs > 0 ? Math.round((dbCpu / querying.totalCpuMs) * 100) / 100 : undefined,
        directDriverFirstPageMs: percentiles(direct),
        findByIdMs: byIdMs,
        explain,
        leftOverFromEarlierRun: leftOver.deleted,
        removed,
      },
      notes: [
        "One query at a time (closed loop, concurrency 1): the latency is the service time of one worker's request.",
        'The service ran with tracing off and with its clock watch and outbox sweeper held off, so that nothing acted on the seeded cases.',
      ],
    };
  } finally {
    if (!removed) await removeSeeded(cases).catch(() => undefined);
    await Promise.allSettled([office!.stop(), connection.close()]);
  }
}
