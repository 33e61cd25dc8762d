import { ConflictError, ValidationError } from '@lienthong/kernel';
import { validateEvent } from '@lienthong/event-contracts';
import { createEvent } from '@lienthong/messaging';
import { toVietnamIso } from '@lienthong/statutory-clock';
import { buildCase, calendar } from '../../../test/case-builder';
import { CaseState, type Case } from './case';
import {
  ACTION_ROLES,
  CASE_ACTIONS,
  CaseAction,
  SystemAction,
  applyAction,
  availableActions,
  ledgerOf,
  mayPerform,
  type ActionRequest,
  type Actor,
  type WorkerRole,
} from './case-workflow';

const officer: Actor = { userId: 'officer-1', branch: 'KH-DIENKHANH', roles: ['officer'] };
const approver: Actor = { userId: 'approver-1', branch: 'KH-DIENKHANH', roles: ['approver'] };
const at = (iso: string) => new Date(iso);

// What each action needs besides the state, so that the state table below tests the state rules alone.
const inputs: Record<string, Omit<ActionRequest, 'action'>> = {
  REQUEST_SUPPLEMENT: { reason: 'Thiếu hợp đồng', details: { missingDocuments: [{ name: 'Hợp đồng chuyển nhượng' }] } },
  SEND_TO_TAX: { details: { taxAuthorityCode: 'CCT-KH-01' } },
  RECORD_OBLIGATION_MET: { details: { taxNoticeNumber: 'TB-1', amount: 1_000_000 } },
  ISSUE_CERTIFICATE: { details: { certificateSerial: 'AA 01234567' } },
  REJECT: { reason: 'Đất đang tranh chấp' },
  STOP: { reason: 'Có quyết định tạm dừng' },
  OVERRIDE_MATCH: { reason: 'Đã đối chiếu bản chính CCCD', details: { person: 1 } },
};

function act(kase: Case, action: ActionRequest['action'], when = '2026-11-24T02:00:00.000Z', extra = {}) {
  return applyAction(
    kase,
    { action, ...inputs[action], ...extra },
    action === 'APPROVE' ? approver : officer,
    at(when),
    calendar,
  );
}

/** Walks a TRANSFER case (tax, no posting) along the path to `state`. */
function transferIn(state: CaseState): Case {
  const paths: Partial<Record<CaseState, ActionRequest['action'][]>> = {
    RECEIVED: [],
    ASSIGNED: ['ASSIGN'],
    IN_REVIEW: ['ASSIGN', 'START_REVIEW'],
    FIELD_CHECK: ['ASSIGN', 'START_REVIEW', 'START_FIELD_CHECK'],
    SUPPLEMENT_REQUESTED: ['ASSIGN', 'START_REVIEW', 'REQUEST_SUPPLEMENT'],
    AWAITING_FINANCIAL_OBLIGATION: ['ASSIGN', 'START_REVIEW', 'SEND_TO_TAX'],
    OBLIGATION_MET: ['ASSIGN', 'START_REVIEW', 'SEND_TO_TAX', 'RECORD_OBLIGATION_MET'],
    APPROVED: ['ASSIGN', 'START_REVIEW', 'SEND_TO_TAX', 'RECORD_OBLIGATION_MET', 'APPROVE'],
    CERTIFICATE_ISSUED: [
      'ASSIGN',
      'START_REVIEW',
      'SEND_TO_TAX',
      'RECORD_OBLIGATION_MET',
      'APPROVE',
      'ISSUE_CERTIFICATE',
    ],
    RESULT_RETURNED: [
      'ASSIGN',
      'START_REVIEW',
      'SEND_TO_TAX',
      'RECORD_OBLIGATION_MET',
      'APPROVE',
      'ISSUE_CERTIFICATE',
      'RETURN_RESULT',
    ],
    REJECTED: ['REJECT'],
    STOPPED: ['STOP'],
    WITHDRAWN: ['WITHDRAW'],
  };
  let kase = buildCase();
  for (const action of paths[state] ?? []) kase = act(kase, action).kase;
  return kase;
}

describe('case state machine (TRANSFER 1.013831: tax, no public posting)', () => {
  // Expected, written out by hand: which actions each state allows (roles and claims are checked elsewhere).
  const allowed: Partial<Record<CaseState, string[]>> = {
    RECEIVED: ['ASSIGN', 'REJECT', 'STOP', 'WITHDRAW', 'OVERRIDE_MATCH'],
    ASSIGNED: ['START_REVIEW', 'REQUEST_SUPPLEMENT', 'REJECT', 'STOP', 'WITHDRAW', 'OVERRIDE_MATCH'],
    IN_REVIEW: [
      'REQUEST_SUPPLEMENT',
      'START_FIELD_CHECK',
      'SEND_TO_TAX',
      'REJECT',
      'STOP',
      'WITHDRAW',
      'OVERRIDE_MATCH',
    ],
    FIELD_CHECK: ['REQUEST_SUPPLEMENT', 'END_FIELD_CHECK', 'REJECT', 'STOP', 'WITHDRAW', 'OVERRIDE_MATCH'],
    SUPPLEMENT_REQUESTED: ['SUPPLEMENT_RECEIVED', 'REJECT', 'STOP', 'WITHDRAW', 'OVERRIDE_MATCH'],
    AWAITING_FINANCIAL_OBLIGATION: ['RECORD_OBLIGATION_MET', 'REJECT', 'STOP', 'WITHDRAW', 'OVERRIDE_MATCH'],
    OBLIGATION_MET: ['APPROVE', 'REJECT', 'STOP', 'WITHDRAW', 'OVERRIDE_MATCH'],
    APPROVED: ['ISSUE_CERTIFICATE', 'STOP', 'WITHDRAW', 'OVERRIDE_MATCH'],
    CERTIFICATE_ISSUED: ['RETURN_RESULT', 'STOP', 'OVERRIDE_MATCH'],
    RESULT_RETURNED: [],
    REJECTED: [],
    STOPPED: [],
    WITHDRAWN: [],
  };
  const everyAction = [...CASE_ACTIONS, ...Object.values(SystemAction)];
  // A person with a blocking verdict so that OVERRIDE_MATCH has someone to act on.
  const withMismatch = (kase: Case): Case => ({
    ...kase,
    persons: kase.persons.map((p, i) => (i === 1 ? { ...p, verdict: 'MISMATCH' as const } : p)),
  });

  for (const [state, actions] of Object.entries(allowed) as [CaseState, string[]][]) {
    for (const action of everyAction) {
      const ok = actions.includes(action);
      it(`${state} × ${action} → ${ok ? 'allowed' : '409'}`, () => {
        const kase = action === 'OVERRIDE_MATCH' ? withMismatch(transferIn(state)) : transferIn(state);
        expect(kase.state).toBe(state);
        if (ok) {
          expect(() => act(kase, action)).not.toThrow();
        } else {
          expect(() => act(kase, action)).toThrow(ConflictError);
          expect(() => act(kase, action)).toThrow(
            /not possible in state|closed|financial obligation|posting|due-soon alert/,
          );
        }
      });
    }
  }

  it('walks the whole path with contract-valid events and the portal codes of each step', () => {
    let kase = buildCase();
    const steps: [ActionRequest['action'], string, number][] = [
      ['ASSIGN', 'case.state-changed', 4],
      ['START_REVIEW', 'case.state-changed', 4],
      ['REQUEST_SUPPLEMENT', 'case.supplement-requested', 5],
      ['SUPPLEMENT_RECEIVED', 'case.state-changed', 4],
      ['SEND_TO_TAX', 'case.tax-referred', 6],
      ['RECORD_OBLIGATION_MET', 'case.obligation-met', 4],
      ['APPROVE', 'case.approved', 4],
      ['ISSUE_CERTIFICATE', 'case.certificate-issued', 9],
      ['RETURN_RESULT', 'case.result-returned', 10],
    ];
    let minute = 0;
    for (const [action, type, portal] of steps) {
      minute += 30;
      const outcome = act(
        kase,
        action,
        new Date(Date.parse('2026-11-24T01:00:00.000Z') + minute * 60_000).toISOString(),
      );
      expect(outcome.events).toHaveLength(1);
      const [draft] = outcome.events;
      expect(draft!.type).toBe(type);
      expect(draft!.data.portalStatusCode).toBe(portal);
      const event = createEvent({
        type,
        source: '/registration-office',
        subject: kase.dossierCode,
        sequence: 2,
        data: draft!.data,
      });
      expect(validateEvent(JSON.parse(JSON.stringify(event)))).toEqual([]);
      expect(outcome.audit[0]).toMatchObject({ what: action, fromState: kase.state, toState: outcome.kase.state });
      kase = outcome.kase;
    }
    expect(kase.state).toBe(CaseState.ResultReturned);
    expect(kase.open).toBe(false);
    expect(kase.clock.pauses.map((p) => p.reason)).toEqual(['SUPPLEMENT', 'FINANCIAL_OBLIGATION']);
    expect(kase.clock.pauses.every((p) => p.to !== undefined)).toBe(true);
    expect(kase.documents.map((d) => d.kind)).toEqual(['SUPPLEMENT_REQUEST', 'TAX_NOTICE', 'CERTIFICATE']);
  });

  it('refuses approval before the financial obligation is met, with the reason', () => {
    expect(() => act(transferIn(CaseState.InReview), 'APPROVE')).toThrow(
      /not possible in state IN_REVIEW|financial obligation/,
    );
  });

  it('asks for the input each action needs (400, nothing changes)', () => {
    const inReview = transferIn(CaseState.InReview);
    expect(() =>
      applyAction(inReview, { action: 'REQUEST_SUPPLEMENT', reason: 'x' }, officer, new Date(), calendar),
    ).toThrow(ValidationError);
    expect(() => applyAction(inReview, { action: 'REJECT' }, approver, new Date(), calendar)).toThrow(ValidationError);
    expect(() => applyAction(inReview, { action: 'REJECT', reason: '   ' }, approver, new Date(), calendar)).toThrow(
      ValidationError,
    );
    expect(() => applyAction(inReview, { action: 'SEND_TO_TAX', details: {} }, officer, new Date(), calendar)).toThrow(
      ValidationError,
    );
    const awaiting = transferIn(CaseState.AwaitingFinancialObligation);
    expect(() =>
      applyAction(
        awaiting,
        { action: 'RECORD_OBLIGATION_MET', details: { taxNoticeNumber: 'T', amount: -1 } },
        officer,
        new Date(),
        calendar,
      ),
    ).toThrow(ValidationError);
  });

  it('closes the open pause when a paused case ends (rejected while waiting for a supplement)', () => {
    const waiting = transferIn(CaseState.SupplementRequested);
    const { kase } = act(waiting, 'REJECT', '2026-11-26T02:00:00.000Z');
    expect(kase.clock.pauses).toEqual([
      { reason: 'SUPPLEMENT', from: '2026-11-24T02:00:00.000Z', to: '2026-11-26T02:00:00.000Z' },
    ]);
    expect(kase.paused).toBe(false);
  });
});

describe('procedure families', () => {
  it('first registration (1.013978) needs the public posting before tax and approval; posting pauses the clock', () => {
    let kase = buildCase({ procedureCode: '1.013978', caseCode: 'REGISTRATION_WITH_CERTIFICATE' });
    kase = act(kase, 'ASSIGN').kase;
    kase = act(kase, 'START_REVIEW').kase;
    expect(() => act(kase, 'SEND_TO_TAX')).toThrow(/public posting must be done/);
    kase = act(kase, 'START_POSTING', '2026-11-24T02:00:00.000Z').kase;
    expect(kase.state).toBe(CaseState.PublicPosting);
    expect(kase.paused).toBe(true);
    kase = act(kase, 'END_POSTING', '2026-12-09T02:00:00.000Z').kase;
    expect(() => act(kase, 'START_POSTING')).toThrow(/already done/);
    kase = act(kase, 'SEND_TO_TAX').kase;
    kase = act(kase, 'RECORD_OBLIGATION_MET').kase;
    expect(act(kase, 'APPROVE').kase.state).toBe(CaseState.Approved);
  });

  it('a change of user information (1.013833) has no tax step: approval straight from review', () => {
    let kase = buildCase({ procedureCode: '1.013833', caseCode: 'USER_INFO_CHANGE' });
    kase = act(act(kase, 'ASSIGN').kase, 'START_REVIEW').kase;
    expect(() => act(kase, 'SEND_TO_TAX')).toThrow(/no financial obligation/);
    expect(() => act(kase, 'START_POSTING')).toThrow(/no public posting/);
    expect(act(kase, 'APPROVE').kase.state).toBe(CaseState.Approved);
  });

  it('field check returns to review and is recorded', () => {
    let kase = act(transferIn(CaseState.InReview), 'START_FIELD_CHECK').kase;
    kase = act(kase, 'END_FIELD_CHECK').kase;
    expect(kase.state).toBe(CaseState.InReview);
    expect(kase.progress.fieldChecked).toBe(true);
  });
});

describe('population-matching verdicts and approval', () => {
  const ready = (verdict: 'MISMATCH' | 'NEEDS_REVIEW' | 'MATCHED' | 'NOT_FOUND') => {
    const kase = transferIn(CaseState.ObligationMet);
    return {
      ...kase,
      persons: kase.persons.map((p, i) => (i === 1 ? { ...p, verdict } : { ...p, verdict: 'MATCHED' as const })),
    };
  };

  it.each(['MISMATCH', 'NEEDS_REVIEW'] as const)(
    '%s blocks approval until an officer overrides with a reason',
    (verdict) => {
      const kase = ready(verdict);
      expect(() => act(kase, 'APPROVE')).toThrow(new RegExp(`TRANSFEREE 0790\\*+90 \\(${verdict}\\)`));
      expect(availableActions(kase, ['approver'])).not.toContain('APPROVE');
      expect(availableActions(kase, ['officer'])).toContain('OVERRIDE_MATCH');
      expect(() =>
        applyAction(kase, { action: 'OVERRIDE_MATCH', details: { person: 1 } }, officer, new Date(), calendar),
      ).toThrow(ValidationError);
      const overridden = act(kase, 'OVERRIDE_MATCH');
      expect(overridden.events).toEqual([]);
      expect(overridden.kase.state).toBe(kase.state);
      expect(overridden.kase.persons[1]!.override).toMatchObject({
        by: 'officer-1',
        reason: 'Đã đối chiếu bản chính CCCD',
      });
      expect(act(overridden.kase, 'APPROVE').kase.state).toBe(CaseState.Approved);
      expect(() => act(overridden.kase, 'OVERRIDE_MATCH')).toThrow(/already has an override/);
    },
  );

  it.each(['MATCHED', 'NOT_FOUND'] as const)('%s does not block approval and cannot be overridden', (verdict) => {
    const kase = ready(verdict);
    expect(act(kase, 'APPROVE').kase.state).toBe(CaseState.Approved);
    expect(() => act(kase, 'OVERRIDE_MATCH')).toThrow(/only MISMATCH or NEEDS_REVIEW/);
  });
});

describe('statutory clock ledger on the case', () => {
  // TRANSFER, 8 working days. Received Thursday 20 Aug 2026 08:00; Saturday 22 Aug is a make-up working day and
  // 29 Aug – 2 Sep are the National Day days off (Ministry of Home Affairs 2026 schedule).
  const received = '2026-08-20T01:00:00.000Z';

  it('base due date counts the make-up Saturday and skips the National Day holiday', () => {
    const kase = buildCase({ receivedAt: received });
    expect(toVietnamIso(ledgerOf(kase, calendar).baseDueAt)).toBe('2026-09-03T08:00:00+07:00');
  });

  it('a supplement pause across the make-up Saturday and the holiday moves the due date by the paused working time', () => {
    let kase = act(buildCase({ receivedAt: received }), 'ASSIGN', '2026-08-20T02:00:00.000Z').kase;
    kase = act(kase, 'REQUEST_SUPPLEMENT', '2026-08-21T01:00:00.000Z').kase; // Fri 08:00
    const paused = ledgerOf(kase, calendar);
    expect(paused.isPaused(at('2026-08-25T03:00:00.000Z'))).toBe(true);
    // While paused the remaining time stands still.
    expect(paused.remainingWorkingMinutes(at('2026-08-24T02:00:00.000Z'))).toBe(
      paused.remainingWorkingMinutes(at('2026-08-27T08:00:00.000Z')),
    );
    kase = act(kase, 'SUPPLEMENT_RECEIVED', '2026-09-03T01:00:00.000Z').kase; // Thu 3 Sep 08:00
    const ledger = ledgerOf(kase, calendar);
    // Fri 21 Aug 08:00–17:00 (420) + Sat 22 (480) + 24–28 Aug (5 × 480) + Thu 3 Sep 07:00–08:00 (60).
    expect(ledger.pausedWorkingMinutes(at('2026-09-03T01:00:00.000Z'))).toBe(3360);
    expect(toVietnamIso(ledger.dueAt(at('2026-09-03T01:00:00.000Z')))).toBe('2026-09-14T08:00:00+07:00');
    expect(kase.dueAt).toBe('2026-09-14T01:00:00.000Z');
    expect(ledger.isLate(at('2026-09-10T01:00:00.000Z'))).toBe(false);
    expect(ledger.isLate(at('2026-09-14T01:00:01.000Z'))).toBe(true);
  });

  it('a second supplement request counts the case as late for the national KPI', () => {
    let kase = transferIn(CaseState.SupplementRequested);
    expect(ledgerOf(kase, calendar).countsAsLateForKpi(at('2026-11-24T03:00:00.000Z'))).toBe(false);
    kase = act(kase, 'SUPPLEMENT_RECEIVED', '2026-11-25T02:00:00.000Z').kase;
    const second = act(kase, 'REQUEST_SUPPLEMENT', '2026-11-25T03:00:00.000Z');
    expect(second.events[0]!.data.supplementRequestNumber).toBe(2);
    expect(second.kase.progress.supplementRequests).toBe(2);
    expect(ledgerOf(second.kase, calendar).countsAsLateForKpi(at('2026-11-25T04:00:00.000Z'))).toBe(true);
  });
});

describe('role matrix', () => {
  // Written out by hand: the roles that may do each action.
  const expected: Record<string, WorkerRole[]> = {
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
  const roles: WorkerRole[] = ['officer', 'approver', 'supervisor'];
  it('covers every action', () => expect(Object.keys(ACTION_ROLES).sort()).toEqual(Object.keys(expected).sort()));
  for (const action of CASE_ACTIONS) {
    for (const role of roles) {
      const ok = expected[action]!.includes(role);
      it(`${action} × ${role} → ${ok ? 'allowed' : 'forbidden'}`, () => expect(mayPerform(action, [role])).toBe(ok));
    }
  }
  it('a worker with several roles may do what any of them may', () => {
    expect(mayPerform(CaseAction.Approve, ['officer', 'approver'])).toBe(true);
    expect(mayPerform(CaseAction.Approve, [])).toBe(false);
  });
});
