import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DossierIntakeEnv } from '../config/dossier-intake.env';
import { NoRateLimit, RateLimiter } from './application/rate-limiter';
import { ClientRateLimitGuard } from './entrypoints/http/client-rate-limit.guard';
import { RedisRateLimiter } from './infrastructure/redis-rate-limiter';

const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');

/** Drops the limiter's Redis connection at shutdown (without waiting for an unreachable Redis). */
@Injectable()
class RateLimitRedisCloser implements OnApplicationShutdown {
  constructor(@Inject(RATE_LIMIT_REDIS) private readonly redis: Redis | null) {}

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}

/**
 * The per-client request budget of every client endpoint (RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW_SECONDS),
 * counted in Redis so that it holds across replicas. Global: each feature module's controllers use the guard.
 */
@Global()
@Module({
  providers: [
    {
      provide: RATE_LIMIT_REDIS,
      useFactory: (env: DossierIntakeEnv): Redis | null =>
        env.RATE_LIMIT_REQUESTS > 0 ? RedisRateLimiter.connect(env.REDIS_URL) : null,
      inject: [DossierIntakeEnv],
    },
    RateLimitRedisCloser,
    {
      provide: RateLimiter,
      useFactory: (env: DossierIntakeEnv, redis: Redis | null): RateLimiter =>
        redis
          ? new RedisRateLimiter(redis, {
              requests: env.RATE_LIMIT_REQUESTS,
              windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
            })
          : new NoRateLimit(),
      inject: [DossierIntakeEnv, RATE_LIMIT_REDIS],
    },
    ClientRateLimitGuard,
  ],
  exports: [RateLimiter, ClientRateLimitGuard],
})
export class RateLimitModule {}
