/**
 * A case opened from `dossier.imported`: a dossier received before go-live, still open at the front desk (backlog
 * import, issue 13). It enters the worklists in the state matching its front-desk status, with its clock rebuilt
 * from the due date intake reconstructed and the pauses the intake system recorded. Pure TypeScript.
 */
import { PauseReason, type ClockLedger } from '@lienthong/statutory-clock';
import { ConflictError } from '@lienthong/kernel';
import { CaseState, type CaseProgress } from './case';

/** Front-desk statuses `dossier.imported` carries (TrangThaiHoSo 2, 4, 5, 6). */
export type ImportedStatus = 'RECEIVED' | 'IN_PROGRESS' | 'SUPPLEMENT_REQUESTED' | 'AWAITING_FINANCIAL_OBLIGATION';

/** A stop of the clock as `dossier.imported` carries it. */
export interface ImportedPause {
  reason: PauseReason;
  from: string;
  to?: string;
}

/**
 * The state an imported case opens in (registration-office README, Imported cases):
 *
 * | front-desk status               | open pause     | case state                      | clock  |
 * | ------------------------------- | -------------- | ------------------------------- | ------ |
 * | RECEIVED, IN_PROGRESS           | none           | RECEIVED (unclaimed, worklist)  | runs   |
 * | IN_PROGRESS                     | PUBLIC_POSTING | PUBLIC_POSTING                  | paused |
 * | SUPPLEMENT_REQUESTED            | SUPPLEMENT     | SUPPLEMENT_REQUESTED            | paused |
 * | AWAITING_FINANCIAL_OBLIGATION   | FINANCIAL_...  | AWAITING_FINANCIAL_OBLIGATION   | paused |
 *
 * IN_PROGRESS does not say which step the LRO was at before go-live (assigned, in review, field check), so the case
 * starts unclaimed and a worker takes it from the worklist. Any other combination is a breach of the contract
 * (intake refuses such lines): ConflictError, so the event is dead-lettered and visible rather than guessed at.
 */
export function importedCaseState(status: ImportedStatus, pauses: readonly ImportedPause[]): CaseState {
  const open = pauses.find((p) => p.to === undefined)?.reason;
  const expected: Record<ImportedStatus, { state: CaseState; open?: PauseReason }> = {
    RECEIVED: { state: CaseState.Received },
    IN_PROGRESS:
      open === PauseReason.PublicPosting
        ? { state: CaseState.PublicPosting, open: PauseReason.PublicPosting }
        : { state: CaseState.Received },
    SUPPLEMENT_REQUESTED: { state: CaseState.SupplementRequested, open: PauseReason.Supplement },
    AWAITING_FINANCIAL_OBLIGATION: {
      state: CaseState.AwaitingFinancialObligation,
      open: PauseReason.FinancialObligation,
    },
  };
  const rule = expected[status] as { state: CaseState; open?: PauseReason } | undefined;
  if (!rule || rule.open !== open) {
    throw new ConflictError(
      `an imported ${status} dossier with ${open ? `an open ${open} pause` : 'no open pause'} matches no case state`,
    );
  }
  return rule.state;
}

/**
 * The ledger started from the due date intake carried, with the recorded pauses replayed in order (an open one stays
 * open): the same replay as `ClockLedger.restore`, which intake ran at import, so both show the same due date.
 */
export function importedLedger(started: ClockLedger, pauses: readonly ImportedPause[]): ClockLedger {
  let ledger = started;
  for (const pause of [...pauses].sort((a, b) => Date.parse(a.from) - Date.parse(b.from))) {
    ledger = ledger.pause(pause.reason, new Date(pause.from));
    if (pause.to !== undefined) ledger = ledger.resume(pause.reason, new Date(pause.to));
  }
  return ledger;
}

/** Steps the recorded pauses show as done: a finished posting, a met obligation, the supplement requests so far. */
export function importedProgress(pauses: readonly ImportedPause[]): CaseProgress {
  const closed = (reason: PauseReason) => pauses.some((p) => p.reason === reason && p.to !== undefined);
  return {
    supplementRequests: pauses.filter((p) => p.reason === PauseReason.Supplement).length,
    ...(closed(PauseReason.PublicPosting) ? { posted: true } : {}),
    ...(closed(PauseReason.FinancialObligation) ? { obligationMet: true } : {}),
  };
}
