import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SystemClock } from '@lienthong/kernel';
import { connectMongo } from '@lienthong/persistence';
import { devToken } from '@lienthong/testing';
import type { Connection } from 'mongoose';
import { startIntakeHttpApp, type IntakeHttpApp } from '../../../testing/intake-http-app';
import type { ImportReport } from '../../application/import-backlog/import-backlog.handler';
import { MongoDossierCodeCounter, MongoDossierRepository } from '../../infrastructure/mongo/mongo-dossier.repository';

// The backlog import over HTTP into the real FerretDB/MongoDB stores. BACKLOG_COUNT sets the scale (default 1,000;
// the issue's figure is 100,000): the whole file is streamed, the report reconciles, and a second run imports 0.

const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const count = Number(process.env.BACKLOG_COUNT ?? 1_000);
const token = devToken({ client: 'backlog-it', communes: ['22657'] });

/** `count` dossiers spread over working days of Oct–Nov 2026, up to 9,999 per day, as NDJSON lines. */
function* lines(): Generator<string> {
  const an = { fullName: 'Nguyễn Văn An', personalIdNumber: '056080001234', dateOfBirth: '1980-03-15', gender: 'MALE' };
  const perDay = Math.min(9_999, Math.ceil(count / 40));
  for (let i = 0; i < count; i += 1) {
    const day = new Date(Date.UTC(2026, 9, 1) + Math.floor(i / perDay) * 86_400_000);
    const ymd = day.toISOString().slice(0, 10);
    const code = `000.00.56.H42-${ymd.slice(2).replace(/-/g, '')}-${String((i % perDay) + 1).padStart(4, '0')}`;
    yield `${JSON.stringify({
      dossierCode: code,
      procedureCode: '1.013831',
      caseCode: 'TRANSFER',
      receivingUnitCode: '22657',
      channel: 'DIRECT',
      receivedAt: `${ymd}T09:00:00+07:00`,
      externalReference: { system: 'backlog', id: code },
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
      parcels: [
        {
          communeCode: '22657',
          mapSheetNumber: '12',
          parcelNumber: String(i % 999_999),
          areaM2: 120.5,
          landUseCode: 'ONT',
        },
      ],
    })}\n`;
  }
}

/**
 * Streams the file with node:http: fetch waits at most 5 minutes for the response headers, and the report of a
 * large import comes later than that.
 */
async function runImport(intake: IntakeHttpApp<MongoDossierRepository>): Promise<ImportReport> {
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = http.request(
      `${intake.baseUrl}/v1/dossiers:import`,
      { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    pipeline(Readable.from(lines()), request).catch(reject);
  });
  expect(status).toBe(200);
  return JSON.parse(text) as ImportReport;
}

describe(`backlog import of ${count} dossiers (HTTP over the real database)`, () => {
  let connection: Connection;
  let intake: IntakeHttpApp<MongoDossierRepository>;

  beforeAll(async () => {
    connection = await connectMongo({ url: mongoUrl, dbName: `dossier_intake_backlog_${randomUUID().slice(-8)}` });
    intake = await startIntakeHttpApp(new Date(), {
      dossiers: new MongoDossierRepository(connection),
      counter: new MongoDossierCodeCounter(connection),
      clock: new SystemClock(),
    });
  });
  afterAll(async () => {
    await intake?.close();
    await connection?.db?.dropDatabase();
    await connection?.close();
  });

  it('imports every dossier with a reconciliation report; a second run imports 0', async () => {
    const first = await runImport(intake);
    // Reported, not asserted: the duration is a measurement.
    console.log(
      `backlog import: ${count} dossiers in ${first.durationMs} ms (${Math.round((count * 1000) / first.durationMs)}/s)`,
    );
    expect(first).toMatchObject({ lines: count, imported: count, alreadyPresent: 0, rejected: 0 });
    expect(await intake.dossiers.dossiers.countDocuments({})).toBe(count);

    const second = await runImport(intake);
    console.log(`backlog re-run: ${count} dossiers checked in ${second.durationMs} ms`);
    expect(second).toMatchObject({ lines: count, imported: 0, alreadyPresent: count, rejected: 0 });
    expect(await intake.dossiers.dossiers.countDocuments({})).toBe(count);
  }, 3_600_000);
});
