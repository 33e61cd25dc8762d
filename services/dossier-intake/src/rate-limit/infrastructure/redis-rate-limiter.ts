import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { decide, RateLimiter, type RateLimitDecision, type RateLimitPolicy } from '../application/rate-limiter';
import { InMemoryRateLimiter } from './in-memory-rate-limiter';

// One counter per client and window, shared by every replica: the first request of a window creates the key with
// the window's expiry, later ones increment it; the script answers the count and the time left, atomically.
const hitScript = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

type HitCommand = (key: string, windowMs: number) => Promise<[number, number]>;

/**
 * The per-client budget held in Redis, so that it holds across all replicas of the service. When Redis does not
 * answer within `commandTimeoutMs` (down, or unreachable), each replica falls back to its own in-process windows
 * with the same budget, so intake neither stops accepting dossiers nor stops limiting; a warning is logged at
 * most once a minute.
 */
export class RedisRateLimiter extends RateLimiter {
  private readonly logger = new Logger('RateLimit');
  private readonly fallback: InMemoryRateLimiter;
  private lastWarning = 0;

  constructor(
    private readonly redis: Redis,
    private readonly policy: RateLimitPolicy,
    private readonly keyPrefix = 'dossier-intake:rate:',
  ) {
    super();
    this.fallback = new InMemoryRateLimiter(policy);
    redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: hitScript });
  }

  /** A client for the limiter: no offline queue and a short command timeout, so a missing Redis fails fast. */
  static connect(url: string, commandTimeoutMs = 250): Redis {
    const redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: commandTimeoutMs,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    // Failures surface as failed commands (and the fallback); without a listener ioredis would print each one.
    redis.on('error', () => undefined);
    return redis;
  }

  override async hit(clientId: string): Promise<RateLimitDecision> {
    const windowMs = this.policy.windowSeconds * 1000;
    try {
      const command = (this.redis as unknown as { rateLimitHit: HitCommand }).rateLimitHit.bind(this.redis);
      const [count, ttl] = await command(`${this.keyPrefix}${clientId}`, windowMs);
      return decide(this.policy, Number(count), Number(ttl));
    } catch (error) {
      if (Date.now() - this.lastWarning > 60_000) {
        this.lastWarning = Date.now();
        this.logger.warn(`Redis did not answer (${String(error)}); limiting per process until it does`);
      }
      return this.fallback.hit(clientId);
    }
  }
}
