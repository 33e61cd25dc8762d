/**
 * A circuit breaker around the population registry. Closed: requests pass. After `failureThreshold` consecutive
 * failures it opens for `openMs` (doubling on each failed trial, up to `maxOpenMs`); then one trial request is let
 * through (half-open): success closes it, failure opens it again. Throttling (429) is not a failure: the registry
 * answered. Pure TypeScript; time comes from the caller.
 */
export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface BreakerOptions {
  failureThreshold: number;
  openMs: number;
  maxOpenMs: number;
}

export class CircuitBreaker {
  private failures = 0;
  private opens = 0;
  private openUntil = 0;
  private trialInFlight = false;
  private current: BreakerState = 'CLOSED';
  private since: number;

  constructor(
    private readonly options: BreakerOptions,
    now: number,
  ) {
    this.since = now;
  }

  /** 0 when a request may go now, else how long to wait before asking again. */
  waitMs(now: number): number {
    if (this.current === 'CLOSED') return 0;
    if (this.current === 'OPEN') {
      if (now < this.openUntil) return this.openUntil - now;
      this.transition('HALF_OPEN', now);
    }
    if (this.trialInFlight) return Math.max(50, Math.min(this.options.openMs, 1000));
    this.trialInFlight = true;
    return 0;
  }

  success(now: number): void {
    this.failures = 0;
    this.opens = 0;
    this.trialInFlight = false;
    if (this.current !== 'CLOSED') this.transition('CLOSED', now);
  }

  failure(now: number): void {
    this.failures += 1;
    this.trialInFlight = false;
    if (this.current === 'HALF_OPEN' || this.failures >= this.options.failureThreshold) {
      this.opens += 1;
      const openMs = Math.min(this.options.openMs * 2 ** (this.opens - 1), this.options.maxOpenMs);
      this.openUntil = now + openMs;
      this.transition('OPEN', now);
    }
  }

  /** The trial request was not made after all (e.g. the job was throttled before the call). */
  release(): void {
    this.trialInFlight = false;
  }

  status(now: number): { state: BreakerState; since: string; consecutiveFailures: number; retryInMs: number } {
    return {
      state: this.current,
      since: new Date(this.since).toISOString(),
      consecutiveFailures: this.failures,
      retryInMs: this.current === 'OPEN' ? Math.max(0, this.openUntil - now) : 0,
    };
  }

  private transition(state: BreakerState, now: number): void {
    this.current = state;
    this.since = now;
  }
}
