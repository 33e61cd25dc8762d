import { randomUUID } from 'node:crypto';
import { devToken } from '@lienthong/testing';
import type { Redis } from 'ioredis';
import { startIntakeHttpApp, type IntakeHttpApp } from '../../testing/intake-http-app';
import { RedisRateLimiter } from './redis-rate-limiter';

// The per-client budget in the real Redis, shared by two replicas of the HTTP app (each with its own connection):
// the limit holds across them, and another client is unaffected. With Redis unreachable each replica still limits.

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const now = new Date('2026-11-23T03:00:00Z');
const auth = (client: string) => ({ authorization: `Bearer ${devToken({ client, communes: ['22657'] })}` });

describe('RedisRateLimiter (real Redis, two replicas)', () => {
  const prefix = `it-rate-${randomUUID()}:`;
  const connections: Redis[] = [];
  let replicas: IntakeHttpApp[] = [];

  beforeAll(async () => {
    replicas = await Promise.all(
      [0, 1].map(async () => {
        const redis = RedisRateLimiter.connect(redisUrl);
        connections.push(redis);
        // Until its connection is ready a replica counts in its own memory (the fallback); the test needs Redis.
        if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
        return startIntakeHttpApp(now, {
          rateLimiter: new RedisRateLimiter(redis, { requests: 3, windowSeconds: 30 }, prefix),
        });
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    const keys = await connections[0]?.keys(`${prefix}*`);
    if (keys?.length) await connections[0]!.del(...keys);
    for (const c of connections) c.disconnect();
  });

  it('holds one budget per client across replicas: 429 with Retry-After, another client unaffected', async () => {
    const [one, two] = replicas as [IntakeHttpApp, IntakeHttpApp];
    const a = auth(`a-${randomUUID()}`);
    const statuses = [];
    for (const replica of [one, two, one]) {
      statuses.push((await fetch(`${replica.baseUrl}/v1/dossiers`, { headers: a })).status);
    }
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await fetch(`${two.baseUrl}/v1/dossiers`, { headers: a });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(refused.headers.get('ratelimit-policy')).toBe('"per-client";q=3;w=30');
    expect(((await refused.json()) as { status: number }).status).toBe(429);

    const b = await fetch(`${one.baseUrl}/v1/dossiers`, { headers: auth(`b-${randomUUID()}`) });
    expect(b.status).toBe(200);
    expect(b.headers.get('ratelimit')).toMatch(/^"per-client";r=2;t=(29|30)$/);
  });

  it('keeps limiting per replica, without delaying requests, while Redis is unreachable', async () => {
    const unreachable = RedisRateLimiter.connect('redis://127.0.0.1:1');
    const limiter = new RedisRateLimiter(unreachable, { requests: 2, windowSeconds: 30 }, prefix);
    try {
      const started = Date.now();
      const decisions = [];
      for (let i = 0; i < 3; i += 1) decisions.push(await limiter.hit('c'));
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      unreachable.disconnect();
    }
  });
});
