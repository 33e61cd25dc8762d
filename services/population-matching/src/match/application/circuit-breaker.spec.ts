import { CircuitBreaker } from './circuit-breaker';

describe('registry circuit breaker', () => {
  const options = { failureThreshold: 3, openMs: 1000, maxOpenMs: 4000 };

  it('opens after consecutive failures, lets one trial through after the wait, closes on success', () => {
    const breaker = new CircuitBreaker(options, 0);
    expect(breaker.waitMs(0)).toBe(0);
    breaker.failure(10);
    breaker.failure(20);
    expect(breaker.status(20).state).toBe('CLOSED');
    breaker.failure(30);
    expect(breaker.status(30)).toMatchObject({ state: 'OPEN', retryInMs: 1000 });
    expect(breaker.waitMs(500)).toBe(530);
    expect(breaker.waitMs(1030)).toBe(0);
    expect(breaker.status(1030).state).toBe('HALF_OPEN');
    expect(breaker.waitMs(1031)).toBeGreaterThan(0);
    breaker.success(1100);
    expect(breaker.status(1100).state).toBe('CLOSED');
    expect(breaker.waitMs(1100)).toBe(0);
  });

  it('doubles the open time after each failed trial, up to the maximum', () => {
    const breaker = new CircuitBreaker(options, 0);
    for (let i = 0; i < 3; i += 1) breaker.failure(0);
    expect(breaker.waitMs(0)).toBe(1000);
    expect(breaker.waitMs(1000)).toBe(0);
    breaker.failure(1000);
    expect(breaker.waitMs(1000)).toBe(2000);
    expect(breaker.waitMs(3000)).toBe(0);
    breaker.failure(3000);
    expect(breaker.waitMs(3000)).toBe(4000);
    expect(breaker.waitMs(7000)).toBe(0);
    breaker.failure(7000);
    expect(breaker.waitMs(7000)).toBe(4000);
  });

  it('a success in between resets the count', () => {
    const breaker = new CircuitBreaker(options, 0);
    breaker.failure(0);
    breaker.failure(0);
    breaker.success(0);
    breaker.failure(0);
    breaker.failure(0);
    expect(breaker.status(0).state).toBe('CLOSED');
  });
});
