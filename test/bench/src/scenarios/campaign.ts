import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import mongoose from 'mongoose';
import { freePort, waitFor } from '@lienthong/testing';
// The queue's name comes from the service, so the benchmark removes exactly the campaign's jobs afterwards.
/* eslint-disable @nx/enforce-module-boundaries */
import { CampaignLookupQueueName } from '../../../../services/population-matching/src/match/infrastructure/queue/bullmq-lookup-queue';
/* eslint-enable @nx/enforce-module-boundaries */
import { sized, type BenchContext, type BenchRecord } from '../context';
import { cpuProfileSummary, infrastructureProcesses, ProcessMeter } from '../measure';

// S4: bulk identity matching through population-matching's campaign command (services/population-matching README,
// "Bulk campaign"), as an operator runs it: a land-user file from the sandbox registry's /admin/land-records, then
// `campaign run <file> --out <dir>` as its own process (BullMQ campaign queue → registry batch requests of 100 →
// lookup log in FerretDB → verdicts → results file and checkpoint after every batch). The registry is a sandbox of
// this run's own with no added latency and no quota, and the campaign's quota is set to the most its limiter allows
// (one request per millisecond), so what is measured is our path, not a quota. R4 = S4 ÷ X1 (one process).

/** The plan's size; a full run is the default only where it finishes in reasonable time (test/bench/README.md). */
export const PlanRecords = 1_850_000;
const defaultRecords = Number(process.env['BENCH_S4_RECORDS'] ?? PlanRecords);

function pidOfChild(child: { pid?: number }): number {
  return child.pid ?? -1;
}

export async function campaignScenario(ctx: BenchContext, x1?: BenchRecord): Promise<BenchRecord> {
  const count = sized(ctx, Number(ctx.flags.get('s4-records') ?? defaultRecords), 10_000);
  const inFlight = Number(ctx.flags.get('s4-in-flight') ?? 16);
  const dir = path.join(ctx.runDir, 'bench-s4', ctx.run);
  const file = path.join(dir, 'records.csv');
  const out = path.join(dir, 'out');
  const profileDir = path.join(ctx.runDir, 'bench-profiles', `S4-${ctx.run}`);
  const profile = ctx.flags.has('profile');
  const prefix = `bench-s4-${ctx.run}`;
  let registry: Awaited<ReturnType<typeof startRegistry>> | undefined;
  let campaignId: string | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    registry = await startRegistry(ctx);
    const downloadStart = performance.now();
    const response = await fetch(`${registry.url}/admin/land-records?count=${count}&format=csv`);
    if (response.status !== 200 || !response.body) throw new Error(`land records answered ${response.status}`);
    await pipeline(Readable.fromWeb(response.body as never), createWriteStream(file));
    const downloadMs = Math.round(performance.now() - downloadStart);

    const entry = path.join(ctx.root, 'dist/services/population-matching/src/campaign/cli.js');
    const nodeArgs = ['--enable-source-maps', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
    const child = spawn(
      process.execPath,
      [...nodeArgs, entry, 'run', file, '--out', out, '--in-flight', String(inFlight)],
      {
        cwd: ctx.root,
        env: {
          LIENTHONG_ENV: 'development',
          ...process.env,
          REGISTRY_URL: registry.url,
          CAMPAIGN_QUOTA: '10000',
          REGISTRY_QUOTA_WINDOW_MS: '1000',
          REGISTRY_RATE_GUARD_MS: '0',
          LOOKUP_QUEUE_PREFIX: prefix,
          MONGO_URL: ctx.mongoUrl,
          REDIS_URL: ctx.redisUrl,
          REFERENCE_DATA_ROOT: ctx.root,
          LOG_LEVEL: 'warn',
          OTEL_TRACES_EXPORTER: 'none',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
    child.stderr.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
    const meter = new ProcessMeter({
      ...infrastructureProcesses(ctx.runDir),
      'population-registry (own)': registry.pid,
      campaign: pidOfChild(child),
      bench: process.pid,
    });
    meter.start();
    const limitMs = Number(ctx.flags.get('s4-limit-s') ?? 1200) * 1000;
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    const usage = meter.stop();
    if (code !== 0) throw new Error(`campaign exited with ${code} (limit ${limitMs / 1000} s): ${output.slice(-2000)}`);
    const state = JSON.parse(readFileSync(path.join(out, 'state.json'), 'utf8')) as {
      campaignId: string;
      elapsedMs: number;
      processed: number;
    };
    campaignId = state.campaignId;
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Record<string, unknown>;
    const counters = (await (await fetch(`${registry.url}/admin/counters`)).json()) as Record<string, unknown>;
    const perSec = Math.round((count / usage.wallMs) * 1000);
    const x1PerCore = x1?.headline?.value;
    const r4 = x1PerCore ? Math.round((perSec / x1PerCore) * 1000) / 1000 : undefined;
    const cores = Object.fromEntries(
      Object.entries(usage.cpuMs).map(([name, ms]) => [name, Math.round((ms / usage.wallMs) * 100) / 100]),
    );
    return {
      id: 'S4',
      title: `bulk matching of ${count.toLocaleString('en-US')} land-user records through the campaign command against the sandbox registry (no added latency), the plan's size being ${PlanRecords.toLocaleString('en-US')}`,
      headline: { value: perSec, unit: 'records/s' },
      ...(r4 !== undefined
        ? { ratio: { name: 'R4', baseline: 'X1 records/s per core, same run (one campaign process)', value: r4 } }
        : {}),
      verdict: { target: '≥ 15,000 records/s; R4 ≥ 0.3', floor: '≥ 6,000 records/s', floorHolds: perSec >= 6000 },
      cpuMsPerDossier: Math.round((usage.totalCpuMs / count) * 1000) / 1000,
      processes: usage,
      figures: {
        records: count,
        inFlight,
        wallMs: usage.wallMs,
        perSec,
        campaignReportedMs: state.elapsedMs,
        campaignReportedPerSec: Math.round((count / state.elapsedMs) * 1000),
        fileDownloadMs: downloadMs,
        coresBusy: cores,
        registry: counters,
        report,
        ...(profile ? { campaignProfile: cpuProfileSummary(profileDir) } : {}),
      },
      notes: [
        `Cores busy during the run: ${Object.entries(cores)
          .filter(([, c]) => c >= 0.01)
          .sort((a, b) => b[1] - a[1])
          .map(([name, c]) => `${name} ${c}`)
          .join(', ')} (the campaign is one Node process: at 1.0 it is CPU-bound; --profile says on what).`,
        `Measured at ${count.toLocaleString('en-US')} records: a figure at another size is not extrapolated from it. CPU-ms per dossier is per record here (all processes).`,
      ],
    };
  } finally {
    await cleanUp(ctx, prefix, campaignId).catch((e: unknown) =>
      process.stderr.write(`[bench]   S4 clean-up: ${String(e)}\n`),
    );
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A population registry sandbox of this run's own: no added latency, no quota (the sandbox's defaults otherwise). */
async function startRegistry(ctx: BenchContext): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [path.join(ctx.root, 'dist/deploy/sandboxes/population-registry/src/main.js')],
    {
      cwd: ctx.root,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        REGISTRY_LATENCY_MS: '0',
        REGISTRY_LATENCY_JITTER_MS: '0',
        REGISTRY_QUOTA: '0',
      },
      stdio: 'ignore',
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`the registry sandbox exited with ${child.exitCode}`);
      return (await fetch(`${url}/health`).catch(() => undefined))?.status === 200;
    },
    { timeoutMs: 20_000, intervalMs: 100, description: `the registry sandbox on ${port}` },
  );
  return {
    url,
    pid: child.pid ?? -1,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Removes what the run left: its BullMQ queue (answers are kept in Redis) and its entries of the lookup log. */
async function cleanUp(ctx: BenchContext, prefix: string, campaignId: string | undefined): Promise<void> {
  const connection = new IORedis(ctx.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(CampaignLookupQueueName, { connection, prefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
    connection.disconnect();
  }
  if (!campaignId) return;
  const db = await mongoose.createConnection(ctx.mongoUrl, { dbName: 'population_matching' }).asPromise();
  try {
    await db.db!.collection('registry_lookups').deleteMany({ purpose: { $regex: `^${campaignId}#` } });
  } finally {
    await db.close();
  }
}
