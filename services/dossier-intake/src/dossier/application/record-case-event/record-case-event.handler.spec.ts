import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateEvent } from '@lienthong/event-contracts';
import { FixedClock } from '@lienthong/kernel';
import type { EventEnvelope } from '@lienthong/messaging';
import { receiveDossier, type Dossier } from '../../domain/dossier';
import { answerSupplement } from '../../domain/dossier-lifecycle';
import { InMemoryDossierRepository } from '../../infrastructure/in-memory/in-memory-dossier.repository';
import { DossierChanges } from '../change-dossier/dossier-changes';
import { DossierEventsRelay } from '../dossier-events-relay';
import { RecordCaseEventHandler } from './record-case-event.handler';

// The golden examples of contracts/events: what registration-office and population-matching publish.
const examples = path.resolve(__dirname, '../../../../../../contracts/events/examples');
const golden = (type: string): EventEnvelope =>
  JSON.parse(readFileSync(path.join(examples, `${type.replace('.', '-')}.v1.json`), 'utf8')) as EventEnvelope;
const code = golden('case.received').subject;

class NoRelay extends DossierEventsRelay {
  override relay = () => Promise.resolve(0);
}

function stored(): Dossier {
  const person = { fullName: 'Nguyễn Văn An', personalIdNumber: '056080001234', dateOfBirth: '1980-03-15' };
  const { dossier } = receiveDossier(
    {
      procedureCode: '1.013831',
      caseCode: 'TRANSFER',
      receivingUnitCode: '22657',
      channel: 'DIRECT',
      receivedAt: '2026-11-23T08:15:00+07:00',
      externalReference: { system: 'one-stop-khanh-hoa', id: 'BN-1' },
      applicant: { ...person, gender: 'MALE' },
      parties: [{ ...person, gender: 'MALE', role: 'TRANSFEROR' }],
      parcels: [{ communeCode: '22657', mapSheetNumber: '12', parcelNumber: '345', areaM2: 120.5, landUseCode: 'ONT' }],
    },
    code,
    'one-stop-khanh-hoa',
    new Date('2026-11-23T01:15:02Z'),
    { dueAt: '2026-12-03T08:15:00+07:00', timeLimit: { unit: 'WORKING_DAY', amount: 8 } },
  );
  return dossier;
}

describe('RecordCaseEventHandler (the front desk follows the LRO)', () => {
  let dossiers: InMemoryDossierRepository;
  let handler: RecordCaseEventHandler;
  const clock = new FixedClock(new Date('2026-11-25T03:00:00Z'));

  beforeEach(async () => {
    dossiers = new InMemoryDossierRepository();
    await dossiers.insert(stored(), []);
    handler = new RecordCaseEventHandler(new DossierChanges(dossiers, new NoRelay(), clock));
  });

  const statusEvents = () => dossiers.eventsOf(code).filter((e) => e.type === 'dossier.status-changed');
  const current = async () => (await dossiers.findByCode(code))!;

  it('maps every case event to the portal status it states, 1:1, announcing each change once and in order', async () => {
    await handler.execute(golden('case.received'));
    await handler.execute(golden('case.supplement-requested'));
    expect(await current()).toMatchObject({
      status: 'SUPPLEMENT_REQUESTED',
      dueAt: '2026-12-07T17:00:00+07:00',
      supplementRequest: { number: 1 },
    });
    // The front desk answers the request; the LRO then carries on.
    const answered = answerSupplement(
      await current(),
      [{ componentCode: 'MORTGAGEE_CONSENT', name: 'Văn bản đồng ý của bên nhận thế chấp' }],
      '2026-11-27T09:00:00+07:00',
      'one-stop-khanh-hoa',
    );
    const before = await current();
    expect(await dossiers.save(answered.dossier, before.version, [])).toBe(true);
    for (const type of [
      'case.tax-referred',
      'case.obligation-met',
      'case.approved',
      'case.overdue',
      'case.apology-issued',
      'case.certificate-issued',
      'case.result-returned',
    ]) {
      await handler.execute(golden(type));
    }
    const dossier = await current();
    expect(dossier.status).toBe('RESULT_RETURNED');
    expect(dossier.history.map((h) => h.portalStatusCode)).toEqual([2, 4, 5, 4, 6, 4, 4, 9, 10]);
    expect(dossier.dueAt).toBe((golden('case.result-returned').data as { dueAt: string }).dueAt);
    expect(dossier.pausedIntervals.length).toBeGreaterThan(0);
    expect(statusEvents().map((e) => [e.data['previousStatus'], e.data['status'], e.data['portalStatusCode']])).toEqual(
      [
        ['RECEIVED', 'IN_PROGRESS', 4],
        ['IN_PROGRESS', 'SUPPLEMENT_REQUESTED', 5],
        ['IN_PROGRESS', 'AWAITING_FINANCIAL_OBLIGATION', 6],
        ['AWAITING_FINANCIAL_OBLIGATION', 'IN_PROGRESS', 4],
        ['IN_PROGRESS', 'IN_PROGRESS', 4], // the apology's new due date
        ['IN_PROGRESS', 'PROCESSED', 9],
        ['PROCESSED', 'RESULT_RETURNED', 10],
      ],
    );
    const sequences = dossiers.eventsOf(code).map((e) => e.sequence);
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
    expect(new Set(sequences).size).toBe(sequences.length);
  });

  it('publishes status changes that satisfy the contract, with the supplement text and the appointment', async () => {
    await handler.execute(golden('case.received'));
    await handler.execute(golden('case.supplement-requested'));
    await handler.execute(golden('case.certificate-issued'));
    const wire = dossiers
      .eventsOf(code)
      .map((e) => JSON.parse(JSON.stringify(e)) as { type: string; data: Record<string, unknown> });
    for (const event of wire) expect(validateEvent(event)).toEqual([]);
    const [, requested, processed] = wire.filter((e) => e.type === 'dossier.status-changed');
    expect(requested!.data['reason']).toContain('Cần bổ sung');
    expect(processed!.data).toMatchObject({ status: 'PROCESSED', clientId: 'one-stop-khanh-hoa' });
    expect(processed!.data['appointmentAt']).toBeDefined();
  });

  it('keeps the status history free of steps that keep the status; due-soon changes nothing visible', async () => {
    await handler.execute(golden('case.received'));
    await handler.execute(golden('case.state-changed'));
    await handler.execute(golden('case.due-soon'));
    const dossier = await current();
    expect(dossier.history.map((h) => h.note)).toEqual([undefined, 'Received by the Land Registration Office']);
    expect(dossier.caseSequence).toBe(golden('case.due-soon').sequence);
    expect(dossier.dueAt).toBe((golden('case.due-soon').data as { dueAt: string }).dueAt);
    expect(statusEvents()).toHaveLength(1);
  });

  it("keeps the apology's new due date as the LRO states it, with its history, and announces it", async () => {
    await handler.execute(golden('case.received'));
    await handler.execute(golden('case.state-changed'));
    const apology = golden('case.apology-issued');
    const data = apology.data as { previousDueAt: string; newDueAt: string; letterNumber: string; reason: string };
    await handler.execute(apology);
    const dossier = await current();
    expect(dossier.dueAt).toBe(data.newDueAt);
    expect(dossier.dueDateHistory).toEqual([
      {
        previousDueAt: data.previousDueAt,
        dueAt: data.newDueAt,
        at: expect.any(String),
        letterNumber: data.letterNumber,
        reason: data.reason,
      },
    ]);
    const moved = statusEvents().at(-1)!;
    expect(JSON.parse(JSON.stringify(moved))).toMatchObject({
      data: {
        status: 'IN_PROGRESS',
        previousStatus: 'IN_PROGRESS',
        dueAt: data.newDueAt,
        reason: data.reason,
        dueDateChange: { previousDueAt: data.previousDueAt, letterNumber: data.letterNumber },
      },
    });
    expect(validateEvent(JSON.parse(JSON.stringify(moved)))).toEqual([]);
  });

  it('applies a redelivered or older case event once', async () => {
    await handler.execute(golden('case.received'));
    await handler.execute(golden('case.supplement-requested'));
    await handler.execute(golden('case.supplement-requested'));
    await handler.execute(golden('case.received'));
    expect((await current()).history).toHaveLength(3);
    expect(statusEvents()).toHaveLength(2);
  });

  it('keeps the match summary, masked, and merges a resolved review into it', async () => {
    await handler.execute(golden('match.completed'));
    await handler.execute(golden('match.review-required'));
    await handler.execute(golden('match.resolved'));
    const { match } = await current();
    expect(match?.matchId).toBe((golden('match.completed').data as { matchId: string }).matchId);
    expect(JSON.stringify(match)).not.toMatch(/\d{12}/);
    expect(statusEvents()).toHaveLength(0);
  });

  it('skips events of dossiers this deployment never received', async () => {
    await handler.execute({ ...golden('case.received'), subject: '000.00.56.H42-261123-9999' });
    expect(dossiers.rows).toHaveLength(1);
  });
});
