import { decide, RateLimiter, type RateLimitDecision, type RateLimitPolicy } from '../application/rate-limiter';

/**
 * Fixed windows per client in this process: a window starts with a client's first request and lasts
 * `windowSeconds`. The fallback when Redis cannot answer, and the limiter of tests that need no Redis.
 */
export class InMemoryRateLimiter extends RateLimiter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(
    private readonly policy: RateLimitPolicy,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  override hit(clientId: string): Promise<RateLimitDecision> {
    const now = this.now();
    let window = this.windows.get(clientId);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + this.policy.windowSeconds * 1000 };
      this.windows.set(clientId, window);
      // Forget the windows that ended, so the map holds only active clients.
      if (this.windows.size > 10_000) {
        for (const [id, w] of this.windows) if (w.endsAt <= now) this.windows.delete(id);
      }
    }
    window.count += 1;
    return Promise.resolve(decide(this.policy, window.count, window.endsAt - now));
  }
}
