import path from 'node:path';
import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import { parseEventData, type DossierSubmittedV1, type EventType } from '@lienthong/event-contracts';
import { FixedClock } from '@lienthong/kernel';
import { createEvent, type EventEnvelope } from '@lienthong/messaging';
import { loadReferenceData, toVietnamIso, vietnamDateOf, type ReferenceData } from '@lienthong/statutory-clock';
// The property runs both services' own code (their domain and handlers), imported by path: services export no
// library, and a copy would prove nothing about them.
/* eslint-disable @nx/enforce-module-boundaries */
import {
  receiveDossier,
  type Dossier,
  type DossierSubmission,
} from '../../services/dossier-intake/src/dossier/domain/dossier';
import {
  answerSupplement,
  applyCaseFact,
  type CaseFact,
} from '../../services/dossier-intake/src/dossier/domain/dossier-lifecycle';
import { ReferenceDataSchedule } from '../../services/dossier-intake/src/dossier/infrastructure/reference-data/reference-data-schedule';
import { ReceiveCaseHandler } from '../../services/registration-office/src/case/application/receive-case/receive-case.handler';
import type { Case } from '../../services/registration-office/src/case/domain/case';
import { detectAlerts, type AlertPolicy } from '../../services/registration-office/src/case/domain/case-alerts';
import { startCaseClock } from '../../services/registration-office/src/case/domain/case-clock';
import {
  applyAction,
  ledgerOf,
  refusalOf,
  type CaseEventDraft,
  type Outcome,
} from '../../services/registration-office/src/case/domain/case-workflow';
import { ProvinceBranchDirectory } from '../../services/registration-office/src/case/infrastructure/reference-data/province-branch-directory';
import { ReferenceDataRules } from '../../services/registration-office/src/case/infrastructure/reference-data/reference-data-rules';
import { InMemoryCaseRepository } from '../../services/registration-office/test/in-memory-case.repository';

// One statutory clock (ADR 0009), as a property: for random dossiers, intake's due date and the LRO's agree after
// every step. Both sides run the code paths the services run: intake's ReferenceDataSchedule and dossier lifecycle
// (receipt, every case event it records, supplement answers), the LRO's ReceiveCaseHandler, workflow and clock
// watch, on the real reference data. A failure prints fast-check's seed and path; rerun it with
//   CLOCK_PROPERTY_SEED=<seed> CLOCK_PROPERTY_PATH=<path> npx jest -c jest.unit.config.js test/clock

const data: ReferenceData = loadReferenceData(path.resolve(__dirname, '../..'));
const schedule = new ReferenceDataSchedule(data);
const rules = new ReferenceDataRules(data);
const branches = new ProvinceBranchDirectory(data.provinces);
const policy: AlertPolicy = { dueSoonWorkingMinutes: 480, apologyExtensionWorkingDays: 3 };
const worker = { userId: 'officer-1', branch: 'KH-DIENKHANH', roles: ['officer', 'approver'] as const };
const system = { userId: 'dossier-intake', roles: [] };

// Receiving units and land communes per province: normal ones and those the province files list as remote.
const provinces = [
  { receiving: ['22651', '22657', '22525'], land: ['22651', '22657', '22525', '22609', '22714', '22736'] },
  { receiving: ['21439', '21451', '21457', '21478'], land: ['21439', '21451', '21478', '21484', '21548'] },
];
// Around the holidays of the calendar file (Tết, Hùng Kings, 30 Apr / 1 May, 2 Sep, New Year) and plain weeks.
const anchors = [
  '2025-08-29',
  '2025-12-30',
  '2026-02-12',
  '2026-04-24',
  '2026-04-28',
  '2026-08-28',
  '2026-11-23',
  '2026-12-30',
  '2027-02-04',
  '2027-04-14',
  '2027-04-29',
  '2027-08-31',
].map((d) => Date.parse(`${d}T00:00:00+07:00`));

const procedures = data.catalogue.nationalCodes;

type Op =
  | { kind: 'wait'; minutes: number }
  | { kind: 'supplement'; answerAfter: number }
  | { kind: 'fieldCheck'; minutes: number }
  | { kind: 'posting'; minutes: number }
  | { kind: 'tax'; minutes: number }
  | { kind: 'apology'; workingDays: number; asDate: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 20 * 24 * 60 }) }),
  fc.record({ kind: fc.constant('supplement' as const), answerAfter: fc.integer({ min: 1, max: 15 * 24 * 60 }) }),
  fc.record({ kind: fc.constant('fieldCheck' as const), minutes: fc.integer({ min: 1, max: 5 * 24 * 60 }) }),
  fc.record({ kind: fc.constant('posting' as const), minutes: fc.integer({ min: 1, max: 35 * 24 * 60 }) }),
  fc.record({ kind: fc.constant('tax' as const), minutes: fc.integer({ min: 1, max: 20 * 24 * 60 }) }),
  fc.record({
    kind: fc.constant('apology' as const),
    workingDays: fc.integer({ min: 1, max: 10 }),
    asDate: fc.boolean(),
  }),
);

const scenario = fc.record({
  procedure: fc.nat({ max: procedures.length - 1 }),
  caseIndex: fc.nat({ max: 9 }),
  province: fc.nat({ max: provinces.length - 1 }),
  receiving: fc.nat({ max: 9 }),
  land: fc.array(fc.nat({ max: 9 }), { minLength: 1, maxLength: 2 }),
  anchor: fc.nat({ max: anchors.length - 1 }),
  // Up to ten days after the anchor, any minute: nights, lunch breaks and weekends included.
  receivedOffsetMinutes: fc.integer({ min: 0, max: 10 * 24 * 60 }),
  arrivalDelayMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
  ops: fc.array(op, { maxLength: 8 }),
  ending: fc.constantFrom('RESULT', 'REJECT', 'OPEN'),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** One dossier, followed on both sides. */
class Journey {
  dossier!: Dossier;
  kase!: Case;
  now!: Date;
  steps: string[] = [];
  private sequence = 0;

  constructor(private readonly s: Scenario) {}

  async receive(): Promise<void> {
    const { s } = this;
    const province = provinces[s.province]!;
    const receivedAt = new Date(anchors[s.anchor]! + s.receivedOffsetMinutes * 60_000);
    const procedure = data.catalogue.get(procedures[s.procedure]!, receivedAt);
    const caseCode = procedure.cases[s.caseIndex % procedure.cases.length]!.code;
    const receivingUnitCode = province.receiving[s.receiving % province.receiving.length]!;
    const parcels = s.land.map((i, n) => ({
      communeCode: province.land[i % province.land.length]!,
      mapSheetNumber: '12',
      parcelNumber: String(100 + n),
      areaM2: 120,
      landUseCode: 'ONT',
    }));
    const person = { fullName: 'Nguyễn Văn An', personalIdNumber: '056080001234', dateOfBirth: '1980-03-15' };
    const submission: DossierSubmission = {
      procedureCode: procedure.nationalCode,
      caseCode,
      receivingUnitCode,
      channel: 'DIRECT',
      receivedAt: toVietnamIso(receivedAt),
      externalReference: { system: 'one-stop', id: 'P-1' },
      applicant: { ...person, gender: 'MALE' },
      parties: [],
      parcels,
    };
    // Intake: the due date, computed once, and the dossier.submitted that carries it.
    const assessment = schedule.assess({
      procedureCode: submission.procedureCode,
      caseCode,
      communeCode: receivingUnitCode,
      parcelCommuneCodes: parcels.map((p) => p.communeCode),
      receivedAt,
    });
    const received = receiveDossier(submission, 'DOSSIER-1', 'one-stop', receivedAt, assessment);
    this.dossier = received.dossier;
    const submitted = received.events[0]!.data as unknown as DossierSubmittedV1;

    // The LRO, as it would compute the clock itself (events without `clock`), from the same reference data.
    const own = startCaseClock({
      receivedAt: submitted.receivedAt,
      computed: rules.rulesFor({
        procedureCode: submitted.procedureCode,
        caseCode,
        communeCode: receivingUnitCode,
        receivedAt,
        parcelCommuneCodes: parcels.map((p) => p.communeCode),
      }),
      calendar: rules.calendarFor(receivingUnitCode),
    });
    this.expectSame(own.dueAt(receivedAt).toISOString(), 'the LRO computing on its own');

    // The LRO opens the case from the event, as ReceiveCaseHandler does.
    this.now = new Date(receivedAt.getTime() + s.arrivalDelayMinutes * 60_000);
    const repository = new InMemoryCaseRepository();
    const handler = new ReceiveCaseHandler(repository, branches, new FixedClock(this.now), rules);
    const envelope = createEvent({
      type: 'dossier.submitted',
      source: '/dossier-intake',
      subject: 'DOSSIER-1',
      sequence: 1,
      data: JSON.parse(JSON.stringify(submitted)) as Record<string, unknown>,
    }) as EventEnvelope;
    const kase = await handler.execute(envelope, parseEventData('dossier.submitted', envelope.data));
    this.kase = kase!;
    const [entry] = repository.outbox as { event: EventEnvelope }[];
    this.record([{ type: entry!.event.type, data: entry!.event.data as Record<string, unknown> }], 'received');
  }

  /** Intake records the LRO's events as RecordCaseEventHandler does; then both must show the same due date. */
  private record(events: readonly CaseEventDraft[], step: string): void {
    for (const event of events) {
      const wire = JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>;
      this.sequence += 1;
      const fact: CaseFact = {
        type: event.type,
        sequence: this.sequence,
        time: this.now.toISOString(),
        data: parseEventData(event.type as EventType, wire) as CaseFact['data'],
      };
      const applied = applyCaseFact(this.dossier, fact);
      if (applied) this.dossier = applied.dossier;
    }
    this.steps.push(step);
    this.expectSame(this.kase.dueAt, step);
  }

  private expectSame(lroDueAt: string, step: string): void {
    if (Date.parse(this.dossier.dueAt) !== Date.parse(lroDueAt)) {
      throw new Error(
        `after ${[...this.steps, step].join(' → ')}: intake shows ${this.dossier.dueAt}, the LRO ${toVietnamIso(new Date(lroDueAt))}`,
      );
    }
  }

  private apply(outcome: Outcome, step: string): void {
    this.kase = outcome.kase;
    this.record(outcome.events, step);
  }

  /** The clock watch's round at `now`. */
  watch(): void {
    const outcome = detectAlerts(this.kase, this.now, rules.calendarFor(this.kase.communeCode), policy);
    if (outcome) this.apply(outcome, outcome.events.map((e) => e.type).join('+'));
  }

  /** A worker's action, when the case allows it now. */
  act(action: string, request: Record<string, unknown> = {}): boolean {
    if (refusalOf(this.kase, action as never) !== undefined) return false;
    const calendar = rules.calendarFor(this.kase.communeCode);
    this.apply(applyAction(this.kase, { action: action as never, ...request }, worker, this.now, calendar), action);
    return true;
  }

  advance(minutes: number): void {
    this.now = new Date(this.now.getTime() + minutes * 60_000);
    this.watch();
  }

  /** The front desk hands in the supplement; dossier.supplemented resumes the LRO's clock. */
  supplemented(): void {
    const answered = answerSupplement(
      this.dossier,
      [{ componentCode: 'OTHER', name: 'Giấy tờ bổ sung' }],
      this.now.toISOString(),
      'one-stop',
    );
    this.dossier = answered.dossier;
    const calendar = rules.calendarFor(this.kase.communeCode);
    this.apply(applyAction(this.kase, { action: 'SUPPLEMENT_RECEIVED' }, system, this.now, calendar), 'supplemented');
  }

  /** Waits until the case is due soon (half a working day left), so that the watch warns and the letter is offered. */
  untilDueSoon(): void {
    const calendar = rules.calendarFor(this.kase.communeCode);
    const remaining = ledgerOf(this.kase, calendar).remainingWorkingMinutes(this.now);
    if (remaining > 240) {
      this.now = calendar.addWorkingMinutes(calendar.nextWorkingInstant(this.now), remaining - 240);
      this.watch();
    }
  }

  apologise(workingDays: number, asDate: boolean): void {
    if (!this.kase.open) return;
    this.untilDueSoon();
    if (refusalOf(this.kase, 'ISSUE_APOLOGY') !== undefined) return;
    const calendar = rules.calendarFor(this.kase.communeCode);
    const current = new Date(Math.max(Date.parse(this.kase.dueAt), this.now.getTime()));
    const later = calendar.addWorkingMinutes(
      calendar.nextWorkingInstant(current),
      workingDays * calendar.minutesPerWorkingDay,
    );
    const newDueAt = asDate ? vietnamDateOf(later) : toVietnamIso(later);
    this.act('ISSUE_APOLOGY', { reason: 'Chờ kết quả đo đạc', details: { newDueAt } });
  }
}

async function follow(s: Scenario): Promise<Journey> {
  const journey = new Journey(s);
  await journey.receive();
  journey.advance(30);
  journey.act('ASSIGN');
  journey.advance(60);
  journey.act('START_REVIEW');
  for (const o of s.ops) {
    if (!journey.kase.open) break;
    switch (o.kind) {
      case 'wait':
        journey.advance(o.minutes);
        break;
      case 'supplement':
        if (
          journey.act('REQUEST_SUPPLEMENT', {
            reason: 'Thiếu giấy tờ',
            details: { missingDocuments: [{ name: 'Hợp đồng' }] },
          })
        ) {
          journey.advance(o.answerAfter);
          journey.supplemented();
        }
        break;
      case 'fieldCheck':
        if (journey.act('START_FIELD_CHECK')) {
          journey.advance(o.minutes);
          journey.act('END_FIELD_CHECK');
        }
        break;
      case 'posting':
        if (journey.act('START_POSTING')) {
          journey.advance(o.minutes);
          journey.act('END_POSTING');
        }
        break;
      case 'tax':
        if (journey.act('SEND_TO_TAX', { details: { taxAuthorityCode: 'CCT-56' } })) {
          journey.advance(o.minutes);
          journey.act('RECORD_OBLIGATION_MET', { details: { taxNoticeNumber: 'TB-1', amount: 1_000_000 } });
        }
        break;
      case 'apology':
        journey.apologise(o.workingDays, o.asDate);
        break;
    }
  }
  if (journey.kase.open && s.ending === 'REJECT') journey.act('REJECT', { reason: 'Không đủ điều kiện' });
  if (journey.kase.open && s.ending === 'RESULT') {
    if (journey.kase.steps.publicPosting && !journey.kase.progress.posted && journey.act('START_POSTING')) {
      journey.advance(15 * 24 * 60);
      journey.act('END_POSTING');
    }
    if (journey.kase.steps.financialObligation && !journey.kase.progress.obligationMet) {
      journey.act('SEND_TO_TAX', { details: { taxAuthorityCode: 'CCT-56' } });
      journey.advance(3 * 24 * 60);
      journey.act('RECORD_OBLIGATION_MET', { details: { taxNoticeNumber: 'TB-1', amount: 0 } });
    }
    journey.act('APPROVE');
    journey.advance(120);
    journey.act('ISSUE_CERTIFICATE', { details: { certificateSerial: 'AA 01234567' } });
    journey.advance(24 * 60);
    journey.act('RETURN_RESULT');
  }
  return journey;
}

describe('one statutory clock: intake and the LRO agree after every step (property)', () => {
  // ReceiveCaseHandler warns about land no branch serves (remote islands are in no development branch): expected here.
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']);
  });

  it('1,000 random dossiers: procedures, remote and normal land, receipts around holidays, pauses, apologies', async () => {
    const seed = process.env.CLOCK_PROPERTY_SEED ? Number(process.env.CLOCK_PROPERTY_SEED) : undefined;
    const replayPath = process.env.CLOCK_PROPERTY_PATH;
    const seen = { remote: 0, normal: 0, apologies: 0, systemApologies: 0, supplements: 0, steps: 0 };
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const journey = await follow(s);
        seen[journey.dossier.remote ? 'remote' : 'normal'] += 1;
        seen.apologies += journey.steps.filter((step) => step === 'ISSUE_APOLOGY').length;
        seen.systemApologies += journey.steps.filter((step) => step.includes('case.apology-issued')).length;
        seen.supplements += journey.steps.filter((step) => step === 'supplemented').length;
        seen.steps += journey.steps.length;
      }),
      { numRuns: 1000, ...(seed !== undefined ? { seed } : {}), ...(replayPath ? { path: replayPath } : {}) },
    );
    // The generator reaches what the property is about (a run that never apologised would prove little).
    if (!replayPath) {
      expect(seen.remote).toBeGreaterThan(100);
      expect(seen.normal).toBeGreaterThan(100);
      expect(seen.apologies).toBeGreaterThan(200);
      expect(seen.systemApologies).toBeGreaterThan(20);
      expect(seen.supplements).toBeGreaterThan(100);
      expect(seen.steps).toBeGreaterThan(5000);
    }
  }, 120_000);
});
