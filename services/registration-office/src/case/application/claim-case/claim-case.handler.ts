import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { ValidationError } from '@lienthong/kernel';
import { claimCase, releaseCase } from '../../domain/case-claims';
import { ASSIGN_ROLES, CLAIM_ROLES, type WorkerRole } from '../../domain/case-workflow';
import { caseView, type CaseView } from '../case-view';
import { CaseStore } from '../case-store';

/** Injection token: how long a claim lasts, in minutes (CLAIM_LEASE_MINUTES). */
export const CLAIM_LEASE_MINUTES = Symbol('CLAIM_LEASE_MINUTES');

export interface Worker {
  userId: string;
  branch: string;
  roles: readonly WorkerRole[];
}

/** Claims with an expiring lease, releases, and a supervisor's reassignment (office-api.md). */
@Injectable()
export class ClaimCaseHandler {
  constructor(
    private readonly store: CaseStore,
    @Inject(CLAIM_LEASE_MINUTES) private readonly leaseMinutes: number,
  ) {}

  /** The worker takes the case (officer or approver); renews the lease when they hold it already. */
  async claim(dossierCode: string, worker: Worker): Promise<CaseView> {
    // Roles are checked after the branch scope, so another branch's case is a 404 whatever the role.
    const kase = await this.store.change(dossierCode, worker, (current, now) => {
      if (!CLAIM_ROLES.some((r) => worker.roles.includes(r)))
        throw new ForbiddenException('claiming needs the role officer or approver');
      return claimCase(current, worker.userId, worker, now, this.leaseMinutes, this.store.calendarFor(current), {
        force: false,
        kind: 'CLAIM',
      });
    });
    return caseView(kase, this.store.calendarFor(kase), this.store.clock.now(), worker, this.store.names);
  }

  /** The holder gives the case back; a supervisor may release anyone's claim. */
  async release(dossierCode: string, worker: Worker): Promise<CaseView> {
    const supervisor = worker.roles.includes('supervisor');
    const kase = await this.store.change(dossierCode, worker, (current, now) => {
      if (!supervisor && !CLAIM_ROLES.some((r) => worker.roles.includes(r))) {
        throw new ForbiddenException('releasing needs the role officer, approver or supervisor');
      }
      const holder =
        current.claim && Date.parse(current.claim.until) > now.getTime() ? current.claim.userId : undefined;
      if (holder && holder !== worker.userId && !supervisor) {
        throw new ForbiddenException(`the case is claimed by ${holder}; only they or a supervisor may release it`);
      }
      return releaseCase(current, worker, now, supervisor);
    });
    return caseView(kase, this.store.calendarFor(kase), this.store.clock.now(), worker, this.store.names);
  }

  /** A supervisor gives the case to a worker of the branch, taking it from whoever held it. */
  async assign(dossierCode: string, userId: unknown, worker: Worker): Promise<CaseView> {
    if (typeof userId !== 'string' || !/^[\w.@-]{1,100}$/.test(userId)) {
      throw new ValidationError('userId is required.', [
        { field: 'userId', code: 'REQUIRED', message: 'the user id of the worker, 1–100 characters' },
      ]);
    }
    const kase = await this.store.change(dossierCode, worker, (current, now) => {
      if (!ASSIGN_ROLES.some((r) => worker.roles.includes(r)))
        throw new ForbiddenException('assigning needs the role supervisor');
      return claimCase(current, userId, worker, now, this.leaseMinutes, this.store.calendarFor(current), {
        force: true,
        kind: 'ASSIGN',
      });
    });
    return caseView(kase, this.store.calendarFor(kase), this.store.clock.now(), worker, this.store.names);
  }
}
