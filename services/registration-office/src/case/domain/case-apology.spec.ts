import { ConflictError, ValidationError } from '@lienthong/kernel';
import { validateEvent } from '@lienthong/event-contracts';
import { createEvent } from '@lienthong/messaging';
import { buildCase, calendar } from '../../../test/case-builder';
import type { Case } from './case';
import { detectAlerts } from './case-alerts';
import { applyAction, availableActions, ledgerOf, type Actor } from './case-workflow';

// TRANSFER received Monday 23 Nov 2026 08:00 (+07): 8 working days, due Thursday 3 Dec 2026 08:00.
const officer: Actor = { userId: 'officer-1', branch: 'KH-DIENKHANH', roles: ['officer'] };
const policy = { dueSoonWorkingMinutes: 480, apologyExtensionWorkingDays: 3 };
const at = (iso: string) => new Date(iso);

function act(kase: Case, action: string, when: string, extra: Record<string, unknown> = {}) {
  return applyAction(kase, { action: action as never, ...extra }, officer, at(when), calendar);
}

function inReview(): Case {
  const assigned = act(buildCase(), 'ASSIGN', '2026-11-23T02:00:00.000Z').kase;
  return act(assigned, 'START_REVIEW', '2026-11-23T03:00:00.000Z').kase;
}

function dueSoon(kase: Case): Case {
  return detectAlerts(kase, at('2026-12-02T02:00:00.000Z'), calendar, policy)!.kase; // Wed 09:00, 7 h left
}

const apology = { reason: 'Chờ kết quả đo đạc bổ sung', details: { newDueAt: '2026-12-09T17:00:00+07:00' } };

describe('ISSUE_APOLOGY (form 04 by a worker)', () => {
  it('is refused with 409 before the due-soon alert, and not offered', () => {
    const kase = inReview();
    expect(() => act(kase, 'ISSUE_APOLOGY', '2026-11-30T02:00:00.000Z', apology)).toThrow(ConflictError);
    expect(() => act(kase, 'ISSUE_APOLOGY', '2026-11-30T02:00:00.000Z', apology)).toThrow(/due-soon alert/);
    expect(availableActions(kase, ['officer'])).not.toContain('ISSUE_APOLOGY');
  });

  it('from the due-soon alert on: moves the ledger, keeps the state, issues the letter and its event', () => {
    const kase = dueSoon(inReview());
    expect(availableActions(kase, ['officer'])).toContain('ISSUE_APOLOGY');
    const outcome = act(kase, 'ISSUE_APOLOGY', '2026-12-02T03:00:00.000Z', apology);
    expect(outcome.kase.state).toBe('IN_REVIEW');
    expect(outcome.kase.dueAt).toBe('2026-12-09T10:00:00.000Z');
    expect(outcome.kase.alerts).toEqual({});
    expect(outcome.events).toHaveLength(1);
    const event = outcome.events[0]!;
    expect(event.type).toBe('case.apology-issued');
    expect(event.data).toMatchObject({
      previousDueAt: '2026-12-03T08:00:00+07:00',
      newDueAt: '2026-12-09T17:00:00+07:00',
      reason: apology.reason,
      letterNumber: '000.00.56.H42-261123-0001/XL-1',
      actor: { unitCode: 'KH-DIENKHANH', userId: 'officer-1' },
    });
    const envelope = createEvent({
      type: event.type,
      source: '/registration-office',
      subject: String(event.data.dossierCode),
      sequence: 2,
      data: event.data,
    });
    expect(validateEvent(JSON.parse(JSON.stringify(envelope)))).toEqual([]);
    const letter = outcome.kase.documents.at(-1)!;
    expect(letter).toMatchObject({ kind: 'APOLOGY_LETTER', form: 'Mẫu 04, Thông tư 01/2018/TT-VPCP' });
    expect(letter.content).toContain('Ngày hẹn trả kết quả mới: 2026-12-09T17:00:00+07:00');
    expect(outcome.audit[0]).toMatchObject({ what: 'ISSUE_APOLOGY', reason: apology.reason });
  });

  it('a later step keeps the new date; a later pause moves it by the paused working time only', () => {
    const moved = act(dueSoon(inReview()), 'ISSUE_APOLOGY', '2026-12-02T03:00:00.000Z', apology).kase;
    const fieldCheck = act(moved, 'START_FIELD_CHECK', '2026-12-03T03:00:00.000Z');
    expect(fieldCheck.kase.dueAt).toBe('2026-12-09T10:00:00.000Z');
    expect(fieldCheck.events[0]!.data.dueAt).toBe('2026-12-09T17:00:00+07:00');
    // Supplement requested Thu 3 Dec 14:00, answered Fri 4 Dec 14:00: one working day paused.
    const paused = act(fieldCheck.kase, 'REQUEST_SUPPLEMENT', '2026-12-03T07:00:00.000Z', {
      reason: 'Thiếu bản vẽ',
      details: { missingDocuments: [{ name: 'Bản vẽ' }] },
    }).kase;
    const resumed = act(paused, 'SUPPLEMENT_RECEIVED', '2026-12-04T07:00:00.000Z');
    expect(resumed.events[0]!.data.dueAt).toBe('2026-12-10T17:00:00+07:00');
    expect(ledgerOf(resumed.kase, calendar).dueAt(at('2026-12-05T00:00:00.000Z')).toISOString()).toBe(
      '2026-12-10T10:00:00.000Z',
    );
  });

  it('answers 400 for a missing reason, a missing or impossible date, or one not after the due date', () => {
    const kase = dueSoon(inReview());
    const attempt = (extra: Record<string, unknown>) => () =>
      act(kase, 'ISSUE_APOLOGY', '2026-12-02T03:00:00.000Z', extra);
    expect(attempt({ details: apology.details })).toThrow(ValidationError);
    expect(attempt({ reason: 'x' })).toThrow(ValidationError);
    expect(attempt({ reason: 'x', details: { newDueAt: '2026-12-06' } })).toThrow(/not a working day/); // Sunday
    expect(attempt({ reason: 'x', details: { newDueAt: '2026-12-07T20:00:00+07:00' } })).toThrow(/office hours/);
    expect(attempt({ reason: 'x', details: { newDueAt: '2026-12-02T17:00:00+07:00' } })).toThrow(/not after/);
  });

  it('a working day as the date means its close of office hours', () => {
    const outcome = act(dueSoon(inReview()), 'ISSUE_APOLOGY', '2026-12-02T03:00:00.000Z', {
      reason: 'x',
      details: { newDueAt: '2026-12-08' },
    });
    expect(outcome.events[0]!.data.newDueAt).toBe('2026-12-08T17:00:00+07:00');
  });

  it('the clock watch issues none when the worker already moved the date', () => {
    const moved = act(dueSoon(inReview()), 'ISSUE_APOLOGY', '2026-12-02T03:00:00.000Z', apology).kase;
    expect(detectAlerts(moved, at('2026-12-03T01:30:00.000Z'), calendar, policy)).toBeUndefined();
  });
});
