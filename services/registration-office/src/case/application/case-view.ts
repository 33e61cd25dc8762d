import { toVietnamIso, type WorkingCalendar } from '@lienthong/statutory-clock';
import { portalStatusOf, type Case, type CaseState } from '../domain/case';
import { attachmentsOf, type CaseAttachment } from '../domain/case-attachments';
import { activeClaim } from '../domain/case-claims';
import {
  availableActions,
  blockingPersons,
  ledgerOf,
  needsClaim,
  pausedIntervalsOf,
  type CaseAction,
  type WorkerRole,
} from '../domain/case-workflow';

/** The statutory clock as the console shows it; everything derived from the ledger at `now`, never stored. */
export interface ClockView {
  receivedAt: string;
  countingStartsAt: string;
  baseDueAt: string;
  /** The due date as it stands now (moved by the pauses), +07:00. */
  dueAt: string;
  pausedIntervals: { state: string; from: string; to?: string }[];
  paused: boolean;
  pausedWorkingMinutes: number;
  remainingWorkingMinutes: number;
  late: boolean;
  supplementRequests: number;
  /** More than one supplement request: counted late by the national KPI. */
  secondSupplementRequested: boolean;
  countsAsLateForKpi: boolean;
}

export interface CaseSummaryView {
  dossierCode: string;
  state: CaseState;
  portalStatusCode: number;
  procedureCode: string;
  communeCode: string;
  branchCode?: string;
  receivedAt: string;
  dueAt: string;
  remainingWorkingMinutes: number;
  paused: boolean;
  late: boolean;
  claim?: { userId: string; until: string };
  /** Persons whose match verdict blocks approval. */
  blockedPersons: number;
}

export interface CaseView extends CaseSummaryView {
  caseCode?: string;
  arrivedAt: string;
  steps: Case['steps'];
  progress: Case['progress'];
  clock: ClockView;
  persons: (Case['persons'][number] & { index: number })[];
  parcels: Case['parcels'];
  /** The letters the LRO issued. */
  documents: Case['documents'];
  /** The dossier's files by reference (download: GET /v1/cases/{dossierCode}/attachments/{sha256}). */
  attachments: CaseAttachment[];
  history: Case['history'];
  /** What the caller may do now (state, procedure, role and, for officer steps, the claim). */
  availableActions: CaseAction[];
  version: number;
}

export function clockView(kase: Case, calendar: WorkingCalendar, now: Date): ClockView {
  const ledger = ledgerOf(kase, calendar);
  return {
    receivedAt: kase.clock.receivedAt,
    countingStartsAt: toVietnamIso(ledger.countingStartsAt),
    baseDueAt: toVietnamIso(ledger.baseDueAt),
    dueAt: ledger.dueAtIso(now),
    pausedIntervals: pausedIntervalsOf(kase.clock),
    paused: ledger.isPaused(now),
    pausedWorkingMinutes: Math.round(ledger.pausedWorkingMinutes(now)),
    remainingWorkingMinutes: ledger.remainingWorkingMinutes(now),
    late: ledger.isLate(now),
    supplementRequests: kase.progress.supplementRequests,
    secondSupplementRequested: kase.progress.supplementRequests > 1,
    countsAsLateForKpi: ledger.countsAsLateForKpi(now),
  };
}

export function summaryView(kase: Case, calendar: WorkingCalendar, now: Date): CaseSummaryView {
  const ledger = ledgerOf(kase, calendar);
  const claim = activeClaim(kase, now);
  return {
    dossierCode: kase.dossierCode,
    state: kase.state,
    portalStatusCode: portalStatusOf[kase.state],
    procedureCode: kase.procedureCode,
    communeCode: kase.communeCode,
    ...(kase.branchCode ? { branchCode: kase.branchCode } : {}),
    receivedAt: kase.receivedAt,
    dueAt: ledger.dueAtIso(now),
    remainingWorkingMinutes: ledger.remainingWorkingMinutes(now),
    paused: ledger.isPaused(now),
    late: ledger.isLate(now),
    ...(claim ? { claim } : {}),
    blockedPersons: blockingPersons(kase).length,
  };
}

export function caseView(
  kase: Case,
  calendar: WorkingCalendar,
  now: Date,
  caller: { userId: string; roles: readonly WorkerRole[] },
): CaseView {
  const claim = activeClaim(kase, now);
  const holdsClaim = claim?.userId === caller.userId;
  return {
    ...summaryView(kase, calendar, now),
    ...(kase.caseCode ? { caseCode: kase.caseCode } : {}),
    arrivedAt: kase.arrivedAt,
    steps: kase.steps,
    progress: kase.progress,
    clock: clockView(kase, calendar, now),
    persons: kase.persons.map((p, index) => ({ ...p, index })),
    parcels: kase.parcels,
    documents: kase.documents,
    attachments: [...attachmentsOf(kase)],
    history: kase.history,
    availableActions: availableActions(kase, caller.roles).filter((a) => !needsClaim(a) || holdsClaim),
    version: kase.version,
  };
}
