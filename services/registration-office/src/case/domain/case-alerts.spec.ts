import { validateEvent } from '@lienthong/event-contracts';
import { createEvent } from '@lienthong/messaging';
import { buildCase, calendar } from '../../../test/case-builder';
import { detectAlerts } from './case-alerts';
import { applyAction } from './case-workflow';
import type { Case } from './case';

const policy = { dueSoonWorkingMinutes: 480, apologyExtensionWorkingDays: 3 };
const officer = { userId: 'officer-1', roles: ['officer'] as const };

// TRANSFER received Monday 23 Nov 2026 08:00 (+07): 8 working days, due Thursday 3 Dec 2026 08:00.
function watch(kase: Case, iso: string) {
  return detectAlerts(kase, new Date(iso), calendar, policy);
}

function valid(type: string, data: Record<string, unknown>) {
  const event = createEvent({
    type,
    source: '/registration-office',
    subject: String(data.dossierCode),
    sequence: 2,
    data,
  });
  return validateEvent(JSON.parse(JSON.stringify(event)));
}

describe('clock watch: due soon and overdue', () => {
  const kase = buildCase();

  it('leaves a case alone at a time before its last apology letter (a watcher whose round started earlier)', () => {
    const late = watch(kase, '2026-12-03T02:30:00.000Z')!;
    expect(late.events.map((e) => e.type)).toContain('case.apology-issued');
    expect(watch(late.kase, '2026-12-03T02:00:00.000Z')).toBeUndefined();
  });

  it('stays quiet while more than the threshold is left', () => {
    expect(watch(kase, '2026-12-01T01:00:00.000Z')).toBeUndefined();
  });

  it('fires due-soon once within one working day of the due date', () => {
    const first = watch(kase, '2026-12-02T02:00:00.000Z'); // Wed 09:00: 7 working hours left
    expect(first?.events.map((e) => e.type)).toEqual(['case.due-soon']);
    expect(first!.events[0]!.data.remainingWorkingMinutes).toBe(420);
    expect(valid('case.due-soon', first!.events[0]!.data)).toEqual([]);
    expect(watch(first!.kase, '2026-12-02T03:00:00.000Z')).toBeUndefined();
  });

  it('fires overdue exactly once, with the apology letter (form 04) and its event', () => {
    const dueSoon = watch(kase, '2026-12-02T02:00:00.000Z')!.kase;
    expect(watch(dueSoon, '2026-12-03T00:59:00.000Z')).toBeUndefined(); // 07:59, one minute before the due time
    const late = watch(dueSoon, '2026-12-03T01:30:00.000Z')!; // Thu 08:30
    expect(late.events.map((e) => e.type)).toEqual(['case.overdue', 'case.apology-issued']);
    for (const e of late.events) expect(valid(e.type, e.data)).toEqual([]);
    expect(late.events[1]!.data).toMatchObject({
      previousDueAt: '2026-12-03T08:00:00+07:00',
      newDueAt: '2026-12-08T08:30:00+07:00',
    });
    const letter = late.kase.documents.find((d) => d.kind === 'APOLOGY_LETTER');
    expect(letter?.content).toContain('Ngày hẹn trả kết quả mới: 2026-12-08T08:30:00+07:00');
    expect(letter?.content).toContain('Lý do:');
    // The ledger keeps the new date: later looks before it find nothing more to fire.
    expect(late.kase.dueAt).toBe('2026-12-08T01:30:00.000Z');
    expect(watch(late.kase, '2026-12-03T02:30:00.000Z')).toBeUndefined();
    expect(watch(late.kase, '2026-12-04T02:30:00.000Z')).toBeUndefined();
    // The alerts start afresh for the agreed date: missing it too gives a second letter.
    const again = watch(watch(late.kase, '2026-12-07T02:00:00.000Z')!.kase, '2026-12-10T02:30:00.000Z')!;
    expect(again.events.map((e) => e.type)).toEqual(['case.overdue', 'case.apology-issued']);
    expect(again.events[1]!.data).toMatchObject({
      previousDueAt: '2026-12-08T08:30:00+07:00',
      letterNumber: '000.00.56.H42-261123-0001/XL-2',
    });
  });

  it('a case first seen late fires overdue only (not due-soon)', () => {
    const late = watch(kase, '2026-12-04T02:00:00.000Z')!;
    expect(late.events.map((e) => e.type)).toEqual(['case.overdue', 'case.apology-issued']);
    expect(watch(late.kase, '2026-12-04T03:00:00.000Z')).toBeUndefined();
  });

  it('a paused case does not become late while the pause lasts; closed cases never fire', () => {
    const assigned = applyAction(
      kase,
      { action: 'ASSIGN' },
      officer,
      new Date('2026-11-23T02:00:00.000Z'),
      calendar,
    ).kase;
    const paused = applyAction(
      assigned,
      { action: 'REQUEST_SUPPLEMENT', reason: 'Thiếu', details: { missingDocuments: [{ name: 'Hợp đồng' }] } },
      officer,
      new Date('2026-11-24T01:00:00.000Z'),
      calendar,
    ).kase;
    expect(watch(paused, '2026-12-20T02:00:00.000Z')).toBeUndefined();
    const closed = applyAction(
      kase,
      { action: 'STOP', reason: 'Dừng' },
      { userId: 's', roles: ['supervisor'] },
      new Date('2026-11-24T01:00:00.000Z'),
      calendar,
    ).kase;
    expect(watch(closed, '2026-12-20T02:00:00.000Z')).toBeUndefined();
  });
});
