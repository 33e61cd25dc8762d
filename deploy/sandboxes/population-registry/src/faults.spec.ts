import { emptyCounters, faultProblems, faultsFromEnv, SlidingQuota } from './faults';

describe('registry faults and quota', () => {
  it('admits at most the quota in any window and tells when a slot frees', () => {
    const settings = { ...faultsFromEnv({}), quotaPerWindow: 3, quotaWindowMs: 1000 };
    const counters = emptyCounters();
    const quota = new SlidingQuota();
    expect([0, 100, 200].map((t) => quota.admit(t, settings, counters))).toEqual([undefined, undefined, undefined]);
    expect(quota.admit(900, settings, counters)).toBe(100);
    // The refused request counts too: at 1050 the window (50..1050] still holds 100, 200 and 900.
    expect(quota.admit(1050, settings, counters)).toBeGreaterThan(0);
    expect(quota.admit(2100, settings, counters)).toBeUndefined();
    expect(counters.maxInWindow).toBe(4);
  });

  it('reads faults from the environment and refuses bad settings', () => {
    expect(faultsFromEnv({ REGISTRY_QUOTA: '50', REGISTRY_OUTAGE: '503' })).toMatchObject({
      quotaPerWindow: 50,
      outage: '503',
    });
    expect(() => faultsFromEnv({ REGISTRY_ERROR_RATE: '-1' })).toThrow(/REGISTRY_ERROR_RATE/);
    expect(() => faultsFromEnv({ REGISTRY_OUTAGE: 'sometimes' })).toThrow(/REGISTRY_OUTAGE/);
    expect(faultProblems({ errorRate: 2, outage: 'maybe', colour: 'red' })).toHaveLength(3);
    expect(faultProblems({ latencyMs: 200, outage: false })).toEqual([]);
  });
});
