import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Queue, Worker, type Processor } from 'bullmq';
import IORedis from 'ioredis';
import { sized, type BenchContext, type BenchRecord } from '../context';

// Q1: Redis itself (redis-benchmark) and BullMQ with no-op jobs: added in bulks of 50, drained by one worker with
// concurrency 100 (the shape of bullmq-bench's queue-add-bulk and worker-concurrent).

/** Adds `count` jobs in bulks of 50, then drains them with `processor`; returns add and process rates. */
export async function bullmqRun(
  ctx: BenchContext,
  name: string,
  count: number,
  processor: Processor,
): Promise<{ addPerSec: number; processPerSec: number }> {
  const connection = new IORedis(ctx.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection });
  try {
    const t0 = performance.now();
    for (let s = 0; s < count; s += 50) {
      await queue.addBulk(
        Array.from({ length: Math.min(50, count - s) }, (_, j) => ({
          name: 'noop',
          data: { i: s + j },
          opts: { jobId: `${name}-${s + j}`, removeOnComplete: true },
        })),
      );
    }
    const addMs = performance.now() - t0;
    let processed = 0;
    let finish: () => void = () => undefined;
    const drained = new Promise<void>((resolve) => (finish = resolve));
    const t1 = performance.now();
    const worker = new Worker(
      name,
      async (job, token) => {
        await processor(job, token);
        if (++processed === count) finish();
      },
      { connection: new IORedis(ctx.redisUrl, { maxRetriesPerRequest: null }), concurrency: 100 },
    );
    await drained;
    const processMs = performance.now() - t1;
    await worker.close();
    return { addPerSec: Math.round(count / (addMs / 1000)), processPerSec: Math.round(count / (processMs / 1000)) };
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    connection.disconnect();
  }
}

export async function bullmqBaseline(ctx: BenchContext): Promise<BenchRecord> {
  const port = new URL(ctx.redisUrl).port || '6379';
  const { stdout } = await promisify(execFile)(
    'redis-benchmark',
    ['-h', '127.0.0.1', '-p', port, '-q', '-n', String(sized(ctx, 100000, 10000)), '-t', 'set,get,lpush'],
    {
      timeout: 120_000,
    },
  );
  const redis = Object.fromEntries(
    stdout
      .split(/\r|\n/)
      .map((line) => /^(\w+): ([\d.]+) requests per second/.exec(line.trim()))
      .flatMap((m) => (m ? [[m[1]!, Number(m[2])]] : [])),
  );
  const count = sized(ctx, 20000, 1000);
  const bull = await bullmqRun(ctx, `bench.${ctx.run}.q1`, count, () => Promise.resolve());
  return {
    id: 'Q1',
    title: 'Redis (redis-benchmark) and BullMQ no-op jobs (bulk add of 50, worker concurrency 100)',
    headline: { value: bull.processPerSec, unit: 'jobs/s (worker-concurrent)' },
    figures: { redisRequestsPerSec: redis, bullmq: { ...bull, count } },
  };
}
