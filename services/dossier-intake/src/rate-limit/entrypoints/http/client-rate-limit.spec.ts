import { devToken } from '@lienthong/testing';
import { startIntakeHttpApp, type IntakeHttpApp } from '../../../testing/intake-http-app';
import { InMemoryRateLimiter } from '../../infrastructure/in-memory-rate-limiter';

// The per-client request budget over the real HTTP stack: reads and writes count together, a client over its
// budget gets 429 problem details with Retry-After, and another client is not affected.

const now = new Date('2026-11-23T03:00:00Z');
const clientA = { authorization: `Bearer ${devToken({ client: 'one-stop-a', communes: ['22657'] })}` };
const clientB = { authorization: `Bearer ${devToken({ client: 'one-stop-b', communes: ['22657'] })}` };

describe('per-client rate limit', () => {
  let intake: IntakeHttpApp;

  beforeAll(async () => {
    intake = await startIntakeHttpApp(now, {
      rateLimiter: new InMemoryRateLimiter({ requests: 3, windowSeconds: 60 }),
    });
  });
  afterAll(async () => {
    await intake?.close();
  });

  it('answers 429 with Retry-After once a client has spent its budget; another client is unaffected', async () => {
    const answers: Response[] = [];
    answers.push(await fetch(`${intake.baseUrl}/v1/dossiers`, { headers: clientA }));
    answers.push(await fetch(`${intake.baseUrl}/v1/dossiers/000.00.56.H42-261123-0001`, { headers: clientA }));
    answers.push(await fetch(`${intake.baseUrl}/v1/subscriptions/webhook`, { headers: clientA }));
    expect(answers.map((r) => r.status)).toEqual([200, 404, 404]);
    expect(answers.map((r) => r.headers.get('ratelimit'))).toEqual([
      '"per-client";r=2;t=60',
      expect.stringMatching(/^"per-client";r=1;t=(59|60)$/),
      expect.stringMatching(/^"per-client";r=0;t=(59|60)$/),
    ]);
    expect(answers[0]!.headers.get('ratelimit-policy')).toBe('"per-client";q=3;w=60');

    const refused = await fetch(`${intake.baseUrl}/v1/dossiers`, {
      method: 'POST',
      headers: { ...clientA, 'content-type': 'application/json', 'idempotency-key': 'k-1' },
      body: '{}',
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit')).toMatch(/^"per-client";r=0;t=\d+$/);
    const problem = (await refused.json()) as { status: number; type: string; title: string; detail: string };
    expect(problem).toMatchObject({ status: 429, title: 'too many requests' });
    expect(problem.detail).toContain('retry after');
    // Refused before the body was looked at: nothing was stored, not even the idempotency key.
    expect(intake.dossiers.reservations.size).toBe(0);

    const other = await fetch(`${intake.baseUrl}/v1/dossiers`, { headers: clientB });
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit')).toBe('"per-client";r=2;t=60');
  });

  it('counts the upload, import and compatibility endpoints too', async () => {
    const limited = { authorization: `Bearer ${devToken({ client: 'one-stop-c', communes: ['22657'] })}` };
    for (let i = 0; i < 3; i += 1) await fetch(`${intake.baseUrl}/v1/dossiers`, { headers: limited });
    const upload = await fetch(`${intake.baseUrl}/v1/files/${'a'.repeat(64)}`, {
      method: 'PUT',
      headers: { ...limited, 'content-type': 'application/pdf' },
      body: 'x',
    });
    const compat = await fetch(`${intake.baseUrl}/v1/compat/vbdlis/tiepnhan`, {
      method: 'POST',
      headers: { ...limited, 'content-type': 'application/json' },
      body: '{}',
    });
    const backlog = await fetch(`${intake.baseUrl}/v1/dossiers:import`, {
      method: 'POST',
      headers: { ...limited, 'content-type': 'application/x-ndjson' },
      body: '',
    });
    expect([upload.status, compat.status, backlog.status]).toEqual([429, 429, 429]);
    expect([upload, compat, backlog].every((r) => Number(r.headers.get('retry-after')) >= 1)).toBe(true);
    // The compatibility endpoint refuses in its own answer shape.
    expect(await compat.json()).toMatchObject({ data: 0, status: { success: false, code: '429' } });
  });

  it('does not count requests without a valid token (they are 401 before the budget is looked at)', async () => {
    const response = await fetch(`${intake.baseUrl}/v1/dossiers`);
    expect(response.status).toBe(401);
    expect(response.headers.get('ratelimit')).toBeNull();
  });
});

describe('InMemoryRateLimiter', () => {
  it('starts a new window once the old one has ended', async () => {
    let clock = 1_000_000;
    const limiter = new InMemoryRateLimiter({ requests: 2, windowSeconds: 10 }, () => clock);
    expect((await limiter.hit('a')).allowed).toBe(true);
    clock += 4_000;
    expect(await limiter.hit('a')).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 6 });
    clock += 1_000;
    expect(await limiter.hit('a')).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 5 });
    clock += 5_000;
    expect(await limiter.hit('a')).toMatchObject({ allowed: true, remaining: 1, resetSeconds: 10 });
  });
});
