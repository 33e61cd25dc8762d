import { randomUUID } from 'node:crypto';
import { connectMongo } from '@lienthong/persistence';
import { devToken } from '@lienthong/testing';
import type { Connection } from 'mongoose';
import { startIntakeHttpApp, type IntakeHttpApp } from '../../../testing/intake-http-app';
import { MongoDossierCodeCounter, MongoDossierRepository } from '../../infrastructure/mongo/mongo-dossier.repository';

// The HTTP API over the real FerretDB/MongoDB stores (no broker: events stay in the outbox): concurrency of codes
// and of idempotent retries, as architecture §5 and issue 4 require.

const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const token = devToken({ client: `it-${randomUUID()}`, communes: ['22657'] });

function body(reference: string, receivedAt: string): Record<string, unknown> {
  const an = { fullName: 'Nguyễn Văn An', personalIdNumber: '056080001234', dateOfBirth: '1980-03-15', gender: 'MALE' };
  return {
    procedureCode: '1.013831',
    caseCode: 'TRANSFER',
    receivingUnitCode: '22657',
    channel: 'DIRECT',
    receivedAt,
    externalReference: { system: 'it-concurrency', id: reference },
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
  };
}

async function submit(baseUrl: string, payload: unknown, key: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl}/v1/dossiers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key, authorization: `Bearer ${token}` },
    body: JSON.stringify(payload),
  });
  return { status: response.status, text: await response.text() };
}

describe('concurrent submissions (HTTP over the real database)', () => {
  let connection: Connection;
  let intake: IntakeHttpApp<MongoDossierRepository>;
  // Each run uses a receipt day of its own (a random day after the catalogue came into force on 1 Jul 2025), so its codes start at 0001.
  const offset = Math.floor(Math.random() * 300);
  const day = new Date(Date.UTC(2025, 6, 1) + offset * 86_400_000);
  const receivedAt = `${day.toISOString().slice(0, 10)}T09:00:00+07:00`;
  const yymmdd = day.toISOString().slice(2, 10).replace(/-/g, '');

  beforeAll(async () => {
    connection = await connectMongo({ url: mongoUrl, dbName: `dossier_intake_it_${randomUUID().slice(-8)}` });
    intake = await startIntakeHttpApp(new Date(), {
      dossiers: new MongoDossierRepository(connection),
      counter: new MongoDossierCodeCounter(connection),
    });
  });
  afterAll(async () => {
    await intake?.close();
    await connection?.db?.dropDatabase();
    await connection?.close();
  });

  it('5 concurrent identical requests with one key create one dossier and get 5 identical answers; another body is 422', async () => {
    const key = randomUUID();
    const payload = body(`BN-${randomUUID()}`, receivedAt);
    const answers = await Promise.all(Array.from({ length: 5 }, () => submit(intake.baseUrl, payload, key)));
    expect(answers.map((a) => a.status).every((s) => s === 201 || s === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    const { dossierCode } = JSON.parse(answers[0]!.text) as { dossierCode: string };
    const reference = (payload['externalReference'] as { id: string }).id;
    expect(await intake.dossiers.dossiers.countDocuments({ 'externalReference.id': reference })).toBe(1);
    expect(await intake.dossiers.findByCode(dossierCode)).not.toBeNull();

    const other = await submit(intake.baseUrl, { ...payload, summary: 'changed' }, key);
    expect(other.status).toBe(422);
    expect(JSON.parse(other.text)).toMatchObject({ status: 422, type: expect.stringContaining('idempotency') });
  }, 60_000);

  it('500 concurrent submissions for one commune and day get 500 distinct consecutive codes', async () => {
    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        submit(intake.baseUrl, body(`BN-${randomUUID()}-${i}`, receivedAt), randomUUID()),
      ),
    );
    expect(answers.filter((a) => a.status !== 201).map((a) => a.text)).toEqual([]);
    const numbers = answers
      .map((a) => (JSON.parse(a.text) as { dossierCode: string }).dossierCode)
      .map((code) => {
        expect(code).toMatch(new RegExp(`^000\\.00\\.56\\.H42-${yymmdd}-\\d{4}$`));
        return Number(code.slice(-4));
      })
      .sort((a, b) => a - b);
    // The first test took number 1 of this day.
    expect(numbers).toEqual(Array.from({ length: 500 }, (_, i) => i + 2));
  }, 300_000);
});
