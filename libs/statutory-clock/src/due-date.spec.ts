import path from 'node:path';
import { countingStart, dueDate } from './due-date';
import { toVietnamIso } from './local-time';
import { loadReferenceData } from './reference-data';
import { type CaseTimeLimits, type TimeLimit } from './time-limit';

const { calendar } = loadReferenceData(path.resolve(__dirname, '../../..'));
const at = (iso: string): Date => new Date(iso);
const due = (receivedAt: string, limit: TimeLimit | CaseTimeLimits, remote = false): string =>
  toVietnamIso(dueDate(at(receivedAt), limit, { calendar, remote }));

const workingDays = (amount: number): TimeLimit => ({ unit: 'WORKING_DAY', amount });
const transfer: CaseTimeLimits = { normal: workingDays(8), remote: workingDays(18) }; // 1.013831, Decree 151/2025
const mortgage: CaseTimeLimits = { normal: { unit: 'SAME_WORKING_DAY', cutoff: '15:00' } }; // 1.011441

describe('dueDate', () => {
  it('gives the intake contract example: transfer received Mon 23 Nov 2026 08:15 → Thu 3 Dec 08:15', () => {
    expect(due('2026-11-23T08:15:00+07:00', transfer)).toBe('2026-12-03T08:15:00+07:00');
  });

  it('counts a transfer received Fri 13 Feb 2026 at 16:00 across the Tết break: due Wed 4 Mar 16:00', () => {
    // 16:00–17:00 Friday, then 14–22 Feb closed; working days 23–27 Feb, 2–4 Mar.
    expect(due('2026-02-13T16:00:00+07:00', transfer)).toBe('2026-03-04T16:00:00+07:00');
  });

  it('counts a receipt after office hours from the next working morning', () => {
    expect(toVietnamIso(countingStart(at('2026-11-24T18:30:00+07:00'), calendar))).toBe('2026-11-25T07:00:00+07:00');
    expect(due('2026-11-24T18:30:00+07:00', transfer)).toBe(due('2026-11-25T07:00:00+07:00', transfer));
  });

  it('counts a receipt before opening from 07:00 the same day', () => {
    expect(due('2026-11-23T06:45:00+07:00', workingDays(1))).toBe('2026-11-23T17:00:00+07:00');
  });

  it('counts a receipt during the lunch break from 13:30: due at 13:30', () => {
    // 1.013833 change of user information, 4 working days.
    expect(due('2026-11-25T12:10:00+07:00', workingDays(4))).toBe('2026-12-01T13:30:00+07:00');
  });

  it('counts a Friday-evening receipt from Monday morning', () => {
    // 1.012783 certificate exchange, 5 working days: Mon 30 Nov – Fri 4 Dec.
    expect(due('2026-11-27T17:45:00+07:00', workingDays(5))).toBe('2026-12-04T17:00:00+07:00');
  });

  it('puts a due date that ends exactly at the close of a day on 17:00, not on the next morning', () => {
    expect(due('2026-11-23T07:00:00+07:00', transfer)).toBe('2026-12-02T17:00:00+07:00');
  });

  it('counts a dossier received online during the Tết 2026 break from Mon 23 Feb', () => {
    expect(due('2026-02-18T10:00:00+07:00', workingDays(4))).toBe('2026-02-26T17:00:00+07:00');
  });

  it('skips the official Tết 2025 week (27–31 Jan)', () => {
    expect(due('2025-01-24T10:00:00+07:00', transfer)).toBe('2025-02-12T10:00:00+07:00');
  });

  it('counts the make-up Saturday 22 Aug 2026 and skips 29 Aug – 2 Sep', () => {
    // 21 Aug, Sat 22 Aug, 24–28 Aug, then Thu 3 Sep.
    expect(due('2026-08-20T10:00:00+07:00', transfer)).toBe('2026-09-03T10:00:00+07:00');
  });

  it('serves a mortgage on the make-up Saturday itself within that day', () => {
    expect(due('2026-08-22T09:00:00+07:00', mortgage)).toBe('2026-08-22T17:00:00+07:00');
  });

  it('makes a mortgage received at 15:30 due at the close of the next working day', () => {
    expect(due('2026-11-23T15:30:00+07:00', mortgage)).toBe('2026-11-24T17:00:00+07:00');
  });

  it('makes a mortgage received by 15:00 due the same day', () => {
    expect(due('2026-11-23T14:59:00+07:00', mortgage)).toBe('2026-11-23T17:00:00+07:00');
    expect(due('2026-11-23T15:00:00+07:00', mortgage)).toBe('2026-11-23T17:00:00+07:00');
  });

  it('makes a mortgage received Friday 28 Aug 2026 at 15:30 due after the National Day break', () => {
    expect(due('2026-08-28T15:30:00+07:00', mortgage)).toBe('2026-09-03T17:00:00+07:00');
  });

  it('makes a mortgage received on a Sunday due Monday at 17:00', () => {
    expect(due('2026-11-29T10:00:00+07:00', mortgage)).toBe('2026-11-30T17:00:00+07:00');
  });

  it('gives a remote commune its remote limit (+10 working days for a transfer)', () => {
    expect(due('2026-11-23T08:15:00+07:00', transfer, true)).toBe('2026-12-17T08:15:00+07:00');
  });

  it('keeps the normal limit in a remote commune when no remote limit is published', () => {
    expect(due('2026-11-23T15:30:00+07:00', mortgage, true)).toBe('2026-11-24T17:00:00+07:00');
  });

  it('counts a dossier received just before the 2027 Tết (rule-computed days off)', () => {
    // Off: Fri 5, Mon 8, Tue 9 Feb (Tết), Wed 10, Thu 11 Feb (compensating Sat 6, Sun 7).
    expect(due('2027-02-04T09:00:00+07:00', workingDays(4))).toBe('2027-02-17T09:00:00+07:00');
  });

  it('ends a calendar-day limit at the close of the last day, moved off a holiday', () => {
    // 1.012812 mediation, 30 days from Mon 3 Aug 2026: Wed 2 Sep is National Day, so Thu 3 Sep.
    expect(due('2026-08-03T10:00:00+07:00', { unit: 'CALENDAR_DAY', amount: 30 })).toBe('2026-09-03T17:00:00+07:00');
  });

  it('counts working hours', () => {
    expect(due('2026-11-23T10:00:00+07:00', { unit: 'WORKING_HOUR', amount: 4 })).toBe('2026-11-23T16:00:00+07:00');
  });

  it('returns the same instant whatever offset the receipt was given in', () => {
    expect(due('2026-11-23T01:15:00Z', transfer)).toBe('2026-12-03T08:15:00+07:00');
  });

  it('refuses a non-positive amount', () => {
    expect(() => due('2026-11-23T08:15:00+07:00', workingDays(0))).toThrow(RangeError);
  });
});
