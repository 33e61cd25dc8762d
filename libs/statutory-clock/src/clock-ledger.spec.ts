import path from 'node:path';
import { ClockLedger, PauseReason } from './clock-ledger';
import { IllegalClockOperationError } from './errors';
import { toVietnamIso } from './local-time';
import { loadReferenceData } from './reference-data';
import { type CaseTimeLimits } from './time-limit';

const { calendar } = loadReferenceData(path.resolve(__dirname, '../../..'));
const at = (iso: string): Date => new Date(iso);
const transfer: CaseTimeLimits = {
  normal: { unit: 'WORKING_DAY', amount: 8 },
  remote: { unit: 'WORKING_DAY', amount: 18 },
};
const start = (receivedAt: string, remote = false): ClockLedger =>
  ClockLedger.start({ receivedAt: at(receivedAt), timeLimit: transfer, calendar, remote });

describe('ClockLedger', () => {
  it('without pauses: due at the base due date, 3,840 working minutes at receipt, late one minute after', () => {
    const ledger = start('2026-11-23T08:15:00+07:00');
    expect(ledger.dueAtIso(at('2026-11-23T08:15:00+07:00'))).toBe('2026-12-03T08:15:00+07:00');
    expect(ledger.remainingWorkingMinutes(at('2026-11-23T08:15:00+07:00'))).toBe(3840);
    expect(ledger.isLate(at('2026-12-03T08:15:00+07:00'))).toBe(false);
    expect(ledger.isLate(at('2026-12-03T08:16:00+07:00'))).toBe(true);
    expect(ledger.remainingWorkingMinutes(at('2026-12-03T10:15:00+07:00'))).toBe(-120);
  });

  it('moves the due date by the paused working time of a supplement request spanning Hùng Kings day and 30 Apr', () => {
    // Received Mon 20 Apr 2026 09:00 → base due Tue 5 May 09:00 (27 Apr, 30 Apr and 1 May are off).
    const received = start('2026-04-20T09:00:00+07:00');
    expect(toVietnamIso(received.baseDueAt)).toBe('2026-05-05T09:00:00+07:00');
    // Supplement from Thu 23 Apr 10:00 to Wed 29 Apr 10:00: 300 + 480 (Fri) + 480 (Tue 28) + 180 = 1,440 working
    // minutes; the weekend and the compensatory Monday 27 Apr do not count.
    const ledger = received
      .pause(PauseReason.Supplement, at('2026-04-23T10:00:00+07:00'))
      .resume(PauseReason.Supplement, at('2026-04-29T10:00:00+07:00'));
    const now = at('2026-04-29T10:00:00+07:00');
    expect(ledger.pausedWorkingMinutes(now)).toBe(1440);
    expect(ledger.dueAtIso(now)).toBe('2026-05-08T09:00:00+07:00');
    // Before the pause 1,500 working minutes had run (Mon 09:00 → Thu 10:00).
    expect(ledger.remainingWorkingMinutes(now)).toBe(3840 - 1500);
  });

  it('freezes the remaining time while waiting for financial obligations', () => {
    const ledger = start('2026-11-23T08:15:00+07:00').pause(
      PauseReason.FinancialObligation,
      at('2026-11-25T10:00:00+07:00'),
    );
    const atPause = ledger.remainingWorkingMinutes(at('2026-11-25T10:00:00+07:00'));
    expect(ledger.isPaused(at('2026-12-10T09:00:00+07:00'))).toBe(true);
    expect(ledger.remainingWorkingMinutes(at('2026-12-10T09:00:00+07:00'))).toBe(atPause);
    expect(ledger.isLate(at('2026-12-10T09:00:00+07:00'))).toBe(false); // past the base due date, but paused
    expect(ledger.dueAt(at('2026-12-10T09:00:00+07:00')) > at('2026-12-10T09:00:00+07:00')).toBe(true);
  });

  it('counts overlapping pauses (public posting and financial obligation) once', () => {
    const ledger = start('2026-11-23T08:15:00+07:00')
      .pause(PauseReason.PublicPosting, at('2026-11-24T07:00:00+07:00'))
      .pause(PauseReason.FinancialObligation, at('2026-11-24T13:30:00+07:00'))
      .resume(PauseReason.PublicPosting, at('2026-11-25T17:00:00+07:00'))
      .resume(PauseReason.FinancialObligation, at('2026-11-26T11:30:00+07:00'));
    // Tue 07:00 → Thu 11:30: 480 + 480 + 270.
    expect(ledger.pausedWorkingMinutes(at('2026-11-30T08:00:00+07:00'))).toBe(1230);
  });

  it('uses no working time for a pause requested after office hours until the next morning', () => {
    const ledger = start('2026-11-23T08:15:00+07:00').pause(PauseReason.Supplement, at('2026-11-23T17:45:00+07:00'));
    expect(ledger.pausedWorkingMinutes(at('2026-11-24T06:59:00+07:00'))).toBe(0);
    expect(ledger.pausedWorkingMinutes(at('2026-11-24T08:00:00+07:00'))).toBe(60);
  });

  it('moves a due date at the close of the day into the next morning', () => {
    const ledger = start('2026-11-23T07:00:00+07:00') // base due Wed 2 Dec 17:00
      .pause(PauseReason.Supplement, at('2026-11-24T09:00:00+07:00'))
      .resume(PauseReason.Supplement, at('2026-11-24T10:00:00+07:00'));
    expect(ledger.dueAtIso(at('2026-11-25T00:00:00+07:00'))).toBe('2026-12-03T08:00:00+07:00');
  });

  it('derives lateness at any instant and never stores it', () => {
    const ledger = start('2026-11-23T08:15:00+07:00');
    expect(ledger.isLate(at('2026-12-03T17:30:00+07:00'))).toBe(true);
    expect(ledger.remainingWorkingMinutes(at('2026-12-03T17:30:00+07:00'))).toBe(-405); // 08:15–11:30 and 13:30–17:00
    expect(JSON.stringify(ledger.toSnapshot())).not.toMatch(/late|due/i);
  });

  it('counts the dossier as late for the national KPI after a second supplement request', () => {
    const once = start('2026-11-23T08:15:00+07:00')
      .pause(PauseReason.Supplement, at('2026-11-24T08:00:00+07:00'))
      .resume(PauseReason.Supplement, at('2026-11-24T09:00:00+07:00'));
    const twice = once
      .pause(PauseReason.Supplement, at('2026-11-25T08:00:00+07:00'))
      .resume(PauseReason.Supplement, at('2026-11-25T09:00:00+07:00'));
    expect(once.countsAsLateForKpi(at('2026-11-26T08:00:00+07:00'))).toBe(false);
    expect(twice.supplementRequestCount).toBe(2);
    expect(twice.countsAsLateForKpi(at('2026-11-26T08:00:00+07:00'))).toBe(true);
  });

  it('starts a remote commune’s clock on the remote limit', () => {
    expect(toVietnamIso(start('2026-11-23T08:15:00+07:00', true).baseDueAt)).toBe('2026-12-17T08:15:00+07:00');
  });

  it('round-trips through its snapshot, keeping the limit it was received under', () => {
    const ledger = start('2026-11-23T08:15:00+07:00')
      .pause(PauseReason.Supplement, at('2026-11-24T08:00:00+07:00'))
      .resume(PauseReason.Supplement, at('2026-11-25T08:00:00+07:00'))
      .pause(PauseReason.FinancialObligation, at('2026-11-26T08:00:00+07:00'));
    const snapshot = JSON.parse(JSON.stringify(ledger.toSnapshot())) as ReturnType<ClockLedger['toSnapshot']>;
    expect(snapshot.timeLimit).toEqual({ unit: 'WORKING_DAY', amount: 8 });
    const restored = ClockLedger.restore(snapshot, calendar);
    const now = at('2026-11-27T10:00:00+07:00');
    expect(restored.dueAt(now)).toEqual(ledger.dueAt(now));
    expect(restored.toSnapshot()).toEqual(ledger.toSnapshot());
  });

  it('refuses pauses and resumes that do not fit its state', () => {
    const ledger = start('2026-11-23T08:15:00+07:00');
    expect(() => ledger.pause(PauseReason.Supplement, at('2026-11-23T08:00:00+07:00'))).toThrow(
      IllegalClockOperationError,
    );
    const paused = ledger.pause(PauseReason.Supplement, at('2026-11-24T08:00:00+07:00'));
    expect(() => paused.pause(PauseReason.Supplement, at('2026-11-24T09:00:00+07:00'))).toThrow(/already paused/);
    expect(() => ledger.resume(PauseReason.Supplement, at('2026-11-24T09:00:00+07:00'))).toThrow(/not paused/);
    expect(() => paused.resume(PauseReason.Supplement, at('2026-11-24T07:00:00+07:00'))).toThrow(/before it paused/);
    const resumed = paused.resume(PauseReason.Supplement, at('2026-11-24T10:00:00+07:00'));
    expect(() => resumed.pause(PauseReason.Supplement, at('2026-11-24T09:30:00+07:00'))).toThrow(/overlaps/);
    expect(ledger.pauses).toEqual([]); // immutable
  });

  it('an apology extension replaces the due date; pauses before it stay behind it, pauses after it move it', () => {
    // Base due Thu 3 Dec 08:15; a supplement pause of one working day (Tue 24 → Wed 25 Nov 08:15) moves it to 4 Dec.
    const paused = start('2026-11-23T08:15:00+07:00')
      .pause(PauseReason.Supplement, at('2026-11-24T08:15:00+07:00'))
      .resume(PauseReason.Supplement, at('2026-11-25T08:15:00+07:00'));
    expect(paused.dueAtIso(at('2026-12-01T08:00:00+07:00'))).toBe('2026-12-04T08:15:00+07:00');
    const extended = paused.extend(at('2026-12-09T17:00:00+07:00'), at('2026-12-03T09:00:00+07:00'));
    expect(extended.dueAtIso(at('2026-12-03T09:00:00+07:00'))).toBe('2026-12-09T17:00:00+07:00');
    // Before the letter the old date still stood (the ledger answers for any instant).
    expect(extended.dueAtIso(at('2026-12-02T09:00:00+07:00'))).toBe('2026-12-04T08:15:00+07:00');
    // Tax from Fri 4 Dec 13:30 to Mon 7 Dec 13:30: one working day more.
    const taxed = extended
      .pause(PauseReason.FinancialObligation, at('2026-12-04T13:30:00+07:00'))
      .resume(PauseReason.FinancialObligation, at('2026-12-07T13:30:00+07:00'));
    expect(taxed.dueAtIso(at('2026-12-07T14:00:00+07:00'))).toBe('2026-12-10T17:00:00+07:00');
    // The snapshot keeps it: a later step that restores the ledger does not lose the agreed date.
    const restored = ClockLedger.restore(JSON.parse(JSON.stringify(taxed.toSnapshot())), calendar);
    expect(restored.dueAtIso(at('2026-12-07T14:00:00+07:00'))).toBe('2026-12-10T17:00:00+07:00');
    expect(restored.isLate(at('2026-12-10T16:59:00+07:00'))).toBe(false);
    // Not late against the agreed date, but the national KPI still counts it late against the statutory one
    // (4 Dec 08:15 after the supplement; the tax pause came after it).
    expect(toVietnamIso(restored.statutoryDueAt(at('2026-12-07T14:00:00+07:00')))).toBe('2026-12-07T08:15:00+07:00');
    expect(restored.countsAsLateForKpi(at('2026-12-08T09:00:00+07:00'))).toBe(true);
    expect(restored.countsAsLateForKpi(at('2026-12-04T08:00:00+07:00'))).toBe(false);
  });

  it('refuses an extension that does not move the due date later, or goes back in time', () => {
    const ledger = start('2026-11-23T08:15:00+07:00');
    expect(() => ledger.extend(at('2026-12-03T08:15:00+07:00'), at('2026-12-01T08:00:00+07:00'))).toThrow(/not after/);
    expect(() => ledger.extend(at('2026-12-09T08:15:00+07:00'), at('2026-11-20T08:00:00+07:00'))).toThrow(
      IllegalClockOperationError,
    );
    const once = ledger.extend(at('2026-12-09T08:15:00+07:00'), at('2026-12-02T08:00:00+07:00'));
    expect(() => once.extend(at('2026-12-19T08:15:00+07:00'), at('2026-12-01T08:00:00+07:00'))).toThrow(/precede/);
  });

  it('starts from a due date the receiving side stated, and keeps it through a snapshot', () => {
    const stated = ClockLedger.start({
      receivedAt: at('2026-11-23T08:15:00+07:00'),
      timeLimit: transfer,
      remote: true,
      calendar,
      baseDueAt: at('2026-12-17T08:15:00+07:00'),
    });
    expect(stated.timeLimit).toEqual({ unit: 'WORKING_DAY', amount: 18 });
    const restored = ClockLedger.restore(stated.toSnapshot(), calendar);
    expect(restored.dueAtIso(at('2026-11-23T08:15:00+07:00'))).toBe('2026-12-17T08:15:00+07:00');
  });
});
