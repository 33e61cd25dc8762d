import { startSandbox, type SandboxProcess } from '@lienthong/testing';
import { Redis } from 'ioredis';
import { HttpPopulationRegistry } from '../registry/http-population-registry';
import { BullmqLookupQueue, CampaignLookupQueueName, requestSpacingMs } from './bullmq-lookup-queue';

// Two queue instances (two processes of the service, as far as Redis is concerned) work one queue at full speed
// against the sandbox's quota: the global limiter keeps every window of the registry within the quota, and throttling
// answers (429 + Retry-After) are waited out without losing a batch. Real Redis, real sandbox.

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `it-quota-${Date.now().toString(36)}`;
const quota = 10;

interface Counters {
  received: number;
  overQuota: number;
  throttled: number;
  maxInWindow: number;
  answered: number;
}

describe('registry lookup queue under load', () => {
  let sandbox: SandboxProcess;
  const queues: BullmqLookupQueue[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox('population-registry', {
      REGISTRY_QUOTA: String(quota),
      REGISTRY_LATENCY_MS: '20',
      REGISTRY_LATENCY_JITTER_MS: '20',
      REGISTRY_THROTTLE_RATE: '0.2',
      REGISTRY_RETRY_AFTER_S: '1',
    });
    const registry = new HttpPopulationRegistry({
      baseUrl: sandbox.url,
      timeoutMs: 2000,
      integrationId: 'it',
      serviceCode: 'it',
    });
    for (let i = 0; i < 2; i += 1) {
      const queue = new BullmqLookupQueue(
        {
          queueName: CampaignLookupQueueName,
          redisUrl,
          prefix,
          quota,
          quotaWindowMs: 1000,
          guardMs: 5,
          concurrency: 4,
          breaker: { failureThreshold: 3, openMs: 500, maxOpenMs: 2000 },
          retryMs: 200,
          work: true,
        },
        { verify: () => Promise.reject(new Error('batch jobs only')) },
        (queries, purpose) => registry.lookup(queries, purpose),
      );
      queue.onApplicationBootstrap();
      queues.push(queue);
    }
  });

  afterAll(async () => {
    for (const queue of queues) await queue.onApplicationShutdown();
    await sandbox?.stop();
    const redis = new Redis(redisUrl);
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
    redis.disconnect();
  });

  it('never exceeds the quota in any window and answers every batch despite 429s', async () => {
    const batches = 60;
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: batches }, (_, b) =>
        queues[b % 2]!.lookupBatch(`${prefix}-batch-${b}`, [{ requestId: 'q', personalIdNumber: '056080001234' }], {
          purpose: `it#${b}`,
          caller: 'it',
        }),
      ),
    );
    const elapsedMs = Date.now() - started;
    const counters = (await (await fetch(`${sandbox.url}/admin/counters`)).json()) as Counters;
    process.stdout.write(
      `lookup queue: ${batches} batches in ${elapsedMs} ms through 2 queue instances; registry received ` +
        `${counters.received}, throttled ${counters.throttled}, max ${counters.maxInWindow} in a window (quota ` +
        `${quota}), over quota ${counters.overQuota}\n`,
    );
    expect(answers).toHaveLength(batches);
    expect(answers.every((a) => a.length === 1 && a[0]!.requestId === 'q')).toBe(true);
    expect(counters.throttled).toBeGreaterThan(0);
    expect(counters.overQuota).toBe(0);
    expect(counters.maxInWindow).toBeLessThanOrEqual(quota);
    // The limiter spaces requests: the registry's answers alone took at least (requests − 1) spacings.
    expect(elapsedMs).toBeGreaterThanOrEqual((counters.received - 1) * requestSpacingMs(quota, 1000, 0) * 0.9);
  }, 120_000);
});
