import 'reflect-metadata';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { loadConfig } from '@lienthong/config';
import { SystemClock } from '@lienthong/kernel';
import { connectMongo } from '@lienthong/persistence';
import { PopulationMatchingEnv } from '../config/population-matching.env';
import { loggedLookup } from '../match/application/logged-lookup';
import { defaultThresholds } from '../match/domain/matching/person-match';
import { MongoLookupLog } from '../match/infrastructure/mongo/mongo-verification-request.repository';
import { BullmqLookupQueue, CampaignLookupQueueName } from '../match/infrastructure/queue/bullmq-lookup-queue';
import { loadIdPrefixes } from '../match/infrastructure/reference-data/id-prefixes';
import { HttpPopulationRegistry } from '../match/infrastructure/registry/http-population-registry';
import { runCampaign, writeReport } from './campaign-runner';
import { readState } from './campaign-state';

const usage = `Bulk matching of land-user records against the population registry.

  npm run -s campaign -- run <records.csv|records.ndjson> --out <dir> [--batch 100] [--in-flight 8]
  npm run -s campaign -- report <dir>

CSV needs a header (recordId, communeCode, mapSheetNumber, parcelNumber, fullName, personalIdNumber, dateOfBirth,
gender; Vietnamese column names such as HoVaTen, SoDinhDanh, NgaySinh work too); NDJSON one object per line.
Running again with the same file and --out resumes where the last run stopped. Results: <dir>/results.ndjson
(numbers masked), checkpoint <dir>/state.json, report <dir>/report.txt and report.json.
Environment: REGISTRY_URL, CAMPAIGN_QUOTA (requests per REGISTRY_QUOTA_WINDOW_MS for the campaign), REDIS_URL,
MONGO_URL (lookup log), REFERENCE_DATA_ROOT.
`;

function flag(args: string[], name: string, fallback?: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim() !== '') n += 1;
  return file.toLowerCase().endsWith('.csv') ? Math.max(0, n - 1) : n;
}

function bar(done: number, total: number | undefined, startedAt: number, doneAtStart: number, extra: string): string {
  const width = 30;
  const ratio = total ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  const seconds = (Date.now() - startedAt) / 1000;
  const rate = seconds > 0 ? (done - doneAtStart) / seconds : 0;
  const eta = total && rate > 0 ? `${Math.ceil((total - done) / rate)} s` : '?';
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(1).padStart(5)} % ${done.toLocaleString('en-US')}/${total?.toLocaleString('en-US') ?? '?'} ${Math.round(rate).toLocaleString('en-US')} rec/s ETA ${eta} ${extra}   `;
}

async function run(args: string[]): Promise<void> {
  const input = args[0];
  const outDir = flag(args, 'out');
  if (!input || !outDir) throw new Error(usage);
  const batchSize = Number(flag(args, 'batch', '100'));
  const inFlightBatches = Number(flag(args, 'in-flight', '8'));
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100) throw new Error('--batch must be 1..100');
  if (!Number.isInteger(inFlightBatches) || inFlightBatches < 1 || inFlightBatches > 64) {
    throw new Error('--in-flight must be 1..64');
  }
  const env = loadConfig(PopulationMatchingEnv);
  const clock = new SystemClock();
  const mongo = await connectMongo({ url: env.MONGO_URL, dbName: 'population_matching' });
  const log = new MongoLookupLog(mongo);
  const registry = new HttpPopulationRegistry({
    baseUrl: env.REGISTRY_URL,
    timeoutMs: env.REGISTRY_TIMEOUT_MS,
    integrationId: env.REGISTRY_INTEGRATION_ID,
    serviceCode: env.REGISTRY_SERVICE_CODE,
  });
  const queue = new BullmqLookupQueue(
    {
      queueName: CampaignLookupQueueName,
      redisUrl: env.REDIS_URL,
      prefix: env.LOOKUP_QUEUE_PREFIX,
      quota: env.CAMPAIGN_QUOTA,
      quotaWindowMs: env.REGISTRY_QUOTA_WINDOW_MS,
      guardMs: env.REGISTRY_RATE_GUARD_MS,
      concurrency: inFlightBatches,
      breaker: {
        failureThreshold: env.BREAKER_FAILURES,
        openMs: env.BREAKER_OPEN_MS,
        maxOpenMs: env.BREAKER_MAX_OPEN_MS,
      },
      retryMs: env.REGISTRY_RETRY_MS,
      work: true,
    },
    {
      verify: () => Promise.reject(new Error('the campaign queue carries batch lookups only')),
    },
    loggedLookup(registry, log, clock),
  );
  queue.onApplicationBootstrap();
  const total = await countLines(input);
  const before = readState(outDir);
  const startedAt = Date.now();
  const doneAtStart = before?.processed ?? 0;
  if (before)
    process.stderr.write(`resuming ${before.campaignId} at record ${before.processed.toLocaleString('en-US')}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write('\ninterrupted: the next run resumes from the last checkpoint\n');
    process.exit(130);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    const state = await runCampaign({
      input,
      outDir,
      batchSize,
      inFlight: inFlightBatches,
      prefixes: loadIdPrefixes(path.resolve(env.REFERENCE_DATA_ROOT)),
      thresholds: {
        ...defaultThresholds,
        matched: env.MATCH_THRESHOLD,
        review: env.REVIEW_THRESHOLD,
        deceasedNeedsReview: env.DECEASED_NEEDS_REVIEW === 'true',
      },
      caller: 'population-matching-campaign',
      totalRecords: total,
      lookup: (jobId, queries, purpose) => queue.lookupBatch(jobId, queries, purpose),
      onProgress: (s, t) => {
        const matched = s.counts.records > 0 ? ((100 * s.counts.matched) / s.counts.records).toFixed(1) : '0.0';
        process.stderr.write(bar(s.processed, t, startedAt, doneAtStart, `matched ${matched} %`));
      },
    });
    process.stderr.write('\n');
    process.stdout.write(writeReport(outDir, state));
  } finally {
    await queue.onApplicationShutdown();
    await mongo.close();
  }
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'run') return run(args);
  if (command === 'report') {
    const dir = args[0];
    if (!dir) throw new Error(usage);
    const state = readState(dir);
    if (!state) throw new Error(`no campaign in ${dir}`);
    process.stdout.write(state.done ? readFileSync(path.join(dir, 'report.txt'), 'utf8') : writeReport(dir, state));
    return;
  }
  process.stdout.write(usage);
  if (command !== undefined && command !== 'help' && command !== '--help') process.exitCode = 2;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
