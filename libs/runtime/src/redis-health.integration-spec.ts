import { RedisHealth } from './redis-health';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('RedisHealth (real Redis)', () => {
  it('answers with the ping latency', async () => {
    const health = new RedisHealth(redisUrl);
    await expect(health.check(2_000)).resolves.toBeGreaterThanOrEqual(0);
    await health.close();
  });

  it('reports an unreachable Redis as down instead of waiting', async () => {
    const health = new RedisHealth('redis://127.0.0.1:1');
    await expect(health.check(1_000)).rejects.toThrow();
    await health.close();
  });
});
