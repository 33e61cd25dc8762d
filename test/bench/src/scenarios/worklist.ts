import path from 'node:path';
import mongoose, { type mongo } from 'mongoose';
import { devToken } from '@lienthong/testing';
import { type BenchContext, type BenchRecord } from '../context';
import { cpuProfileSummary, infrastructureProcesses, percentiles, ProcessMeter, type Percentiles } from '../measure';
import { BenchBranch, BenchCaseFactory, type Case, type CaseDocument } from './worklist-cases';
import { benchServices, pidOf } from './stack';

// WL: registration-office's `GET /v1/worklist` with many open cases of one branch (issue 5: "indexed so 200,000 open
// cases stay fast"). The cases are written straight into registration_office.cases in their stored shape (built by
// the service's own code, worklist-cases.ts), in insertMany commands of 50 documents (larger multi-statement writes
// have hung FerretDB, ADR 0005), under a branch of their own. The service runs as a process on the benchmark's port
// with its clock watch and outbox sweeper held off, so nothing acts on the seeded cases. Each filter is asked over
// HTTP with a worker token, one query at a time, at each size of `--wl-cases` in turn (seeded cumulatively), until
// `--wl-queries` answers or `--wl-budget-s` seconds per filter. The seeded cases are deleted at the end (and before
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

/** The worklist's own filter for a branch's first page (mongo-case.repository.ts), asked straight of the database. */
const listProjection = { audit: 0, outbox: 0, history: 0, documents: 0, appliedKeys: 0 };

interface FilterResult {
  query: string;
  latency: Percentiles;
  itemsFirstAnswer: number;
  cpuMsPerQuery: Record<string, number>;
}

async function removeSeeded(cases: mongo.Collection<CaseDocument>): Promise<{ deleted: number; ms: number }> {
  const t0 = performance.now();
  const { deletedCount } = await cases.deleteMany({ branchCode: BenchBranch });
  return { deleted: deletedCount, ms: Math.round(performance.now() - t0) };
}

async function timed(task: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await task();
  return Math.round(performance.now() - t0);
}

export async function worklistScenario(ctx: BenchContext): Promise<BenchRecord> {
  const sizes = (ctx.flags.get('wl-cases') ?? '2000,20000,200000')
    .split(',')
    .map((n) => Math.max(100, Math.round(Number(n) * ctx.scale)))
    .sort((a, b) => a - b);
  const queries = Number(ctx.flags.get('wl-queries') ?? 100);
  const budgetMs = Number(ctx.flags.get('wl-budget-s') ?? 20) * 1000;
  const only = ctx.flags.get('wl-filters')?.split(',');
  const filters = Object.keys(WorklistFilters).filter((id) => !only || only.includes(id));
  const connection = await mongoose.createConnection(ctx.mongoUrl, { dbName: 'registration_office' }).asPromise();
  const cases = connection.db!.collection<CaseDocument>('cases');
  const profileDir = path.join(ctx.runDir, 'bench-profiles', `WL-${ctx.run}`);
  const profile = ctx.flags.has('profile');
  const { 'registration-office': office } = benchServices(ctx, ['registration-office'], {
    ...(profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` } : {}),
    OTEL_TRACES_EXPORTER: 'none',
    // Nothing may act on the seeded cases: no clock watch round, no outbox sweep during the run.
    CLOCK_WATCH_INTERVAL_MS: String(24 * 3_600_000),
    OUTBOX_SWEEP_INTERVAL_MS: String(24 * 3_600_000),
  });
  const leftOver = await removeSeeded(cases);
  let removed: { deleted: number; ms: number } | undefined;
  try {
    const othersInCollection = await cases.estimatedDocumentCount();
    // Built by the service's code (a few thousand distinct cases, each written under several codes).
    const distinct = Math.min(sizes.at(-1)!, Number(ctx.flags.get('wl-distinct') ?? 5_000));
    const factory = new BenchCaseFactory(ctx.root, new Date());
    const buildStart = performance.now();
    const built: Case[] = [];
    for (let i = 0; i < distinct; i += 1) built.push(await factory.build(i));
    const buildMs = Math.round(performance.now() - buildStart);

    await office!.start(120_000);
    const authorization = `Bearer ${devToken({ worker: 'bench-wl', branch: BenchBranch, roles: ['officer', 'approver', 'supervisor'] }, 3 * 3600)}`;
    const ask = async (params: Record<string, string>) => {
      const response = await fetch(`${office!.baseUrl}/v1/worklist?${new URLSearchParams(params).toString()}`, {
        headers: { authorization },
        signal: AbortSignal.timeout(300_000),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`worklist answered ${response.status}: ${text.slice(0, 200)}`);
      return JSON.parse(text) as { items: { dossierCode: string; dueAt: string }[]; nextCursor?: string };
    };
    const procs = {
      ...infrastructureProcesses(ctx.runDir),
      'registration-office': pidOf(office!),
      bench: process.pid,
    };

    const steps: Record<string, unknown>[] = [];
    const states: Record<string, number> = {};
    let seeded = 0;
    let bytes = 0;
    for (const size of sizes) {
      // Seed up to `size`: 50 per insertMany, one command at a time.
      const seedMeter = new ProcessMeter(procs);
      seedMeter.start();
      for (let from = seeded; from < size; from += batchSize) {
        const docs: CaseDocument[] = [];
        for (let i = from; i < Math.min(size, from + batchSize); i += 1) {
          docs.push(factory.document(built[i % distinct]!));
        }
        for (const d of docs) {
          states[d.state] = (states[d.state] ?? 0) + 1;
          bytes += Buffer.byteLength(JSON.stringify(d));
        }
        await cases.insertMany(docs, { ordered: true });
      }
      const seeding = seedMeter.stop();
      const added = size - seeded;
      seeded = size;
      process.stderr.write(`[bench]   WL ${size.toLocaleString('en-US')} seeded (${seeding.wallMs} ms)\n`);

      const firstPage = await ask({});
      if (firstPage.items.length === 0) throw new Error('the first page is empty: the seeded cases are not listed');
      const paramsOf = (id: string) =>
        id === 'cursor' ? { cursor: firstPage.nextCursor ?? '' } : WorklistFilters[id]!;
      const results: Record<string, FilterResult> = {};
      const queryMeter = new ProcessMeter(procs);
      queryMeter.start();
      for (const id of filters) {
        const meter = new ProcessMeter(procs);
        meter.start();
        const latencies: number[] = [];
        let items = -1;
        const started = performance.now();
        while (latencies.length < queries && (latencies.length === 0 || performance.now() - started < budgetMs)) {
          const t0 = performance.now();
          const page = await ask(paramsOf(id));
          latencies.push(performance.now() - t0);
          if (items < 0) items = page.items.length;
        }
        const usage = meter.stop();
        results[id] = {
          query: id === 'cursor' ? 'cursor=<second page of the first>' : new URLSearchParams(paramsOf(id)).toString(),
          latency: percentiles(latencies),
          itemsFirstAnswer: items,
          cpuMsPerQuery: Object.fromEntries(
            Object.entries(usage.cpuMs)
              .filter(([, ms]) => ms > 0)
              .map(([name, ms]) => [name, Math.round(ms / latencies.length)]),
          ),
        };
        process.stderr.write(
          `[bench]   WL ${size.toLocaleString('en-US')} ${id}: p95 ${results[id].latency.p95} ms over ${latencies.length}\n`,
        );
      }
      const querying = queryMeter.stop();
      const ferretCpu = querying.cpuMs['ferretdb'] ?? 0;
      // The repository's own query straight to the database, the same without its sort, and a lookup by _id.
      const filter = { branchCode: BenchBranch, open: true };
      const direct = {
        sortedFirstPageMs: await timed(() =>
          cases.find(filter, { projection: listProjection }).sort({ dueAt: 1, _id: 1 }).limit(26).toArray(),
        ),
        unsortedFirstPageMs: await timed(() => cases.find(filter, { projection: listProjection }).limit(26).toArray()),
        findByIdMs: await timed(() => cases.findOne({ _id: firstPage.items[0]!.dossierCode })),
      };
      steps.push({
        openCases: size,
        casesInCollection: size + othersInCollection,
        seeding: {
          added,
          wallMs: seeding.wallMs,
          docsPerSec: Math.round((added / seeding.wallMs) * 1000),
          cpuMs: seeding.cpuMs,
        },
        filters: results,
        queryCpuShare: Object.fromEntries(
          Object.entries(querying.cpuMs)
            .filter(([, ms]) => ms > 0)
            .map(([name, ms]) => [name, Math.round((ms / Math.max(1, querying.totalCpuMs)) * 100) / 100]),
        ),
        ferretdbCoresBusy: Math.round((ferretCpu / querying.wallMs) * 100) / 100,
        direct,
      });
    }
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
    removed = await removeSeeded(cases);
    await office!.stop();

    const last = steps.at(-1) as {
      openCases: number;
      filters: Record<string, FilterResult>;
      queryCpuShare: Record<string, number>;
      direct: { sortedFirstPageMs: number; unsortedFirstPageMs: number; findByIdMs: number };
    };
    const pushdown = explain as { filterPushdown?: boolean; sortPushdown?: boolean; limitPushdown?: boolean };
    const busiest = Object.entries(last.queryCpuShare).sort((a, b) => b[1] - a[1])[0];
    const worst = Math.max(...Object.values(last.filters).map((r) => r.latency.p95));
    const fewest = Math.min(...Object.values(last.filters).map((r) => r.latency.count));
    return {
      id: 'WL',
      title: `worklist query (GET /v1/worklist) with ${last.openCases.toLocaleString('en-US')} open cases of one branch on FerretDB, the issue's figure being 200,000`,
      headline: {
        value: worst,
        unit: `ms p95 (worst of ${filters.length} filters, ≥ ${fewest} ${fewest === 1 ? 'query' : 'queries'} each, ${last.openCases.toLocaleString('en-US')} cases)`,
      },
      verdict: {
        target: 'fast at 200,000 open cases (issue 5)',
        floor: 'p95 ≤ 500 ms (ours: the plan sets none)',
        floorHolds: worst <= 500,
      },
      figures: {
        sizes,
        queriesPerFilter: queries,
        budgetPerFilterMs: budgetMs,
        otherCasesInCollection: othersInCollection,
        seededStates: states,
        distinctCases: distinct,
        caseBuildMs: buildMs,
        averageDocumentBytes: Math.round(bytes / Math.max(1, seeded)),
        steps,
        explain,
        leftOverFromEarlierRun: leftOver.deleted,
        removed,
        ...(profile ? { serviceProfile: cpuProfileSummary(profileDir) } : {}),
      },
      notes: [
        "One query at a time (closed loop): the latency is the service time of one worker's request. A filter stops at --wl-queries answers or after --wl-budget-s seconds, whichever comes first (the count is in the figures).",
        'The service ran with tracing off and with its clock watch and outbox sweeper held off, so that nothing acted on the seeded cases.',
        `Where the time went at ${last.openCases.toLocaleString('en-US')} cases: ${busiest?.[0] ?? '?'} used ${Math.round((busiest?.[1] ?? 0) * 100)} % of the CPU of all processes while the queries ran, registration-office ${Math.round((last.queryCpuShare['registration-office'] ?? 0) * 100)} %; explain (FerretDB's, which does not report the ordered pushdown of ADR 0005 patch 4): filterPushdown ${String(pushdown.filterPushdown)}, sortPushdown ${String(pushdown.sortPushdown)}, limitPushdown ${String(pushdown.limitPushdown)}; the repository's query straight through the driver ${last.direct.sortedFirstPageMs} ms, without its sort ${last.direct.unsortedFirstPageMs} ms, a findOne by _id ${last.direct.findByIdMs} ms.`,
      ],
    };
  } finally {
    if (!removed) await removeSeeded(cases).catch(() => undefined);
    await Promise.allSettled([office!.stop(), connection.close()]);
  }
}
