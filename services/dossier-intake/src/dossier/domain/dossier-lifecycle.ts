/**
 * How the front desk's view of a dossier moves after receipt: the LRO's case events, population matching's results,
 * and the two things the front desk itself may do (answer a supplement request, pass on a withdrawal). Pure
 * functions from the dossier as stored to the next dossier and the facts to announce. Nothing here reads a clock.
 */
import { ConflictError } from '@lienthong/kernel';
import {
  activeStatuses,
  DossierStatus,
  portalStatusCode,
  statusChanged,
  statusOfPortalCode,
  type Dossier,
  type DocumentReference,
  type DossierEvent,
  type HistoryEntry,
  type MatchSummary,
  type PausedInterval,
  type Transition,
} from './dossier';

/** A case event of the LRO, as parsed from `registration-office.case.events.v1` (the fields this view uses). */
export interface CaseFact {
  type: string;
  sequence: number;
  /** Envelope time, used when the payload has no `at`. */
  time: string;
  data: {
    branchCode?: string;
    portalStatusCode?: number;
    toState?: string;
    at?: string;
    receivedAt?: string;
    dueAt?: string;
    newDueAt?: string;
    previousDueAt?: string;
    letterNumber?: string;
    pausedIntervals?: PausedInterval[];
    note?: string;
    reason?: string;
    supplementRequestNumber?: number;
    missingDocuments?: { componentCode?: string; name: string }[];
    actor?: { unitCode: string; userId?: string };
    certificateSerial?: string;
    /** `case.received` of a case opened from `dossier.imported`: its opening is announced to nobody. */
    imported?: boolean;
    /** The certificate scan the LRO uploaded (`case.certificate-issued`), by reference. */
    certificateScan?: { kind: string; mediaType: string; sizeBytes: number; sha256: string };
  };
}

/** A population-matching event, as parsed from `population-matching.match.events.v1`. */
export interface MatchFact {
  type: string;
  sequence: number;
  time: string;
  data: {
    matchId: string;
    persons?: MatchSummary['persons'];
    role?: string;
    maskedPersonalId?: string;
    verdict?: string;
    completedAt?: string;
    at?: string;
  };
}

/** Sets the version past the events' sequences; see Transition. */
function transition(before: Dossier, after: Dossier, events: DossierEvent[]): Transition {
  return { dossier: { ...after, version: before.version + Math.max(1, events.length) }, events };
}

function entry(status: DossierStatus, at: string, by: string, note?: string): HistoryEntry {
  return { status, portalStatusCode: portalStatusCode[status], at, by, ...(note ? { note: note.slice(0, 2000) } : {}) };
}

function later(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/** The text the citizen is told with a supplement request: the reason and what is missing. */
function supplementText(reason: string | undefined, missing: { name: string }[] | undefined): string {
  const list = (missing ?? []).map((d) => d.name).join('; ');
  return [reason, list ? `Cần bổ sung: ${list}` : undefined].filter(Boolean).join('. ');
}

const caseNotes: Record<string, string> = {
  'case.received': 'Received by the Land Registration Office',
  'case.supplement-requested': 'Supplement requested',
  'case.rejected': 'Refused by the Land Registration Office',
  'case.tax-referred': 'Referred to the tax authority',
  'case.obligation-met': 'Financial obligation met',
  'case.approved': 'Approved',
  'case.certificate-issued': 'Certificate issued; result ready at the desk',
  'case.result-returned': 'Result returned',
  'case.apology-issued': 'Apology letter issued with a new due date',
};

/**
 * Applies an LRO case event once, in order: null when it is a duplicate or older than the last one applied. The
 * status follows the portal code the LRO states (1:1), `case.received` means IN_PROGRESS; the due date and the pause
 * intervals are the LRO's (its clock is authoritative once it has the case). A status change is announced with
 * `dossier.status-changed`; steps that keep the status
 * (approval, a processing step, overdue) change only the due date and pauses; an apology's new date is noted.
 */
export function applyCaseFact(dossier: Dossier, fact: CaseFact): Transition | null {
  if (fact.sequence <= dossier.caseSequence) return null;
  const { data } = fact;
  const at = data.at ?? data.receivedAt ?? fact.time;
  const by = data.actor?.unitCode ?? data.branchCode ?? 'registration-office';
  const next: Dossier = { ...dossier, caseSequence: fact.sequence };
  if (data.dueAt) next.dueAt = data.dueAt;
  if (data.newDueAt) next.dueAt = data.newDueAt;
  if (data.pausedIntervals) next.pausedIntervals = data.pausedIntervals;

  let status = dossier.status;
  // An imported case opens in the state of its imported status (a paused one stays paused at the desk too).
  if (fact.type === 'case.received')
    status = (data.imported && statusOfPortalCode(data.portalStatusCode ?? 4)) || DossierStatus.InProgress;
  else if (data.portalStatusCode !== undefined) status = statusOfPortalCode(data.portalStatusCode) ?? status;
  // Overdue (and due soon) is derived from dueAt, never stored; the event only moves the high-water mark.
  if (fact.type === 'case.overdue' || fact.type === 'case.due-soon') return transition(dossier, next, []);

  let reason: string | undefined;
  if (fact.type === 'case.supplement-requested' && data.supplementRequestNumber) {
    next.supplementRequest = {
      number: data.supplementRequestNumber,
      requestedAt: at,
      reason: data.reason ?? '',
      missingDocuments: data.missingDocuments ?? [],
    };
    reason = supplementText(data.reason, data.missingDocuments);
  } else if (status !== DossierStatus.SupplementRequested) {
    delete next.supplementRequest;
  }
  if (fact.type === 'case.rejected') reason = data.reason;
  if (data.certificateScan) {
    // The LRO's result comes back by reference: the bytes are in the shared object store under this hash.
    const scan = data.certificateScan;
    next.resultDocuments = [
      ...(dossier.resultDocuments ?? []).filter((d) => d.sha256 !== scan.sha256),
      {
        ...scan,
        issuedAt: at,
        ...(data.certificateSerial ? { certificateSerial: data.certificateSerial } : {}),
      },
    ];
  }
  if (status === DossierStatus.Processed) next.appointmentAt = later(next.dueAt, at);

  next.status = status;
  if (fact.type === 'case.apology-issued') return apologyIssued(dossier, next, fact, at, by);
  // The history is the front desk's status history (as the portal shows it): a status change, or a new due date.
  const changed = status !== dossier.status;
  if (changed) {
    const note = [caseNotes[fact.type] ?? fact.type, data.note].filter(Boolean).join(': ');
    next.history = [...dossier.history, entry(status, at, by, reason ? `${note}. ${reason}` : note)];
  }
  const change = statusChanged(next, dossier.status, at, reason);
  // The opening of an imported case (RECEIVED → IN_PROGRESS) is marked so that notification tells nobody about it.
  if (fact.type === 'case.received' && data.imported) Object.assign(change.data, { imported: true });
  return transition(dossier, next, changed ? [change] : []);
}

/**
 * An apology letter moved the due date (ADR 0009): the dossier keeps the LRO's new date as it is, notes the move in
 * its history and its due-date history, and announces it with `dossier.status-changed` carrying `dueDateChange`
 * (the status stays), so the citizen and the intake system are told the new date.
 */
function apologyIssued(dossier: Dossier, next: Dossier, fact: CaseFact, at: string, by: string): Transition {
  const { data } = fact;
  const previousDueAt = data.previousDueAt ?? dossier.dueAt;
  const letterNumber = data.letterNumber ?? `${dossier.dossierCode}/XL`;
  const reason = data.reason ?? '';
  next.dueDateHistory = [
    ...(dossier.dueDateHistory ?? []),
    { previousDueAt, dueAt: next.dueAt, at, letterNumber, reason },
  ];
  const note = `${caseNotes[fact.type]} (${letterNumber}): ${next.dueAt}`;
  next.history = [...dossier.history, entry(next.status, at, by, reason ? `${note}. ${reason}` : note)];
  const change = statusChanged(next, dossier.status, at, reason || undefined, { previousDueAt, letterNumber });
  return transition(dossier, next, [change]);
}

/** Applies a population-matching event once, in order: the match summary shown to the front desk. */
export function applyMatchFact(dossier: Dossier, fact: MatchFact): Transition | null {
  if (fact.sequence <= dossier.matchSequence) return null;
  const { data } = fact;
  const next: Dossier = { ...dossier, matchSequence: fact.sequence };
  const at = data.completedAt ?? data.at ?? fact.time;
  if (fact.type === 'match.completed' && data.persons) {
    const review = data.persons.some((p) => p.verdict === 'NEEDS_REVIEW');
    next.match = { matchId: data.matchId, state: review ? 'REVIEW_REQUIRED' : 'COMPLETED', persons: data.persons, at };
  } else if (fact.type === 'match.review-required' && data.persons) {
    const persons = mergePersons(dossier.match?.persons ?? [], data.persons);
    next.match = { matchId: data.matchId, state: 'REVIEW_REQUIRED', persons, at };
  } else if (fact.type === 'match.resolved' && data.role && data.maskedPersonalId && data.verdict) {
    const resolved = { role: data.role, maskedPersonalId: data.maskedPersonalId, verdict: data.verdict };
    const persons = mergePersons(dossier.match?.persons ?? [], [resolved]);
    const state = persons.some((p) => p.verdict === 'NEEDS_REVIEW') ? 'REVIEW_REQUIRED' : 'COMPLETED';
    next.match = { matchId: data.matchId, state, persons, at };
  }
  return transition(dossier, next, []);
}

function mergePersons(current: MatchSummary['persons'], updates: MatchSummary['persons']): MatchSummary['persons'] {
  const same = (a: { role: string; maskedPersonalId: string }, b: { role: string; maskedPersonalId: string }) =>
    a.role === b.role && a.maskedPersonalId === b.maskedPersonalId;
  const merged = current.map((p) => ({ ...p, ...updates.find((u) => same(u, p)) }));
  return [...merged, ...updates.filter((u) => !current.some((p) => same(u, p)))];
}

/**
 * A document handed in with a supplement, as the LRO is told: its catalogue kind, the name of that kind, and the
 * reference of its file when one was uploaded (never a file name).
 */
export interface SupplementDocument {
  componentCode: string;
  name: string;
  mediaType?: string;
  sizeBytes?: number;
  sha256?: string;
}

/**
 * The front desk hands in the documents of the open supplement request: the request is answered, the dossier goes
 * back to IN_PROGRESS (the LRO's clock resumes from `receivedAt`), and `dossier.supplemented` tells the LRO.
 */
export function answerSupplement(
  dossier: Dossier,
  documents: SupplementDocument[],
  receivedAt: string,
  by: string,
  note?: string,
  /** The files handed in, with their file names: kept by the dossier only (the event carries the references). */
  files: readonly DocumentReference[] = [],
): Transition {
  const request = dossier.supplementRequest;
  if (dossier.status !== DossierStatus.SupplementRequested || !request) {
    throw new ConflictError(
      `Dossier ${dossier.dossierCode} has no open supplement request (status ${dossier.status}).`,
    );
  }
  const next: Dossier = {
    ...dossier,
    status: DossierStatus.InProgress,
    answeredSupplementRequests: [...dossier.answeredSupplementRequests, request.number],
    history: [
      ...dossier.history,
      entry(DossierStatus.InProgress, receivedAt, by, `Supplement ${request.number} handed in`),
    ],
  };
  delete next.supplementRequest;
  if (files.length > 0) {
    next.supplementDocuments = [
      ...(dossier.supplementDocuments ?? []),
      ...files.map((f) => ({ ...f, supplementRequestNumber: request.number, receivedAt })),
    ];
  }
  const supplemented: DossierEvent = {
    type: 'dossier.supplemented',
    data: {
      dossierCode: dossier.dossierCode,
      procedureCode: dossier.procedureCode,
      receivingUnitCode: dossier.receivingUnitCode,
      supplementRequestNumber: request.number,
      documents,
      receivedAt,
      ...(note ? { note } : {}),
    },
  };
  return transition(dossier, next, [supplemented, statusChanged(next, dossier.status, receivedAt)]);
}

/**
 * The citizen withdraws the dossier (portal status 7): allowed while it is being worked on; the LRO stops
 * processing on `dossier.withdrawn` and reports STOPPED.
 */
export function withdraw(dossier: Dossier, reason: string, requestedAt: string, by: string): Transition {
  if (!activeStatuses.includes(dossier.status)) {
    throw new ConflictError(`Dossier ${dossier.dossierCode} can no longer be withdrawn (status ${dossier.status}).`);
  }
  const next: Dossier = {
    ...dossier,
    status: DossierStatus.WithdrawalRequested,
    history: [...dossier.history, entry(DossierStatus.WithdrawalRequested, requestedAt, by, 'Withdrawal requested')],
  };
  const withdrawn: DossierEvent = {
    type: 'dossier.withdrawn',
    data: {
      dossierCode: dossier.dossierCode,
      procedureCode: dossier.procedureCode,
      receivingUnitCode: dossier.receivingUnitCode,
      requestedAt,
      reason,
    },
  };
  return transition(dossier, next, [withdrawn, statusChanged(next, dossier.status, requestedAt, reason)]);
}

/** Whether the dossier is past its due date at `now` and still being worked on (derived, never stored). */
export function isOverdue(dossier: Pick<Dossier, 'status' | 'dueAt'>, now: Date): boolean {
  return activeStatuses.includes(dossier.status) && Date.parse(dossier.dueAt) < now.getTime();
}
