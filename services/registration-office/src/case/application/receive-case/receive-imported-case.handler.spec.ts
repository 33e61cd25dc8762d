import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  parseEventData,
  validateEvent,
  type CloudEventEnvelopeV1,
  type DossierImportedV1,
} from '@lienthong/event-contracts';
import { ConflictError, FixedClock } from '@lienthong/kernel';
import type { EventEnvelope, OutboxEntry } from '@lienthong/messaging';
import { ClockLedger, loadReferenceData, toVietnamIso } from '@lienthong/statutory-clock';
import { referenceData } from '../../../../test/case-builder';
import { InMemoryCaseRepository } from '../../../../test/in-memory-case.repository';
import { CaseState } from '../../domain/case';
import { detectAlerts } from '../../domain/case-alerts';
import { importedCaseState } from '../../domain/imported-case';
import { ProvinceBranchDirectory } from '../../infrastructure/reference-data/province-branch-directory';
import { ReceiveImportedCaseHandler } from './receive-imported-case.handler';

// The golden dossier.imported: received at 22657 (KH-DIENKHANH) for land in 22525, SUPPLEMENT_REQUESTED with a
// finished public posting and an open supplement pause.
const golden = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../../../../contracts/events/examples/dossier-imported.v1.json'), 'utf8'),
) as CloudEventEnvelopeV1;
const goldenData = golden.data as unknown as DossierImportedV1;
const directory = new ProvinceBranchDirectory(
  loadReferenceData(path.resolve(__dirname, '../../../../../..')).provinces,
);
const now = new Date('2026-12-07T02:00:05Z');

function event(data: Partial<DossierImportedV1> = {}): { envelope: EventEnvelope; data: DossierImportedV1 } {
  const merged = parseEventData('dossier.imported', { ...(golden.data as object), ...data });
  return { envelope: { ...(golden as unknown as EventEnvelope), data: merged }, data: merged };
}

async function open(data: Partial<DossierImportedV1> = {}) {
  const cases = new InMemoryCaseRepository();
  const handler = new ReceiveImportedCaseHandler(cases, directory, new FixedClock(now), referenceData);
  const { envelope, data: parsed } = event(data);
  const kase = await handler.execute(envelope, parsed);
  return { cases, handler, kase: kase!, envelope, parsed };
}

describe('ReceiveImportedCaseHandler (dossier.imported)', () => {
  it('opens the case at the branch of the land, in the state of its status, with the clock intake reconstructed', async () => {
    const { cases, kase, parsed } = await open();
    expect(kase).toMatchObject({
      branchCode: 'KH-VANNINH',
      state: CaseState.SupplementRequested,
      paused: true,
      progress: { supplementRequests: 1, posted: true },
      intakeSequence: 1,
    });
    expect(kase.history[0]!.note).toMatch(/^Imported from the backlog/);
    // Paused and not late: its alerts fire as for any case.
    expect(kase.alerts).toEqual({});
    expect(kase.audit[0]).toMatchObject({ kind: 'RECEIVED', what: 'dossier.imported' });
    // Intake's due date is ClockLedger.restore of the same base due date and pauses, with the province's calendar.
    const intake = ClockLedger.restore(
      {
        receivedAt: new Date(parsed.receivedAt).toISOString(),
        timeLimit: { unit: 'WORKING_DAY', amount: 8 },
        baseDueAt: new Date(parsed.clock.dueAt).toISOString(),
        pauses: parsed.pauses.map((p) => ({
          reason: p.reason,
          from: new Date(p.from).toISOString(),
          ...(p.to ? { to: new Date(p.to).toISOString() } : {}),
        })),
      },
      referenceData.calendarFor('22657'),
    );
    expect(kase.dueAt).toBe(intake.dueAt(now).toISOString());
    const [entry] = cases.outbox as OutboxEntry[];
    const published = JSON.parse(JSON.stringify(entry!.event)) as CloudEventEnvelopeV1;
    expect(validateEvent(published)).toEqual([]);
    expect(published.data).toMatchObject({
      branchCode: 'KH-VANNINH',
      imported: true,
      state: 'SUPPLEMENT_REQUESTED',
      portalStatusCode: 5,
      dueAt: toVietnamIso(intake.dueAt(now)),
      pausedIntervals: [
        { state: 'PUBLIC_POSTING', from: '2026-10-05T01:00:00.000Z', to: '2026-10-20T01:00:00.000Z' },
        { state: 'SUPPLEMENT_REQUESTED', from: '2026-10-27T03:00:00.000Z' },
      ],
    });
  });

  it('is idempotent: a redelivered dossier.imported changes nothing', async () => {
    const { cases, handler, envelope, parsed, kase } = await open();
    expect(await handler.execute(envelope, parsed)).toBeUndefined();
    expect(cases.outbox).toHaveLength(1);
    expect(await cases.findByCode(kase.dossierCode)).toMatchObject({ version: 1 });
  });

  it('a running imported case (RECEIVED or IN_PROGRESS) waits unclaimed in the worklist with a running clock', async () => {
    for (const status of ['RECEIVED', 'IN_PROGRESS'] as const) {
      const pauses =
        status === 'IN_PROGRESS'
          ? [{ reason: 'SUPPLEMENT' as const, from: '2026-10-05T08:00:00+07:00', to: '2026-10-08T08:00:00+07:00' }]
          : [];
      const { kase, cases } = await open({
        status,
        pauses,
        parcels: [{ ...goldenData.parcels[0]!, communeCode: '22651' }],
      });
      expect(kase).toMatchObject({ state: 'RECEIVED', paused: false, branchCode: 'KH-DIENKHANH' });
      expect(kase.claim).toBeUndefined();
      // Three working days of supplement move the base due date by three working days.
      const base = new Date(goldenData.clock.dueAt);
      const moved = referenceData.calendarFor('22657').addWorkingMinutes(base, pauses.length ? 3 * 8 * 60 : 0);
      expect(kase.dueAt).toBe(moved.toISOString());
      // Late since before go-live: no automatic apology letter (it would reach the citizen) and no overdue alert;
      // the clock watch leaves it, the worklist shows it late, a worker may issue the letter.
      expect(kase.alerts).toEqual({ dueSoonFor: kase.dueAt, overdueFor: kase.dueAt });
      const policy = { dueSoonWorkingMinutes: 960, apologyExtensionWorkingDays: 5 };
      expect(detectAlerts(kase, now, referenceData.calendarFor('22657'), policy)).toBeUndefined();
      expect(await cases.dueBefore(new Date('2027-01-01T00:00:00Z'), 50)).toEqual([]);
    }
  });
});

describe('importedCaseState', () => {
  const open = (reason: 'SUPPLEMENT' | 'FINANCIAL_OBLIGATION' | 'PUBLIC_POSTING') => [
    { reason, from: '2026-10-05T08:00:00+07:00' },
  ];
  it.each([
    ['RECEIVED', [], 'RECEIVED'],
    ['IN_PROGRESS', [], 'RECEIVED'],
    ['IN_PROGRESS', open('PUBLIC_POSTING'), 'PUBLIC_POSTING'],
    ['SUPPLEMENT_REQUESTED', open('SUPPLEMENT'), 'SUPPLEMENT_REQUESTED'],
    ['AWAITING_FINANCIAL_OBLIGATION', open('FINANCIAL_OBLIGATION'), 'AWAITING_FINANCIAL_OBLIGATION'],
  ] as const)('%s with %j opens as %s', (status, pauses, state) => {
    expect(importedCaseState(status, pauses)).toBe(state);
  });

  it.each([
    ['SUPPLEMENT_REQUESTED', []],
    ['AWAITING_FINANCIAL_OBLIGATION', open('SUPPLEMENT')],
    ['RECEIVED', open('SUPPLEMENT')],
    ['IN_PROGRESS', open('FINANCIAL_OBLIGATION')],
  ] as const)('refuses %s with %j (a contract breach, dead-lettered)', (status, pauses) => {
    expect(() => importedCaseState(status, pauses)).toThrow(ConflictError);
  });
});
