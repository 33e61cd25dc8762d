import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ClockLedger, DossierClockRules, loadReferenceData, toVietnamIso } from '@lienthong/statutory-clock';
import { devToken } from '@lienthong/testing';
import { startIntakeHttpApp, type IntakeHttpApp } from '../../../testing/intake-http-app';
import type { ImportReport } from '../../application/import-backlog/import-backlog.handler';

const token = devToken({ client: 'one-stop-khanh-hoa', communes: ['22657'] });

function line(code: string, receivedAt: string, extra: Record<string, unknown> = {}): string {
  const an = { fullName: 'Nguyễn Văn An', personalIdNumber: '056080001234', dateOfBirth: '1980-03-15', gender: 'MALE' };
  return JSON.stringify({
    dossierCode: code,
    procedureCode: '1.013831',
    caseCode: 'TRANSFER',
    receivingUnitCode: '22657',
    channel: 'DIRECT',
    receivedAt,
    externalReference: { system: 'one-stop-khanh-hoa', id: `OLD-${code}` },
    applicant: an,
    parties: [
      { ...an, role: 'TRANSFEROR' },
      {
        role: 'TRANSFEREE',
        fullName: 'Lê Hoàng Minh',
        personalIdNumber: '079095007890',
        dateOfBirth: '1995-11-20',
        gender: 'MALE',
      },
    ],
    parcels: [{ communeCode: '22657', mapSheetNumber: '12', parcelNumber: '345', areaM2: 120.5, landUseCode: 'ONT' }],
    ...extra,
  });
}

async function importNdjson(intake: IntakeHttpApp, body: string, query = '', type = 'application/x-ndjson') {
  const response = await fetch(`${intake.baseUrl}/v1/dossiers:import${query}`, {
    method: 'POST',
    headers: { 'content-type': type, authorization: `Bearer ${token}` },
    body,
  });
  return { status: response.status, report: (await response.json()) as ImportReport };
}

describe('POST /v1/dossiers:import (backlog)', () => {
  let intake: IntakeHttpApp;
  beforeEach(async () => {
    intake = await startIntakeHttpApp(new Date('2026-11-23T03:00:00Z'));
  });
  afterEach(async () => {
    await intake?.close();
  });

  const file = [
    line('000.00.56.H42-261120-0007', '2026-11-20T09:00:00+07:00'),
    line('000.00.56.H42-261120-0008', '2026-11-20T10:30:00+07:00'),
    '',
    line('000.00.56.H42-261120-0009', '2026-11-20T11:00:00+07:00', { status: 'APPROVED' }),
    '{not json',
    line('000.00.51.H55-261120-0001', '2026-11-20T09:00:00+07:00', { receivingUnitCode: '21439' }),
    line('000.00.56.H42-261121-0001', '2026-11-20T09:00:00+07:00'),
    line('000.00.56.H42-261120-0007', '2026-11-20T09:00:00+07:00'),
  ].join('\n');

  it('keeps original codes and receipts, reconstructs due dates, reports every refused line, and a re-run imports 0', async () => {
    const dry = await importNdjson(intake, file, '?dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.report).toMatchObject({ dryRun: true, lines: 7, imported: 2, alreadyPresent: 0, rejected: 5 });
    expect(intake.dossiers.rows).toHaveLength(0);

    const first = await importNdjson(intake, file);
    expect(first.report).toMatchObject({
      dryRun: false,
      lines: 7,
      imported: 2,
      alreadyPresent: 0,
      rejected: 5,
      byReceivingUnit: { '22657': { imported: 2, alreadyPresent: 0, rejected: 2 } },
      receivedFrom: '2026-11-20T09:00:00+07:00',
      receivedTo: '2026-11-20T10:30:00+07:00',
    });
    expect(first.report.rejections.map((r) => [r.line, r.errors.map((e) => e.code)])).toEqual([
      [4, ['IS_IN']],
      [5, ['NOT_JSON']],
      [6, ['NOT_FOUND']],
      [7, ['DOSSIER_CODE_DAY_MISMATCH']],
      [8, ['DUPLICATE_IN_FILE']],
    ]);
    const stored = await intake.dossiers.findByCode('000.00.56.H42-261120-0007');
    expect(stored).toMatchObject({
      receivedAt: '2026-11-20T09:00:00+07:00',
      dueAt: '2026-12-02T09:00:00+07:00',
      status: 'RECEIVED',
      version: 1,
    });
    // Open: announced once, with the clock intake reconstructed; nobody's identity is verified unless asked.
    expect(intake.dossiers.eventsOf('000.00.56.H42-261120-0007')).toEqual([
      expect.objectContaining({
        type: 'dossier.imported',
        sequence: 1,
        data: expect.objectContaining({
          status: 'RECEIVED',
          pauses: [],
          identityVerification: false,
          clock: expect.objectContaining({ dueAt: '2026-12-02T09:00:00+07:00', remote: false }),
        }),
      }),
    ]);
    expect(first.report).toMatchObject({ announced: 2, byStatus: { RECEIVED: 2 } });

    const again = await importNdjson(intake, file);
    expect(again.report).toMatchObject({ imported: 0, alreadyPresent: 2, rejected: 5 });
    expect(intake.dossiers.rows).toHaveLength(2);
  });

  it('moves the day counter past the imported numbers, so a new dossier of that day never collides', async () => {
    await importNdjson(intake, file);
    const response = await fetch(`${intake.baseUrl}/v1/dossiers`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({
        ...JSON.parse(line('x', '2026-11-20T15:00:00+07:00')),
        dossierCode: undefined,
        externalReference: { system: 's', id: 'late' },
      }),
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { dossierCode: string }).dossierCode).toBe('000.00.56.H42-261120-0009');
  });

  it('imports each open status with its pauses (due date moved by the paused working time), closed ones as history only', async () => {
    const code = (n: number) => `000.00.56.H42-261102-${String(n).padStart(4, '0')}`;
    const at = '2026-11-02T09:00:00+07:00';
    const posting = { reason: 'PUBLIC_POSTING', from: '2026-11-04T08:00:00+07:00', to: '2026-11-06T08:00:00+07:00' };
    const body = [
      line(code(1), at, { status: 'IN_PROGRESS', pauses: [posting] }),
      line(code(2), at, {
        status: 'SUPPLEMENT_REQUESTED',
        pauses: [posting, { reason: 'SUPPLEMENT', from: '2026-11-10T14:00:00+07:00' }],
      }),
      line(code(3), at, {
        status: 'AWAITING_FINANCIAL_OBLIGATION',
        pauses: [{ reason: 'FINANCIAL_OBLIGATION', from: '2026-11-12T08:00:00+07:00' }],
      }),
      line(code(4), at, { status: 'RESULT_RETURNED', pauses: [posting] }),
      line(code(5), at, { status: 'STOPPED' }),
    ].join('\n');
    const { report } = await importNdjson(intake, body, '?verifyIdentities=true');
    expect(report).toMatchObject({
      imported: 5,
      rejected: 0,
      announced: 3,
      verifyIdentities: true,
      byStatus: {
        IN_PROGRESS: 1,
        SUPPLEMENT_REQUESTED: 1,
        AWAITING_FINANCIAL_OBLIGATION: 1,
        RESULT_RETURNED: 1,
        STOPPED: 1,
      },
    });
    const [running, supplement, tax, returned, stopped] = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => intake.dossiers.findByCode(code(n))),
    );
    // Two working days of posting (Wed 4 and Thu 5 Nov, 08:00 to 08:00) move the 8-working-day due date by two days.
    expect(running).toMatchObject({
      status: 'IN_PROGRESS',
      dueAt: '2026-11-16T09:00:00+07:00',
      version: 1,
    });
    expect(running!.pausedIntervals).toEqual([{ state: 'PUBLIC_POSTING', from: posting.from, to: posting.to }]);
    expect(supplement).toMatchObject({
      status: 'SUPPLEMENT_REQUESTED',
      supplementRequest: { number: 1, requestedAt: '2026-11-10T14:00:00+07:00' },
    });
    expect(supplement!.pausedIntervals.at(-1)).toEqual({
      state: 'SUPPLEMENT_REQUESTED',
      from: '2026-11-10T14:00:00+07:00',
    });
    // Paused since 14:00 on the 10th and still at the import: the shared ledger, replayed with the province's
    // calendar as the LRO replays it, gives the same due date.
    const calendar = new DossierClockRules(
      loadReferenceData(path.resolve(__dirname, '../../../../../..')),
    ).calendarOfProvince('56');
    const ledger = ClockLedger.restore(
      {
        receivedAt: new Date(at).toISOString(),
        timeLimit: { unit: 'WORKING_DAY', amount: 8 },
        baseDueAt: new Date('2026-11-12T09:00:00+07:00').toISOString(),
        pauses: [
          {
            reason: 'PUBLIC_POSTING',
            from: new Date(posting.from).toISOString(),
            to: new Date(posting.to).toISOString(),
          },
          { reason: 'SUPPLEMENT', from: new Date('2026-11-10T14:00:00+07:00').toISOString() },
        ],
      },
      calendar,
    );
    expect(supplement!.dueAt).toBe(toVietnamIso(ledger.dueAt(new Date('2026-11-23T03:00:00Z'))));
    expect(Date.parse(supplement!.dueAt)).toBeGreaterThan(Date.parse(running!.dueAt));
    expect(tax).toMatchObject({ status: 'AWAITING_FINANCIAL_OBLIGATION', version: 1 });
    for (const closed of [returned, stopped]) {
      expect(closed).toMatchObject({ version: 0 });
      expect(intake.dossiers.eventsOf(closed!.dossierCode)).toEqual([]);
    }
    expect(returned!.history.map((h) => h.status)).toEqual(['RECEIVED', 'RESULT_RETURNED']);
    const event = intake.dossiers.eventsOf(code(2))[0] as unknown as { type: string; data: Record<string, unknown> };
    expect(event).toMatchObject({
      type: 'dossier.imported',
      data: {
        status: 'SUPPLEMENT_REQUESTED',
        identityVerification: true,
        pauses: [posting, { reason: 'SUPPLEMENT', from: '2026-11-10T14:00:00+07:00' }],
        clock: { dueAt: '2026-11-12T09:00:00+07:00' },
      },
    });
  });

  it('refuses, line by line, statuses and pauses that cannot be, and imports the rest', async () => {
    const code = (n: number) => `000.00.56.H42-261103-${String(n).padStart(4, '0')}`;
    const at = '2026-11-03T09:00:00+07:00';
    const body = [
      line(code(1), at, {
        status: 'IN_PROGRESS',
        pauses: [{ reason: 'PUBLIC_POSTING', from: '2026-11-02T08:00:00+07:00', to: '2026-11-05T08:00:00+07:00' }],
      }),
      line(code(2), at, {
        status: 'IN_PROGRESS',
        pauses: [
          { reason: 'PUBLIC_POSTING', from: '2026-11-04T08:00:00+07:00', to: '2026-11-09T08:00:00+07:00' },
          { reason: 'SUPPLEMENT', from: '2026-11-06T08:00:00+07:00', to: '2026-11-10T08:00:00+07:00' },
        ],
      }),
      line(code(3), at, {
        status: 'IN_PROGRESS',
        pauses: [{ reason: 'SUPPLEMENT', from: '2026-11-06T08:00:00+07:00' }],
      }),
      line(code(4), at, { status: 'SUPPLEMENT_REQUESTED' }),
      line(code(5), at, { status: 'SUBMITTED' }),
      line(code(6), at, {
        status: 'RECEIVED',
        pauses: [{ reason: 'SUPPLEMENT', from: '2026-11-06T08:00:00+07:00', to: '2026-11-07T08:00:00+07:00' }],
      }),
      line(code(7), at, {
        status: 'IN_PROGRESS',
        pauses: [{ reason: 'SUPPLEMENT', from: '2026-11-06T08:00:00+07:00', to: '2026-11-05T08:00:00+07:00' }],
      }),
      line(code(8), at, { status: 'IN_PROGRESS', pauses: [{ reason: 'WAITING', from: '2026-11-06T08:00:00+07:00' }] }),
      line(code(9), at, { status: 'STOPPED', pauses: [{ reason: 'SUPPLEMENT', from: '2026-11-06T08:00:00+07:00' }] }),
      line(code(10), at, {
        status: 'IN_PROGRESS',
        pauses: [{ reason: 'SUPPLEMENT', from: '2026-11-06T08:00:00+07:00', to: '2026-11-09T08:00:00+07:00' }],
      }),
    ].join('\n');
    const { status, report } = await importNdjson(intake, body);
    expect(status).toBe(200);
    expect(report).toMatchObject({ lines: 10, imported: 1, rejected: 9, announced: 1 });
    expect(report.rejections.map((r) => [r.line, r.errors.map((e) => `${e.field} ${e.code}`)])).toEqual([
      [1, ['pauses[0].from PAUSE_BEFORE_RECEIPT']],
      [2, ['pauses[1] PAUSES_OVERLAP']],
      [3, ['pauses[0].to OPEN_PAUSE_STATUS_MISMATCH']],
      [4, ['pauses OPEN_PAUSE_REQUIRED']],
      [5, ['status STATUS_NOT_IMPORTABLE']],
      [6, ['pauses PAUSES_NOT_ALLOWED']],
      [7, ['pauses[0].to PAUSE_ENDS_BEFORE_START']],
      [8, ['pauses[0].reason IS_IN']],
      [9, ['pauses[0].to OPEN_PAUSE_STATUS_MISMATCH']],
    ]);
    expect(intake.dossiers.rows.map((r) => r.dossier.dossierCode)).toEqual([code(10)]);
  });

  it('wants true or false for verifyIdentities', async () => {
    const { status, report } = await importNdjson(intake, '', '?verifyIdentities=yes');
    expect(status).toBe(400);
    expect(report).toMatchObject({ errors: [{ field: 'verifyIdentities', code: 'IS_IN' }] });
  });

  it('wants NDJSON', async () => {
    expect((await importNdjson(intake, file, '', 'text/plain')).status).toBe(415);
  });
});
