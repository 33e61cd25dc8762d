import { newId } from '@lienthong/kernel';
import { connectMongo } from '@lienthong/persistence';
import type { Connection } from 'mongoose';
import { caseReceivedEntry, receiveDossier, type DossierSubmission } from '../../domain/dossier';
import { MongoDossierCodeCounter, MongoDossierRepository } from './mongo-dossier.repository';

const schedule = { dueAt: '2026-12-03T08:15:00+07:00', timeLimit: { unit: 'WORKING_DAY', amount: 8 } };
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

function submission(reference: string): DossierSubmission {
  const an = {
    fullName: 'Nguyễn Văn An',
    personalIdNumber: '056080001234',
    dateOfBirth: '1980-03-15',
    gender: 'MALE' as const,
  };
  return {
    procedureCode: '1.013831',
    receivingUnitCode: '22657',
    channel: 'DIRECT',
    receivedAt: '2026-11-23T08:15:00+07:00',
    externalReference: { system: 'it', id: reference },
    applicant: an,
    parties: [{ ...an, role: 'TRANSFEROR' }],
    parcels: [{ communeCode: '22657', mapSheetNumber: '12', parcelNumber: '345', areaM2: 120.5, landUseCode: 'ONT' }],
  };
}

describe('MongoDossierRepository (real FerretDB/MongoDB)', () => {
  let connection: Connection;
  let repository: MongoDossierRepository;

  beforeAll(async () => {
    connection = await connectMongo({ url: mongoUrl, dbName: 'dossier_intake_it' });
    repository = new MongoDossierRepository(connection);
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('stores a dossier once and finds it by code, as a plain object', async () => {
    const code = `IT-${newId()}`;
    const { dossier } = receiveDossier(submission(code), code, 'client-it', new Date(), schedule);
    expect(await repository.insert(dossier, [{ event: { id: 'e1' } }])).toBe(true);
    expect(await repository.insert(dossier, [])).toBe(false);
    expect(await repository.findByCode(code)).toEqual(dossier);
    expect(await repository.findByCode(`${code}-absent`)).toBeNull();
  });

  it('reserves an idempotency key once', async () => {
    const key = newId();
    const reservation = { clientId: 'client-it', idempotencyKey: key, requestHash: 'h', dossierCode: `IT-${key}` };
    expect(await repository.reserve(reservation)).toBe(true);
    expect(await repository.reserve({ ...reservation, dossierCode: 'other' })).toBe(false);
    expect(await repository.findReservation('client-it', key)).toEqual(reservation);
    expect(await repository.findReservation('another-client', key)).toBeNull();
  });

  it('gives an external reference to the first request that claims it', async () => {
    const reference = { system: 'it', id: newId() };
    expect(await repository.claimExternalReference('client-it', reference, 'key-1')).toBe('key-1');
    expect(await repository.claimExternalReference('client-it', reference, 'key-2')).toBe('key-1');
    expect(await repository.claimExternalReference('client-other', reference, 'key-3')).toBe('key-3');
  });

  it('applies a case event once: a duplicate or older sequence changes nothing', async () => {
    const code = `IT-${newId()}`;
    const { dossier } = receiveDossier(submission(code), code, 'client-it', new Date(), schedule);
    await repository.insert(dossier, []);
    const entry = caseReceivedEntry('KH-DIENKHANH', new Date().toISOString());
    expect(await repository.applyCaseEvent(code, 1, entry)).toBe(true);
    expect(await repository.applyCaseEvent(code, 1, entry)).toBe(false);
    const stored = await repository.findByCode(code);
    expect(stored?.status).toBe('IN_PROGRESS');
    expect(stored?.history).toHaveLength(2);
  });

  it('issues gap-free, unique daily numbers under concurrency', async () => {
    const counter = new MongoDossierCodeCounter(connection);
    const agency = `IT.${newId().slice(-12)}`; // the random tail: the head of a UUIDv7 is the time
    const numbers = await Promise.all(Array.from({ length: 40 }, () => counter.next(agency, '261123')));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});
