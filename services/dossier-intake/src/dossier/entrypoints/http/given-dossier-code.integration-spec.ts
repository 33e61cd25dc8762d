import { randomUUID } from 'node:crypto';
import { connectMongo } from '@lienthong/persistence';
import { devToken } from '@lienthong/testing';
import type { Connection } from 'mongoose';
import { startIntakeHttpApp, type IntakeHttpApp } from '../../../testing/intake-http-app';
import { MongoDossierCodeCounter, MongoDossierRepository } from '../../infrastructure/mongo/mongo-dossier.repository';

// Client-supplied dossier codes over HTTP into the real database: the dossier keeps the code, a code in use is a
// 409, and the codes the service issues around them, also concurrently, never collide and leave no gap.

const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const token = devToken({ client: `it-${randomUUID()}`, communes: ['22657'] });
const agency = '000.00.56.H42';

function body(reference: string, receivedAt: string, dossierCode?: string): Record<string, unknown> {
  const an = { fullName: 'Nguyễn Văn An', personalIdNumber: '056080001234', dateOfBirth: '1980-03-15', gender: 'MALE' };
  return {
    procedureCode: '1.013831',
    caseCode: 'TRANSFER',
    receivingUnitCode: '22657',
    channel: 'DIRECT',
    receivedAt,
    externalReference: { system: 'it-given-code', id: reference },
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
    ...(dossierCode ? { dossierCode } : {}),
  };
}

describe('client-supplied dossier codes (HTTP over the real database)', () => {
  let connection: Connection;
  let intake: IntakeHttpApp<MongoDossierRepository>;
  // A receipt day of this run's own, so its numbers start at 0001.
  const day = new Date(Date.UTC(2025, 6, 1) + Math.floor(Math.random() * 300) * 86_400_000);
  const receivedAt = `${day.toISOString().slice(0, 10)}T10:00:00+07:00`;
  const yymmdd = day.toISOString().slice(2, 10).replace(/-/g, '');
  const code = (n: number) => `${agency}-${yymmdd}-${String(n).padStart(4, '0')}`;

  beforeAll(async () => {
    connection = await connectMongo({ url: mongoUrl, dbName: `dossier_intake_it_${randomUUID().slice(-8)}` });
    intake = await startIntakeHttpApp(new Date(), {
      dossiers: new MongoDossierRepository(connection),
      counter: new MongoDossierCodeCounter(connection),
    });
  });
  afterAll(async () => {
    await intake?.close();
    await connection?.db?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  async function submit(payload: unknown): Promise<{ status: number; json: { dossierCode?: string; status: number } }> {
    const response = await fetch(`${intake.baseUrl}/v1/dossiers`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(payload),
    });
    return { status: response.status, json: (await response.json()) as { dossierCode?: string; status: number } };
  }

  it('keeps given codes, refuses used ones with 409, and issues the rest around them without gaps', async () => {
    const given = [2, 9, 15];
    for (const n of given) {
      const answer = await submit(body(`given-${n}`, receivedAt, code(n)));
      expect(answer).toMatchObject({ status: 201, json: { dossierCode: code(n) } });
    }
    // A given code a dossier already has, from another reference: conflict, nothing new stored.
    expect((await submit(body('given-again', receivedAt, code(9)))).status).toBe(409);

    const issued = await Promise.all(Array.from({ length: 30 }, (_, i) => submit(body(`issued-${i}`, receivedAt))));
    expect(issued.map((a) => a.status)).toEqual(Array(30).fill(201));
    const numbers = issued.map((a) => Number(a.json.dossierCode!.split('-').at(-1))).sort((a, b) => a - b);
    const all = [...numbers, ...given].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 33 }, (_, i) => i + 1));
    expect(numbers.some((n) => given.includes(n))).toBe(false);

    // A number the service has issued cannot be given any more.
    const late = await submit(body('given-late', receivedAt, code(numbers[0]!)));
    expect(late.status).toBe(409);
    expect(await intake.dossiers.findByCode(code(9))).toMatchObject({ externalReference: { id: 'given-9' } });
    const stored = await intake.dossiers.list({ communes: ['22657'], now: new Date(), limit: 100 });
    expect(stored.items).toHaveLength(33);
  });
});
