import { buildCase, calendar } from '../../../test/case-builder';
import { CaseState } from './case';
import { activeClaim, claimCase, releaseCase } from './case-claims';
import { applyAction } from './case-workflow';

const officer = (userId: string) => ({ userId, branch: 'KH-DIENKHANH', roles: ['officer' as const] });
const t0 = new Date('2026-11-24T02:00:00.000Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const claim = (kase: ReturnType<typeof buildCase>, userId: string, at: Date, force = false) =>
  claimCase(kase, userId, officer(userId), at, 60, calendar, { force, kind: force ? 'ASSIGN' : 'CLAIM' });

describe('claims with an expiring lease', () => {
  it('the first claim assigns a received case (with its event); later claims only move the lease', () => {
    const first = claim(buildCase(), 'u1', t0);
    expect(first.kase.state).toBe(CaseState.Assigned);
    expect(first.events.map((e) => e.type)).toEqual(['case.state-changed']);
    expect(first.kase.claim).toEqual({ userId: 'u1', until: minutes(60).toISOString() });
    const renewed = claim(first.kase, 'u1', minutes(30));
    expect(renewed.events).toEqual([]);
    expect(renewed.kase.claim!.until).toBe(minutes(90).toISOString());
  });

  it('refuses a case someone else holds until the lease expires', () => {
    const held = claim(buildCase(), 'u1', t0).kase;
    expect(() => claim(held, 'u2', minutes(59))).toThrow(/claimed by u1/);
    expect(activeClaim(held, minutes(61))).toBeUndefined();
    expect(claim(held, 'u2', minutes(61)).kase.claim!.userId).toBe('u2');
  });

  it("a supervisor's assignment takes the case from the holder", () => {
    const held = claim(buildCase(), 'u1', t0).kase;
    const assigned = claim(held, 'u3', minutes(5), true);
    expect(assigned.kase.claim!.userId).toBe('u3');
    expect(assigned.audit[0]).toMatchObject({ kind: 'ASSIGN', what: 'ASSIGN to u3' });
  });

  it('only the holder, or a supervisor, releases; a closed case cannot be claimed', () => {
    const held = claim(buildCase(), 'u1', t0).kase;
    expect(() => releaseCase(held, officer('u2'), minutes(1), false)).toThrow(/only they or a supervisor/);
    expect(releaseCase(held, officer('u1'), minutes(1), false).kase.claim).toBeUndefined();
    expect(releaseCase(held, officer('boss'), minutes(1), true).kase.claim).toBeUndefined();
    expect(() => releaseCase(buildCase(), officer('u1'), minutes(1), false)).toThrow(/not claimed/);
    const stopped = applyAction(held, { action: 'STOP', reason: 'Dừng' }, officer('s'), minutes(2), calendar).kase;
    expect(stopped.claim).toBeUndefined();
    expect(() => claim(stopped, 'u1', minutes(3))).toThrow(/closed/);
  });
});
