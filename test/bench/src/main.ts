import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { httpBaseline } from './baselines/http';
import { kafkaBaselines } from './baselines/kafka';
import { mongoBaselines } from './baselines/mongo';
import { nestKafkaBaseline } from './baselines/nest-kafka';
import { benchContext, type BenchContext, type BenchRecord } from './context';
import { foreignLoad, machineInfo } from './measure';
import { addDerivedRatios } from './ratios';
import { summaryMarkdown } from './report';
import { matchingBaseline } from './baselines/matching';
import { backlogScenario } from './scenarios/backlog';
import { backlogCasesScenario } from './scenarios/backlog-cases';
import { campaignScenario } from './scenarios/campaign';
import { jobScenarios } from './scenarios/jobs';
import { lagRecoveryScenario } from './scenarios/lag';
import { ingestScenarios, onlineScenario } from './scenarios/online';
import { worklistScenario } from './scenarios/worklist';

// `npm run bench [-- --quick] [-- --only=K2,S2] [-- --s4-records=N --wl-filters=first,overdue --profile ...]`:
// calibration baselines and our scenarios back to back on this host, results in test/bench/results/<timestamp>.json
// and .md (and latest.md). Not a test: nothing here asserts. Options: test/bench/README.md.

/** A step runs one or more scenarios; `wanted` tells which of its ids were asked for (all without `--only`). */
type Step = { ids: string[]; run: (ctx: BenchContext, wanted: (id: string) => boolean) => Promise<BenchRecord[]> };

const steps: Step[] = [
  { ids: ['K2a', 'K2b', 'K2c'], run: kafkaBaselines },
  { ids: ['K3'], run: async (ctx) => [await nestKafkaBaseline(ctx)] },
  { ids: ['M1', 'M2'], run: mongoBaselines },
  { ids: ['Q1', 'S5'], run: jobScenarios },
  { ids: ['H1'], run: async (ctx) => [await httpBaseline(ctx)] },
  { ids: ['S2', 'O1'], run: ingestScenarios },
  { ids: ['S1'], run: async (ctx) => [await onlineScenario(ctx, [5, 10, 25, 50, 100])] },
  { ids: ['LAG'], run: async (ctx) => [await lagRecoveryScenario(ctx, 5)] },
  { ids: ['S3'], run: async (ctx) => [await backlogScenario(ctx)] },
  { ids: ['S3C'], run: async (ctx) => [await backlogCasesScenario(ctx)] },
  {
    // S4's ratio needs X1 of the same run, so X1 runs whenever S4 does.
    ids: ['X1', 'S4'],
    run: async (ctx, wanted) => {
      const x1 = matchingBaseline(ctx);
      if (!wanted('S4')) return [x1];
      const s4 = await campaignScenario(ctx, x1).catch((error: unknown): BenchRecord => ({
        id: 'S4',
        title: 'failed',
        figures: { error: String((error as Error).stack ?? error) },
      }));
      return [x1, s4];
    },
  },
  { ids: ['WL'], run: async (ctx) => [await worklistScenario(ctx)] },
];

function version(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { timeout: 10_000 }).toString().trim().split('\n')[0]!;
  } catch {
    return 'unknown';
  }
}

/**
 * `--summarize=<results .json>`: adds the ratios derived from the run's own records (ratios.ts) to a results file
 * written before they were computed, and writes its summary again; measures nothing.
 */
function summarize(file: string): void {
  const run = JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof summaryMarkdown>[0] & {
    records: BenchRecord[];
  };
  addDerivedRatios(run.records);
  for (const r of run.records.filter((x) => ['S1', 'S3'].includes(x.id) && x.ratio)) {
    r.notes = [...(r.notes ?? []), `${r.ratio!.name} computed afterwards from this run's own records (--summarize).`];
  }
  writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  writeFileSync(file.replace(/\.json$/, '.md'), summaryMarkdown(run, run.records));
  process.stdout.write(`summary written again: ${file.replace(/\.json$/, '.md')}\n`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const toSummarize = args.find((a) => a.startsWith('--summarize='))?.slice('--summarize='.length);
  if (toSummarize) return summarize(toSummarize);
  const quick = args.includes('--quick');
  const only = args
    .find((a) => a.startsWith('--only='))
    ?.slice(7)
    .split(',');
  const flags = new Map(
    args
      .filter((a) => a.startsWith('--') && a !== '--quick' && !a.startsWith('--only='))
      .map((a) => {
        const [key, ...value] = a.slice(2).split('=');
        return [key!, value.join('=')] as const;
      }),
  );
  const ctx = benchContext(quick, flags);
  const startedAt = new Date().toISOString();
  const meta = {
    startedAt,
    quick,
    machine: machineInfo({
      kafka: process.env['LT_KAFKA_VERSION'] ?? 'unknown',
      database: `FerretDB ${process.env['LT_FERRETDB_VERSION'] ?? ''} (SQLite)`.trim(),
      redis: /v=([\d.]+)/.exec(version('redis-server', ['--version']))?.[1] ?? 'unknown',
    }),
    foreignLoadBefore: await foreignLoad([process.pid]),
  };
  const records: BenchRecord[] = [];
  for (const step of steps) {
    if (only && !step.ids.some((id) => only.includes(id))) continue;
    const t0 = Date.now();
    process.stderr.write(`[bench] ${step.ids.join(', ')} ...\n`);
    try {
      const produced = await step.run(ctx, (id) => !only || only.includes(id));
      records.push(...produced);
      for (const r of produced)
        process.stderr.write(
          `[bench]   ${r.id}: ${r.headline ? `${r.headline.value} ${r.headline.unit}` : ''}${r.ratio ? `, ${r.ratio.name} = ${r.ratio.value}` : ''}\n`,
        );
    } catch (error) {
      records.push({
        id: step.ids.join('/'),
        title: 'failed',
        figures: { error: String((error as Error).stack ?? error) },
      });
      process.stderr.write(`[bench]   failed: ${String(error)}\n`);
    }
    process.stderr.write(`[bench]   (${Math.round((Date.now() - t0) / 1000)} s)\n`);
  }
  const dir = path.join(ctx.root, 'test/bench/results');
  mkdirSync(dir, { recursive: true });
  const stamp = startedAt.replace(/[:.]/g, '-');
  addDerivedRatios(records);
  const summary = summaryMarkdown(meta, records);
  writeFileSync(path.join(dir, `${stamp}.json`), `${JSON.stringify({ ...meta, records }, null, 2)}\n`);
  writeFileSync(path.join(dir, `${stamp}.md`), summary);
  writeFileSync(path.join(dir, 'latest.md'), summary);
  process.stdout.write(`${summary}\nresults: test/bench/results/${stamp}.json\n`);
  process.exit(0);
}

void main();
