import { Redis } from 'ioredis';
import type { DependencyCheck } from './health';

/**
 * Readiness check for Redis with its own small connection: no offline queue, so a ping while Redis is down fails at
 * once instead of waiting for a reconnect.
 */
export class RedisHealth implements DependencyCheck {
  readonly name = 'redis';
  private readonly client: Redis;

  constructor(url: string) {
    this.client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    // Connection errors surface through check(); without a listener ioredis would print each one.
    this.client.on('error', () => undefined);
  }

  async check(timeoutMs: number): Promise<number> {
    const started = performance.now();
    if (this.client.status === 'wait' || this.client.status === 'end') await this.client.connect();
    let timer: NodeJS.Timeout | undefined;
    try {
      const pong = await Promise.race([
        this.client.ping(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`redis did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      if (pong !== 'PONG') throw new Error(`unexpected redis answer ${String(pong)}`);
    } finally {
      clearTimeout(timer);
    }
    return Math.round(performance.now() - started);
  }

  async close(): Promise<void> {
    this.client.disconnect();
    return Promise.resolve();
  }
}
