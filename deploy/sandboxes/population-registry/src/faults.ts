/**
 * The registry's bad days, configurable at start (env) and at run time (PUT /admin/faults), and the counters that
 * tell what the registry received. Requests beyond the quota are answered 429 with Retry-After and counted as over
 * quota.
 */
export interface FaultSettings {
  /** Added to every answer, in ms. */
  latencyMs: number;
  /** Uniform extra latency 0..jitter ms. */
  latencyJitterMs: number;
  /** Requests allowed per quota window; 0 = no quota. */
  quotaPerWindow: number;
  quotaWindowMs: number;
  /** Share of requests answered 429 regardless of the quota (gateway throttling), 0..1. */
  throttleRate: number;
  /** Retry-After, in seconds, of throttled answers. */
  retryAfterSeconds: number;
  /** Share of requests answered with a 5xx, 0..1. */
  errorRate: number;
  /** The registry is down: `reset` drops the connection, `503` answers Service Unavailable, `hang` never answers. */
  outage: false | 'reset' | '503' | 'hang';
}

export interface Counters {
  /** Every request that reached the lookup endpoints (also during an outage). */
  received: number;
  /** Persons looked up in answered requests. */
  lookups: number;
  /** Requests beyond the quota of their window. */
  overQuota: number;
  throttled: number;
  serverErrors: number;
  outageRejected: number;
  answered: number;
  /** The most requests seen in one quota window. */
  maxInWindow: number;
  /** Requests per caller (MaCanBo / MaTichHop). */
  byCaller: Record<string, number>;
}

export function faultsFromEnv(env: NodeJS.ProcessEnv): FaultSettings {
  const num = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
    return value;
  };
  const outage = env.REGISTRY_OUTAGE ?? '';
  if (!['', 'false', 'reset', '503', 'hang'].includes(outage)) {
    throw new Error('REGISTRY_OUTAGE must be reset, 503 or hang');
  }
  return {
    latencyMs: num('REGISTRY_LATENCY_MS', 40),
    latencyJitterMs: num('REGISTRY_LATENCY_JITTER_MS', 40),
    quotaPerWindow: num('REGISTRY_QUOTA', 20),
    quotaWindowMs: num('REGISTRY_QUOTA_WINDOW_MS', 1000),
    throttleRate: num('REGISTRY_THROTTLE_RATE', 0),
    retryAfterSeconds: num('REGISTRY_RETRY_AFTER_S', 1),
    errorRate: num('REGISTRY_ERROR_RATE', 0),
    outage: outage === '' || outage === 'false' ? false : (outage as FaultSettings['outage']),
  };
}

/** Checks a PUT /admin/faults body; returns the problems (empty when valid). */
export function faultProblems(patch: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const numbers = ['latencyMs', 'latencyJitterMs', 'quotaPerWindow', 'quotaWindowMs', 'retryAfterSeconds'];
  const rates = ['throttleRate', 'errorRate'];
  for (const [key, value] of Object.entries(patch)) {
    if (numbers.includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) problems.push(`${key} must be ≥ 0`);
    } else if (rates.includes(key)) {
      if (typeof value !== 'number' || value < 0 || value > 1) problems.push(`${key} must be within 0..1`);
    } else if (key === 'outage') {
      if (![false, 'reset', '503', 'hang'].includes(value as never))
        problems.push('outage must be false, reset, 503 or hang');
    } else problems.push(`unknown setting ${key}`);
  }
  return problems;
}

export function emptyCounters(): Counters {
  return {
    received: 0,
    lookups: 0,
    overQuota: 0,
    throttled: 0,
    serverErrors: 0,
    outageRejected: 0,
    answered: 0,
    maxInWindow: 0,
    byCaller: {},
  };
}

/**
 * The quota as a sliding window: at most `quotaPerWindow` requests in any `quotaWindowMs`. Every received request
 * counts, also the refused ones, so a client that keeps knocking while over quota stays over it.
 */
export class SlidingQuota {
  private arrivals: number[] = [];

  /** Counts a request at `now`; returns undefined when within quota, else the ms until a slot frees. */
  admit(now: number, settings: FaultSettings, counters: Counters): number | undefined {
    const since = now - settings.quotaWindowMs;
    let drop = 0;
    while (drop < this.arrivals.length && this.arrivals[drop]! <= since) drop += 1;
    if (drop > 0) this.arrivals = this.arrivals.slice(drop);
    this.arrivals.push(now);
    counters.maxInWindow = Math.max(counters.maxInWindow, this.arrivals.length);
    if (settings.quotaPerWindow > 0 && this.arrivals.length > settings.quotaPerWindow) {
      const oldest = this.arrivals[this.arrivals.length - 1 - settings.quotaPerWindow]!;
      return Math.max(1, oldest + settings.quotaWindowMs - now);
    }
    return undefined;
  }
}
