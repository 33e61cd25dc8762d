/** What the limiter decided for one request of one client. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Requests a client may make in one window. */
  limit: number;
  /** Requests left in the current window after this one (0 when refused). */
  remaining: number;
  /** Seconds until the current window ends and the client may send again. */
  resetSeconds: number;
  /** Window length in seconds. */
  windowSeconds: number;
}

/** A request budget per client and fixed window (port). */
export abstract class RateLimiter {
  /**
   * Counts one request of `clientId` and says whether it is within the client's budget; undefined when no limit is
   * in force (RATE_LIMIT_REQUESTS=0).
   */
  abstract hit(clientId: string): Promise<RateLimitDecision | undefined>;
}

/** No limit (RATE_LIMIT_REQUESTS=0). */
export class NoRateLimit extends RateLimiter {
  override hit(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
}

/** The per-client budget: `requests` per `windowSeconds`; `requests` 0 switches limiting off. */
export interface RateLimitPolicy {
  requests: number;
  windowSeconds: number;
}

/** The decision for the `count`-th request of a window that ends in `ttlMs`. */
export function decide(policy: RateLimitPolicy, count: number, ttlMs: number): RateLimitDecision {
  const allowed = count <= policy.requests;
  return {
    allowed,
    limit: policy.requests,
    remaining: Math.max(0, policy.requests - count),
    resetSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
    windowSeconds: policy.windowSeconds,
  };
}
