import { type WorkingCalendar } from '@lienthong/statutory-clock';
import type { AuditDraft } from './audit-chain';
import { CaseState, type Case } from './case';
import {
  applyAction,
  isTerminal,
  SystemAction,
  TransitionRefusedError,
  type Actor,
  type Outcome,
} from './case-workflow';

/** True while `kase` is claimed by someone whose lease has not expired at `now`. */
export function activeClaim(kase: Case, now: Date): Case['claim'] {
  return kase.claim && Date.parse(kase.claim.until) > now.getTime() ? kase.claim : undefined;
}

/**
 * Gives the case to `userId` until `now + leaseMinutes` (pure). A received case becomes ASSIGNED (with its event); a
 * case already held by someone else, with a lease still running, is refused unless `force` (a supervisor's
 * reassignment). Claiming again one's own case renews the lease.
 */
export function claimCase(
  kase: Case,
  userId: string,
  actor: Actor,
  now: Date,
  leaseMinutes: number,
  calendar: WorkingCalendar,
  options: { force: boolean; kind: 'CLAIM' | 'ASSIGN' },
): Outcome {
  if (isTerminal(kase.state)) throw new TransitionRefusedError(`the case is closed (${kase.state})`);
  const holder = activeClaim(kase, now);
  if (holder && holder.userId !== userId && !options.force) {
    throw new TransitionRefusedError(`the case is claimed by ${holder.userId} until ${holder.until}`);
  }
  const claim = { userId, until: new Date(now.getTime() + leaseMinutes * 60_000).toISOString() };
  const audit: AuditDraft = {
    at: now.toISOString(),
    actor: actor.userId,
    ...(actor.branch ? { branch: actor.branch } : {}),
    kind: options.kind,
    what: options.kind === 'ASSIGN' ? `ASSIGN to ${userId}` : 'CLAIM',
    fromState: kase.state,
    toState: kase.state === CaseState.Received ? CaseState.Assigned : kase.state,
  };
  if (kase.state !== CaseState.Received) return { kase: { ...kase, claim }, events: [], audit: [audit] };
  const assigned = applyAction(kase, { action: SystemAction.Assign }, actor, now, calendar);
  return { kase: { ...assigned.kase, claim }, events: assigned.events, audit: [audit] };
}

/** Gives the claim up (pure). Only the holder may, or a supervisor (`force`). */
export function releaseCase(kase: Case, actor: Actor, now: Date, force: boolean): Outcome {
  const holder = activeClaim(kase, now);
  if (!holder) throw new TransitionRefusedError('the case is not claimed');
  if (holder.userId !== actor.userId && !force) {
    throw new TransitionRefusedError(
      `the case is claimed by ${holder.userId}; only they or a supervisor may release it`,
    );
  }
  const { claim: _claim, ...rest } = kase;
  return {
    kase: rest,
    events: [],
    audit: [
      {
        at: now.toISOString(),
        actor: actor.userId,
        ...(actor.branch ? { branch: actor.branch } : {}),
        kind: 'RELEASE',
        what: holder.userId === actor.userId ? 'RELEASE' : `RELEASE claim of ${holder.userId}`,
      },
    ],
  };
}
