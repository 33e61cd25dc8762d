import { ConflictError, ValidationError } from '@lienthong/kernel';
import {
  ClockLedger,
  PauseReason,
  toVietnamIso,
  type ClockLedgerSnapshot,
  type WorkingCalendar,
} from '@lienthong/statutory-clock';
import type { AuditDraft } from './audit-chain';
import { CaseState, TERMINAL_STATES, portalStatusOf, type Case, type CaseDocument, type CasePerson } from './case';
import { apologyRefusal, issueApology } from './case-apology';
import { certificateScanOf } from './case-attachments';

/** Worker roles (architecture §7): the role matrix below says which may do what. */
export type WorkerRole = 'officer' | 'approver' | 'supervisor';

/** The actions of office-api.md `POST /v1/cases/{code}/transitions`. */
export const CaseAction = {
  StartReview: 'START_REVIEW',
  RequestSupplement: 'REQUEST_SUPPLEMENT',
  StartFieldCheck: 'START_FIELD_CHECK',
  EndFieldCheck: 'END_FIELD_CHECK',
  StartPosting: 'START_POSTING',
  EndPosting: 'END_POSTING',
  SendToTax: 'SEND_TO_TAX',
  RecordObligationMet: 'RECORD_OBLIGATION_MET',
  Approve: 'APPROVE',
  IssueCertificate: 'ISSUE_CERTIFICATE',
  ReturnResult: 'RETURN_RESULT',
  Reject: 'REJECT',
  Stop: 'STOP',
  OverrideMatch: 'OVERRIDE_MATCH',
  /** The apology letter (form 04) with a new agreed due date; offered from the due-soon alert on (case-apology.ts). */
  IssueApology: 'ISSUE_APOLOGY',
} as const;
export type CaseAction = (typeof CaseAction)[keyof typeof CaseAction];
export const CASE_ACTIONS: readonly CaseAction[] = Object.values(CaseAction);

/** Steps that come from the other services, not from a worker. */
export const SystemAction = {
  /** The first claim or assignment of a received case. */
  Assign: 'ASSIGN',
  /** dossier.supplemented: the citizen handed in what was asked. */
  SupplementReceived: 'SUPPLEMENT_RECEIVED',
  /** dossier.withdrawn: the citizen withdrew the dossier at the commune. */
  Withdraw: 'WITHDRAW',
} as const;
export type SystemAction = (typeof SystemAction)[keyof typeof SystemAction];

/**
 * The role matrix (issue 5 §6). Officers do the processing steps on the cases they hold; approvers decide (approve,
 * reject); supervisors and approvers may stop a case. A worker with several roles may do what any of them may.
 */
export const ACTION_ROLES: Readonly<Record<CaseAction, readonly WorkerRole[]>> = {
  START_REVIEW: ['officer'],
  REQUEST_SUPPLEMENT: ['officer'],
  START_FIELD_CHECK: ['officer'],
  END_FIELD_CHECK: ['officer'],
  START_POSTING: ['officer'],
  END_POSTING: ['officer'],
  SEND_TO_TAX: ['officer'],
  RECORD_OBLIGATION_MET: ['officer'],
  APPROVE: ['approver'],
  ISSUE_CERTIFICATE: ['officer'],
  RETURN_RESULT: ['officer'],
  REJECT: ['approver'],
  STOP: ['approver', 'supervisor'],
  OVERRIDE_MATCH: ['officer'],
  ISSUE_APOLOGY: ['officer'],
};

/** Roles that may claim a case for themselves, release a claim they hold, and reassign (supervisor only). */
export const CLAIM_ROLES: readonly WorkerRole[] = ['officer', 'approver'];
export const ASSIGN_ROLES: readonly WorkerRole[] = ['supervisor'];

/** Officer steps need the case claimed by the caller, so that two officers never work the same case at once. */
export function needsClaim(action: CaseAction): boolean {
  return ACTION_ROLES[action].includes('officer');
}

export function mayPerform(action: CaseAction, roles: readonly WorkerRole[]): boolean {
  return ACTION_ROLES[action].some((role) => roles.includes(role));
}

/** Who acts: a worker, or the service itself (for steps triggered by other services' events). */
export interface Actor {
  userId: string;
  branch?: string;
  roles: readonly WorkerRole[];
}

/** A request to move the case. */
export interface ActionRequest {
  action: CaseAction | SystemAction;
  reason?: string;
  details?: Record<string, unknown>;
}

/** An event to publish, before it gets its envelope. */
export interface CaseEventDraft {
  type: string;
  data: Record<string, unknown>;
}

/** What applying an action produced: the new case and what to publish and audit, all written together. */
export interface Outcome {
  kase: Case;
  events: CaseEventDraft[];
  audit: AuditDraft[];
}

/** The reason a case is refused an action, answered as 409. */
export class TransitionRefusedError extends ConflictError {}

const PAUSED_STATE: Readonly<Record<PauseReason, CaseState>> = {
  SUPPLEMENT: CaseState.SupplementRequested,
  FINANCIAL_OBLIGATION: CaseState.AwaitingFinancialObligation,
  PUBLIC_POSTING: CaseState.PublicPosting,
};

const BLOCKING_VERDICTS = ['MISMATCH', 'NEEDS_REVIEW'];

/** Persons whose verdict blocks approval and who have no override. */
export function blockingPersons(kase: Case): CasePerson[] {
  return kase.persons.filter((p) => p.verdict && BLOCKING_VERDICTS.includes(p.verdict) && !p.override);
}

export function isTerminal(state: CaseState): boolean {
  return TERMINAL_STATES.includes(state);
}

interface Rule {
  from: readonly CaseState[];
  to: CaseState | undefined;
  /** Extra conditions; returns the reason when the action is not allowed now. */
  guard?: (kase: Case) => string | undefined;
}

const ACTIVE: readonly CaseState[] = Object.values(CaseState).filter((s) => !TERMINAL_STATES.includes(s));

const RULES: Readonly<Record<CaseAction | SystemAction, Rule>> = {
  ASSIGN: { from: [CaseState.Received], to: CaseState.Assigned },
  START_REVIEW: { from: [CaseState.Assigned], to: CaseState.InReview },
  REQUEST_SUPPLEMENT: {
    from: [CaseState.Assigned, CaseState.InReview, CaseState.FieldCheck],
    to: CaseState.SupplementRequested,
  },
  SUPPLEMENT_RECEIVED: { from: [CaseState.SupplementRequested], to: CaseState.InReview },
  START_FIELD_CHECK: { from: [CaseState.InReview], to: CaseState.FieldCheck },
  END_FIELD_CHECK: { from: [CaseState.FieldCheck], to: CaseState.InReview },
  START_POSTING: {
    from: [CaseState.InReview],
    to: CaseState.PublicPosting,
    guard: (k) =>
      !k.steps.publicPosting
        ? 'this procedure has no public posting'
        : k.progress.posted
          ? 'the public posting is already done'
          : undefined,
  },
  END_POSTING: { from: [CaseState.PublicPosting], to: CaseState.InReview },
  SEND_TO_TAX: {
    from: [CaseState.InReview],
    to: CaseState.AwaitingFinancialObligation,
    guard: (k) =>
      !k.steps.financialObligation
        ? 'this procedure has no financial obligation'
        : k.progress.obligationMet
          ? 'the financial obligation is already met'
          : k.steps.publicPosting && !k.progress.posted
            ? 'the public posting must be done before the tax referral'
            : undefined,
  },
  RECORD_OBLIGATION_MET: { from: [CaseState.AwaitingFinancialObligation], to: CaseState.ObligationMet },
  APPROVE: {
    from: [CaseState.InReview, CaseState.ObligationMet],
    to: CaseState.Approved,
    guard: (k) => {
      if (k.steps.publicPosting && !k.progress.posted) return 'the public posting is not done';
      if (k.steps.financialObligation && !k.progress.obligationMet) return 'the financial obligation is not met yet';
      const blocking = blockingPersons(k);
      if (blocking.length > 0) {
        const who = blocking.map((p) => `${p.role} ${p.maskedPersonalId} (${p.verdict})`).join(', ');
        return `approval is blocked by population matching: ${who}; record OVERRIDE_MATCH with a reason first`;
      }
      return undefined;
    },
  },
  ISSUE_CERTIFICATE: { from: [CaseState.Approved], to: CaseState.CertificateIssued },
  RETURN_RESULT: { from: [CaseState.CertificateIssued], to: CaseState.ResultReturned },
  REJECT: {
    from: ACTIVE.filter((s) => s !== CaseState.Approved && s !== CaseState.CertificateIssued),
    to: CaseState.Rejected,
  },
  STOP: { from: ACTIVE, to: CaseState.Stopped },
  WITHDRAW: { from: ACTIVE.filter((s) => s !== CaseState.CertificateIssued), to: CaseState.Withdrawn },
  OVERRIDE_MATCH: { from: ACTIVE, to: undefined },
  ISSUE_APOLOGY: { from: ACTIVE, to: undefined, guard: (k) => apologyRefusal(k) },
};

/** Why `action` is not allowed on the case now, or undefined when it is (state and procedure rules only). */
export function refusalOf(kase: Case, action: CaseAction | SystemAction): string | undefined {
  const rule = RULES[action];
  if (!rule.from.includes(kase.state)) {
    if (isTerminal(kase.state)) return `the case is closed (${kase.state})`;
    return `${action} is not possible in state ${kase.state} (possible from ${rule.from.join(', ')})`;
  }
  return rule.guard?.(kase);
}

/** The worker actions the caller could do now (state, procedure and role; not the claim). */
export function availableActions(kase: Case, roles: readonly WorkerRole[]): CaseAction[] {
  return CASE_ACTIONS.filter((a) => mayPerform(a, roles) && refusalOf(kase, a) === undefined).filter(
    (a) => a !== CaseAction.OverrideMatch || blockingPersons(kase).length > 0,
  );
}

/** Where the request's input is not what the action needs: 400 with the field, nothing stored. */
function requireText(value: unknown, field: string, max = 1000): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max) {
    throw new ValidationError(`${field} is required.`, [
      { field, code: 'REQUIRED', message: `${field} must be a text of 1–${max} characters` },
    ]);
  }
  return value.trim();
}

function optionalText(value: unknown, field: string, max = 1000): string | undefined {
  return value === undefined ? undefined : requireText(value, field, max);
}

function missingDocumentsOf(details: Record<string, unknown>): { name: string; componentCode?: string }[] {
  const list = details.missingDocuments;
  if (!Array.isArray(list) || list.length === 0 || list.length > 50) {
    throw new ValidationError('details.missingDocuments is required.', [
      {
        field: 'details.missingDocuments',
        code: 'REQUIRED',
        message: 'list 1–50 documents: [{ "name": "...", "componentCode": "..." }]',
      },
    ]);
  }
  return list.map((item: unknown, i) => {
    const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const componentCode = optionalText(o.componentCode, `details.missingDocuments[${i}].componentCode`, 60);
    return {
      name: requireText(o.name, `details.missingDocuments[${i}].name`, 300),
      ...(componentCode ? { componentCode } : {}),
    };
  });
}

/** Wraps a clock snapshot with the calendar for arithmetic. */
export function ledgerOf(kase: Pick<Case, 'clock'>, calendar: WorkingCalendar): ClockLedger {
  return ClockLedger.restore(kase.clock, calendar);
}

/** Pauses as the events carry them: by the paused state. */
export function pausedIntervalsOf(clock: ClockLedgerSnapshot): { state: string; from: string; to?: string }[] {
  return clock.pauses.map((p) => ({ state: PAUSED_STATE[p.reason], from: p.from, ...(p.to ? { to: p.to } : {}) }));
}

/**
 * Applies an action to the case at `now` (pure): checks the state and procedure rules (409 with the reason) and the
 * input the action needs (400), moves the clock (pause on supplement, posting and tax; resume when they end; pauses
 * still open are closed when the case ends), and returns the new case with its events and audit entries. Roles and
 * claims are checked by the caller, which knows the principal.
 */
export function applyAction(
  kase: Case,
  request: ActionRequest,
  actor: Actor,
  now: Date,
  calendar: WorkingCalendar,
): Outcome {
  const refusal = refusalOf(kase, request.action);
  if (refusal) throw new TransitionRefusedError(refusal);
  if (request.action === CaseAction.IssueApology) return issueApology(kase, request, actor, now, calendar);
  const details = request.details ?? {};
  const at = now.toISOString();
  let ledger = ledgerOf(kase, calendar);
  const next: Case = {
    ...kase,
    progress: { ...kase.progress },
    persons: kase.persons.map((p) => ({ ...p })),
    documents: [...kase.documents],
  };
  const specific: Record<string, unknown> = {};
  let eventType = 'case.state-changed';
  let reason: string | undefined;

  switch (request.action) {
    case SystemAction.Assign:
    case CaseAction.StartReview:
    case CaseAction.StartFieldCheck:
      break;
    case CaseAction.RequestSupplement: {
      reason = requireText(request.reason, 'reason');
      const missingDocuments = missingDocumentsOf(details);
      ledger = ledger.pause(PauseReason.Supplement, now);
      next.progress.supplementRequests += 1;
      eventType = 'case.supplement-requested';
      Object.assign(specific, {
        supplementRequestNumber: next.progress.supplementRequests,
        missingDocuments,
        reason,
      });
      next.documents.push(supplementRequestForm(kase, next.progress.supplementRequests, missingDocuments, reason, at));
      break;
    }
    case SystemAction.SupplementReceived:
      ledger = ledger.resume(PauseReason.Supplement, now);
      break;
    case CaseAction.EndFieldCheck:
      next.progress.fieldChecked = true;
      break;
    case CaseAction.StartPosting:
      ledger = ledger.pause(PauseReason.PublicPosting, now);
      break;
    case CaseAction.EndPosting:
      ledger = ledger.resume(PauseReason.PublicPosting, now);
      next.progress.posted = true;
      break;
    case CaseAction.SendToTax:
      ledger = ledger.pause(PauseReason.FinancialObligation, now);
      eventType = 'case.tax-referred';
      specific.taxAuthorityCode = requireText(details.taxAuthorityCode, 'details.taxAuthorityCode', 60);
      break;
    case CaseAction.RecordObligationMet: {
      const taxNoticeNumber = requireText(details.taxNoticeNumber, 'details.taxNoticeNumber', 60);
      const amount = details.amount;
      if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
        throw new ValidationError('details.amount is required.', [
          { field: 'details.amount', code: 'REQUIRED', message: 'the amount paid in VND, 0 or more' },
        ]);
      }
      ledger = ledger.resume(PauseReason.FinancialObligation, now);
      next.progress.obligationMet = true;
      eventType = 'case.obligation-met';
      specific.paidAt = at;
      next.documents.push({
        kind: 'TAX_NOTICE',
        number: taxNoticeNumber,
        issuedAt: at,
        content: `Thông báo nộp nghĩa vụ tài chính số ${taxNoticeNumber}: ${amount} VND, đã hoàn thành.`,
      });
      break;
    }
    case CaseAction.Approve:
      eventType = 'case.approved';
      break;
    case CaseAction.IssueCertificate: {
      const certificateSerial = requireText(details.certificateSerial, 'details.certificateSerial', 20);
      eventType = 'case.certificate-issued';
      specific.certificateSerial = certificateSerial;
      // The scan goes back to the commune by reference; a hash the LRO did not upload to this case is refused.
      const certificateScan = certificateScanOf(kase, details);
      if (certificateScan) specific.certificateScan = certificateScan;
      next.documents.push({
        kind: 'CERTIFICATE',
        number: certificateSerial,
        issuedAt: at,
        content: `Giấy chứng nhận số phát hành ${certificateSerial}.`,
      });
      break;
    }
    case CaseAction.ReturnResult: {
      const channel = details.returnChannel ?? 'DIRECT';
      if (channel !== 'DIRECT' && channel !== 'POSTAL' && channel !== 'ONLINE') {
        throw new ValidationError('details.returnChannel is invalid.', [
          { field: 'details.returnChannel', code: 'INVALID', message: 'one of DIRECT, POSTAL, ONLINE' },
        ]);
      }
      eventType = 'case.result-returned';
      specific.returnChannel = channel;
      break;
    }
    case CaseAction.Reject:
      reason = requireText(request.reason, 'reason');
      eventType = 'case.rejected';
      specific.reason = reason;
      break;
    case CaseAction.Stop:
      reason = requireText(request.reason, 'reason');
      break;
    case SystemAction.Withdraw:
      reason = optionalText(request.reason, 'reason');
      break;
    case CaseAction.OverrideMatch:
      reason = requireText(request.reason ?? details.reason, 'reason');
      overrideMatch(next, details, actor, reason, at);
      break;
  }
  reason ??= optionalText(request.reason, 'reason');

  const rule = RULES[request.action];
  const toState = rule.to ?? kase.state;
  if (isTerminal(toState)) ledger = closeOpenPauses(ledger, now);
  next.state = toState;
  next.open = !isTerminal(toState);
  next.clock = ledger.toSnapshot();
  next.dueAt = ledger.dueAt(now).toISOString();
  next.paused = ledger.isPaused(now);
  if (!next.open) delete next.claim;

  const audit: AuditDraft[] = [
    {
      at,
      actor: actor.userId,
      ...(actor.branch ? { branch: actor.branch } : {}),
      kind: 'ACTION',
      what: request.action,
      fromState: kase.state,
      toState,
      ...(reason ? { reason } : {}),
    },
  ];
  if (rule.to === undefined) return { kase: next, events: [], audit };

  next.history = [
    ...kase.history,
    { state: toState, at, by: actor.userId, action: request.action, ...(reason ? { note: reason } : {}) },
  ];
  const data: Record<string, unknown> = {
    ...baseEventData(next),
    fromState: kase.state,
    toState,
    portalStatusCode: portalStatusOf[toState],
    at,
    actor: { unitCode: kase.branchCode ?? 'UNASSIGNED', userId: actor.userId },
    dueAt: toVietnamIso(ledger.dueAt(now)),
    pausedIntervals: pausedIntervalsOf(next.clock),
    ...specific,
  };
  if (eventType === 'case.state-changed') {
    data.action = request.action;
    if (reason) data.reason = reason;
  }
  return { kase: next, events: [{ type: eventType, data }], audit };
}

/** The fields every case event starts with. */
export function baseEventData(kase: Case): Record<string, unknown> {
  return {
    dossierCode: kase.dossierCode,
    procedureCode: kase.procedureCode,
    communeCode: kase.communeCode,
    ...(kase.branchCode ? { branchCode: kase.branchCode } : {}),
  };
}

function closeOpenPauses(ledger: ClockLedger, now: Date): ClockLedger {
  let closed = ledger;
  for (const pause of ledger.pauses) if (pause.to === undefined) closed = closed.resume(pause.reason, now);
  return closed;
}

function overrideMatch(next: Case, details: Record<string, unknown>, actor: Actor, reason: string, at: string): void {
  const index = details.person;
  const person = typeof index === 'number' && Number.isInteger(index) ? next.persons[index] : undefined;
  if (!person) {
    throw new ValidationError('details.person is invalid.', [
      {
        field: 'details.person',
        code: 'INVALID',
        message: `the index of a person on the case (0–${next.persons.length - 1})`,
      },
    ]);
  }
  if (!person.verdict || !BLOCKING_VERDICTS.includes(person.verdict)) {
    throw new TransitionRefusedError(
      `person ${String(index)} (${person.role}) has verdict ${person.verdict ?? 'PENDING'}; only MISMATCH or NEEDS_REVIEW can be overridden`,
    );
  }
  if (person.override) throw new TransitionRefusedError(`person ${String(index)} already has an override`);
  person.override = { by: actor.userId, at, reason };
}

function supplementRequestForm(
  kase: Case,
  number: number,
  missing: readonly { name: string }[],
  reason: string,
  at: string,
): CaseDocument {
  return {
    kind: 'SUPPLEMENT_REQUEST',
    form: 'Mẫu 02, Thông tư 01/2018/TT-VPCP',
    number: `${kase.dossierCode}/BS-${number}`,
    issuedAt: at,
    content: [
      `PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ (lần ${number})`,
      `Hồ sơ: ${kase.dossierCode}`,
      `Lý do: ${reason}`,
      'Giấy tờ cần bổ sung:',
      ...missing.map((d, i) => `${i + 1}. ${d.name}`),
    ].join('\n'),
  };
}
