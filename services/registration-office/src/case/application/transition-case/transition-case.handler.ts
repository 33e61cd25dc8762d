import { ForbiddenException, Injectable } from '@nestjs/common';
import { canonicalHash, IdempotencyMismatchError, ValidationError } from '@lienthong/kernel';
import { activeClaim } from '../../domain/case-claims';
import {
  applyAction,
  CASE_ACTIONS,
  mayPerform,
  needsClaim,
  TransitionRefusedError,
  type CaseAction,
  type WorkerRole,
} from '../../domain/case-workflow';
import { caseView, type CaseView } from '../case-view';
import { CaseStore } from '../case-store';

/** A worker's request to move a case (office-api.md `POST /v1/cases/{code}/transitions`). */
export interface TransitionCaseCommand {
  dossierCode: string;
  idempotencyKey: string;
  action: string;
  reason?: string;
  details?: Record<string, unknown>;
  worker: { userId: string; branch: string; roles: readonly WorkerRole[] };
}

// Keys kept per case for replays; older ones fall off (a case sees a few dozen actions in its life).
const keptKeys = 50;

/**
 * Applies a worker's action: the case must be in the worker's branch (404), the role must allow the action (403),
 * officer steps need the caller's claim (409), the state and procedure must allow it (409 with the reason), and the
 * input must be complete (400). The same Idempotency-Key with the same body answers the case as it is without acting
 * again; with another body it is a 422.
 */
@Injectable()
export class TransitionCaseHandler {
  constructor(private readonly store: CaseStore) {}

  async execute(command: TransitionCaseCommand): Promise<{ view: CaseView; replayed: boolean }> {
    const { worker } = command;
    if (!(CASE_ACTIONS as readonly string[]).includes(command.action)) {
      throw new ValidationError('Unknown action.', [
        { field: 'action', code: 'UNKNOWN_ACTION', message: `one of ${CASE_ACTIONS.join(', ')}` },
      ]);
    }
    const action = command.action as CaseAction;
    const hash = canonicalHash({ action, reason: command.reason, details: command.details });
    let replayed = false;
    const kase = await this.store.change(command.dossierCode, worker, (current, now) => {
      const used = current.appliedKeys.find((k) => k.key === command.idempotencyKey && k.userId === worker.userId);
      if (used) {
        if (used.hash !== hash) {
          throw new IdempotencyMismatchError('This Idempotency-Key was used with a different request.');
        }
        replayed = true;
        return undefined;
      }
      if (!mayPerform(action, worker.roles)) {
        throw new ForbiddenException(`${action} needs the role ${mayPerformRoles(action)}`);
      }
      if (needsClaim(action) && activeClaim(current, now)?.userId !== worker.userId) {
        throw new TransitionRefusedError(
          `claim the case before ${action} (POST /v1/cases/${current.dossierCode}/claim)`,
        );
      }
      const outcome = applyAction(
        current,
        { action, reason: command.reason, details: command.details },
        worker,
        now,
        this.store.calendarFor(current),
      );
      outcome.kase.appliedKeys = [
        ...current.appliedKeys,
        {
          key: command.idempotencyKey,
          userId: worker.userId,
          hash,
          state: outcome.kase.state,
          version: current.version + 1,
        },
      ].slice(-keptKeys);
      return outcome;
    });
    return {
      view: caseView(kase, this.store.calendarFor(kase), this.store.clock.now(), worker, this.store.names),
      replayed,
    };
  }
}

function mayPerformRoles(action: CaseAction): string {
  const roles: WorkerRole[] = ['officer', 'approver', 'supervisor'];
  return roles.filter((r) => mayPerform(action, [r])).join(' or ');
}
