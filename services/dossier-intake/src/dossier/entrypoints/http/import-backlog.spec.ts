import { randomUUID } from 'node:crypto';
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
      [4, ['UNKNOWN_FIELD']],
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
      version: 0,
    });
    expect(intake.dossiers.eventsOf('000.00.56.H42-261120-0007')).toEqual([]);

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

  it('wants NDJSON', async () => {
    expect((await importNdjson(intake, file, '', 'text/plain')).status).toBe(415);
  });
});
