import { ForbiddenException, Injectable } from '@nestjs/common';
import { canonicalHash, ConflictError, IdempotencyMismatchError, ValidationError } from '@lienthong/kernel';
import { BranchDirectory, checkMove, moveCase, type MoveRefusal } from '../../domain/case-routing';
import type { Case } from '../../domain/case';
import type { WorkerRole } from '../../domain/case-workflow';
import { CaseStore } from '../case-store';

/** A supervisor's request to move a misrouted case (`POST /v1/cases/{code}/move`). */
export interface MoveCaseCommand {
  dossierCode: string;
  idempotencyKey: string;
  branchCode: unknown;
  reason: unknown;
  worker: { userId: string; branch: string; roles: readonly WorkerRole[] };
}

/**
 * What the move answers. Not the case view: once moved the case belongs to the other branch, which the supervisor
 * no longer sees (its reads are a 404 for them from now on).
 */
export interface MoveResult {
  dossierCode: string;
  previousBranchCode: string;
  branchCode: string;
  movedAt: string;
}

// Keys kept per case for replays, as for transitions.
const keptKeys = 50;

/**
 * Moves a case to another branch of its province (ADR 0008): the case must be in the supervisor's branch (404), the
 * caller a supervisor (403), the body complete and the target a branch of the same province (400), the case open
 * and not already there (409). The same Idempotency-Key with the same body answers the move again without acting,
 * even though the case is now at the other branch; with another body it is a 422.
 */
@Injectable()
export class MoveCaseHandler {
  constructor(
    private readonly store: CaseStore,
    private readonly branches: BranchDirectory,
  ) {}

  async execute(command: MoveCaseCommand): Promise<{ result: MoveResult; replayed: boolean }> {
    const { worker } = command;
    const branchCode = typeof command.branchCode === 'string' ? command.branchCode.trim() : '';
    const reason = typeof command.reason === 'string' ? command.reason.trim() : '';
    const hash = canonicalHash({ move: branchCode, reason });

    // A retry after a successful move finds the case at the other branch: answer it from the key kept on the case.
    const replay = this.replayOf(await this.store.load(command.dossierCode).catch(() => undefined), command, hash);
    if (replay) return { result: replay, replayed: true };

    let result: MoveResult | undefined;
    const kase = await this.store.change(command.dossierCode, worker, (current, now) => {
      if (!worker.roles.includes('supervisor')) throw new ForbiddenException('moving a case needs the role supervisor');
      const again = this.replayOf(current, command, hash);
      if (again) {
        result = again;
        return undefined;
      }
      this.checkBody(branchCode, reason);
      const from = this.branches.branch(worker.branch) ?? {
        code: worker.branch,
        name: worker.branch,
        provinceCode: '',
      };
      const checked = checkMove({ from, toCode: branchCode, reason, open: current.open, directory: this.branches });
      if (!checked.ok) throw refusalError(checked.refusal);
      const outcome = moveCase(current, { from: from.code, to: checked.to.code, reason }, worker, now);
      outcome.kase.appliedKeys = [
        ...current.appliedKeys,
        {
          key: command.idempotencyKey,
          userId: worker.userId,
          hash,
          state: current.state,
          version: current.version + 1,
        },
      ].slice(-keptKeys);
      result = {
        dossierCode: current.dossierCode,
        previousBranchCode: from.code,
        branchCode: checked.to.code,
        movedAt: now.toISOString(),
      };
      return outcome;
    });
    return { result: result ?? this.replayOf(kase, command, hash)!, replayed: result === undefined };
  }

  private replayOf(kase: Case | undefined, command: MoveCaseCommand, hash: string): MoveResult | undefined {
    const used = kase?.appliedKeys.find((k) => k.key === command.idempotencyKey && k.userId === command.worker.userId);
    if (!kase || !used) return undefined;
    if (used.hash !== hash)
      throw new IdempotencyMismatchError('This Idempotency-Key was used with a different request.');
    const entry = kase.audit.find(
      (e) => e.kind === 'MOVE' && e.actor === command.worker.userId && e.branch === command.worker.branch,
    );
    const [from, to] = (entry?.what.replace(/^MOVE /, '') ?? '').split(' → ');
    if (!entry || !from || !to)
      throw new ConflictError('This Idempotency-Key was used for another request on this case.');
    return { dossierCode: kase.dossierCode, previousBranchCode: from, branchCode: to, movedAt: entry.at };
  }

  private checkBody(branchCode: string, reason: string): void {
    const problems = [
      ...(!/^[A-Z0-9]+(-[A-Z0-9]+)*$/.test(branchCode) || branchCode.length > 40
        ? [{ field: 'branchCode', code: 'REQUIRED', message: 'the code of the branch to move the case to' }]
        : []),
      ...(!reason || reason.length > 1000
        ? [{ field: 'reason', code: 'REQUIRED', message: 'why the case moves, 1–1000 characters' }]
        : []),
    ];
    if (problems.length > 0) throw new ValidationError('The move needs a target branch and a reason.', problems);
  }
}

function refusalError(refusal: MoveRefusal): Error {
  switch (refusal.code) {
    case 'REASON_REQUIRED':
      return new ValidationError(refusal.message, [{ field: 'reason', code: refusal.code, message: refusal.message }]);
    case 'UNKNOWN_BRANCH':
    case 'OTHER_PROVINCE':
      return new ValidationError(refusal.message, [
        { field: 'branchCode', code: refusal.code, message: refusal.message },
      ]);
    case 'SAME_BRANCH':
    case 'CASE_CLOSED':
      return new ConflictError(refusal.message);
  }
}
