import { toVietnamIso, type WorkingCalendar } from '@lienthong/statutory-clock';
import { portalStatusOf, type Case, type CaseState } from '../domain/case';
import { attachmentsOf, type CaseAttachment } from '../domain/case-attachments';
import { activeClaim } from '../domain/case-claims';
import { labelOf, ROLE_LABELS, STATE_LABELS, VERDICT_LABELS, type Label } from '../domain/labels';
import {
  availableActions,
  blockingPersons,
  ledgerOf,
  needsClaim,
  pausedIntervalsOf,
  type CaseAction,
  type WorkerRole,
} from '../domain/case-workflow';
import type { BranchName, CaseNames, PlaceName, ProcedureName } from './case-names';

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
  /** The state's label (Vietnamese, English). */
  stateLabel: Label;
  /** Names next to the codes, from the reference data; each absent when the data does not know the code. */
  procedure?: ProcedureName;
  /** The receiving commune (`communeCode`) and its province. */
  commune?: PlaceName;
  /** The branch (`branchCode`) with its name from the province file. */
  branch?: BranchName;
}

export interface CaseView extends CaseSummaryView {
  caseCode?: string;
  arrivedAt: string;
  steps: Case['steps'];
  progress: Case['progress'];
  clock: ClockView;
  /** With `roleLabel` and, once matched, `verdictLabel` (Vietnamese, English). */
  persons: (Case['persons'][number] & { index: number; roleLabel?: Label; verdictLabel?: Label })[];
  /** With the name of the land's commune and province (`commune`). */
  parcels: (Case['parcels'][number] & { commune?: PlaceName })[];
  /** True when the parcels lie in more than one branch (ADR 0008); `otherBranches` names the others. */
  multiBranch: boolean;
  otherBranches: BranchName[];
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

export function summaryView(kase: Case, calendar: WorkingCalendar, now: Date, names?: CaseNames): CaseSummaryView {
  const ledger = ledgerOf(kase, calendar);
  const claim = activeClaim(kase, now);
  const procedure = names?.procedure(kase.procedureCode, kase.caseCode, kase.receivedAt);
  const commune = names?.commune(kase.communeCode);
  const branch = kase.branchCode ? names?.branch(kase.branchCode) : undefined;
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
    stateLabel: STATE_LABELS[kase.state],
    ...(procedure ? { procedure } : {}),
    ...(commune ? { commune } : {}),
    ...(branch ? { branch } : {}),
  };
}

export function caseView(
  kase: Case,
  calendar: WorkingCalendar,
  now: Date,
  caller: { userId: string; roles: readonly WorkerRole[] },
  names?: CaseNames,
): CaseView {
  const claim = activeClaim(kase, now);
  const holdsClaim = claim?.userId === caller.userId;
  return {
    ...summaryView(kase, calendar, now, names),
    ...(kase.caseCode ? { caseCode: kase.caseCode } : {}),
    arrivedAt: kase.arrivedAt,
    steps: kase.steps,
    progress: kase.progress,
    clock: clockView(kase, calendar, now),
    persons: kase.persons.map((p, index) => {
      const roleLabel = labelOf(ROLE_LABELS, p.role);
      const verdictLabel = labelOf(VERDICT_LABELS, p.verdict);
      return { ...p, index, ...(roleLabel ? { roleLabel } : {}), ...(verdictLabel ? { verdictLabel } : {}) };
    }),
    parcels: kase.parcels.map((parcel) => {
      const commune = names?.commune(parcel.communeCode);
      return commune ? { ...parcel, commune } : parcel;
    }),
    multiBranch: (kase.otherBranchCodes ?? []).length > 0,
    otherBranches: (kase.otherBranchCodes ?? []).map((code) => names?.branch(code) ?? { code, name: code }),
    documents: kase.documents,
    attachments: [...attachmentsOf(kase)],
    history: kase.history,
    availableActions: availableActions(kase, caller.roles).filter((a) => !needsClaim(a) || holdsClaim),
    version: kase.version,
  };
}
