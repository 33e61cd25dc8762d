import { newId } from '@lienthong/kernel';
import { connectMongo } from '@lienthong/persistence';
import type { Connection } from 'mongoose';
import { receiveDossier, type DossierSubmission } from '../../domain/dossier';
import { applyCaseFact } from '../../domain/dossier-lifecycle';
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

  it('reserves an idempotency key once, then gives it one dossier code', async () => {
    const key = newId();
    const reservation = { clientId: 'client-it', idempotencyKey: key, requestHash: 'h' };
    expect(await repository.reserve(reservation)).toBe(true);
    expect(await repository.reserve({ ...reservation, requestHash: 'other' })).toBe(false);
    expect(await repository.findReservation('client-it', key)).toEqual({
      ...reservation,
      reservedAt: expect.any(Date),
    });
    expect(await repository.findReservation('another-client', key)).toBeNull();
    expect(await repository.assignCode('client-it', key, `IT-${key}-1`)).toBe(`IT-${key}-1`);
    // A second number for the same key (a takeover) does not replace the first.
    expect(await repository.assignCode('client-it', key, `IT-${key}-2`)).toBe(`IT-${key}-1`);
    expect((await repository.findReservation('client-it', key))?.dossierCode).toBe(`IT-${key}-1`);
  });

  it('gives an external reference to the first request that claims it', async () => {
    const reference = { system: 'it', id: newId() };
    expect(await repository.claimExternalReference('client-it', reference, 'key-1')).toBe('key-1');
    expect(await repository.claimExternalReference('client-it', reference, 'key-2')).toBe('key-1');
    expect(await repository.claimExternalReference('client-other', reference, 'key-3')).toBe('key-3');
  });

  it('saves a change only over the version it was read at, appending its events to the outbox', async () => {
    const code = `IT-${newId()}`;
    const { dossier } = receiveDossier(submission(code), code, 'client-it', new Date(), schedule);
    await repository.insert(dossier, []);
    const fact = { type: 'case.received', sequence: 1, time: new Date().toISOString(), data: { branchCode: 'KH-01' } };
    const change = applyCaseFact(dossier, fact)!;
    expect(await repository.save(change.dossier, dossier.version, [{ event: { id: 'e2' } }])).toBe(true);
    // A second writer that read the same version loses and must read again.
    expect(await repository.save(change.dossier, dossier.version, [{ event: { id: 'e3' } }])).toBe(false);
    const stored = await repository.findByCode(code);
    expect(stored).toEqual(change.dossier);
    expect(stored?.status).toBe('IN_PROGRESS');
    const raw = await connection.db!.collection('dossiers').findOne({ _id: code as never });
    expect(raw?.['outbox']).toEqual([{ event: { id: 'e2' } }]);
  });

  it('removes an answered supplement request from the stored document', async () => {
    const code = `IT-${newId()}`;
    const { dossier } = receiveDossier(submission(code), code, 'client-it', new Date(), schedule);
    const open = {
      ...dossier,
      supplementRequest: { number: 1, requestedAt: '2026-11-24T09:00:00+07:00', reason: 'r', missingDocuments: [] },
    };
    await repository.insert(open, []);
    const { supplementRequest: _answered, ...closed } = open;
    expect(await repository.save({ ...closed, version: 3 }, 2, [])).toBe(true);
    expect(await repository.findByCode(code)).not.toHaveProperty('supplementRequest');
  });

  it("lists the dossiers of the caller's communes with filters, ordered by code, page by page", async () => {
    const commune = String(10000 + Math.floor(Math.random() * 89999));
    const codes: string[] = [];
    for (let i = 1; i <= 5; i += 1) {
      const code = `IT-${commune}-${i}`;
      codes.push(code);
      const base = submission(`${commune}-${i}`);
      const { dossier } = receiveDossier(
        { ...base, receivingUnitCode: commune, receivedAt: `2026-11-2${i}T08:00:00+07:00` },
        code,
        'client-it',
        new Date(),
        { ...schedule, dueAt: i <= 2 ? '2026-11-01T08:00:00+07:00' : '2027-01-01T08:00:00+07:00' },
      );
      await repository.insert(dossier, []);
    }
    const now = new Date('2026-12-01T00:00:00Z');
    const first = await repository.list({ communes: [commune], now, limit: 2 });
    expect(first.items.map((d) => d.dossierCode)).toEqual(codes.slice(0, 2));
    const second = await repository.list({ communes: [commune], now, limit: 2, after: first.next });
    expect(second.items.map((d) => d.dossierCode)).toEqual(codes.slice(2, 4));
    const last = await repository.list({ communes: [commune], now, limit: 2, after: second.next });
    expect(last).toEqual({ items: [expect.objectContaining({ dossierCode: codes[4] })] });
    const overdue = await repository.list({ communes: [commune], now, limit: 10, overdue: true });
    expect(overdue.items.map((d) => d.dossierCode)).toEqual(codes.slice(0, 2));
    const notOverdue = await repository.list({ communes: [commune], now, limit: 10, overdue: false });
    expect(notOverdue.items.map((d) => d.dossierCode)).toEqual(codes.slice(2));
    const window = await repository.list({
      communes: [commune],
      now,
      limit: 10,
      receivedFrom: new Date('2026-11-22T01:00:00Z'),
      receivedTo: new Date('2026-11-24T01:00:00Z'),
    });
    expect(window.items.map((d) => d.dossierCode)).toEqual(codes.slice(1, 3));
    expect((await repository.list({ communes: ['00000'], now, limit: 10 })).items).toEqual([]);
    expect((await repository.list({ communes: [commune], now, limit: 10, status: 'IN_PROGRESS' })).items).toEqual([]);
  });

  it('inserts many dossiers at once, reporting those already present (the backlog import)', async () => {
    const codes = [1, 2, 3].map((i) => `IT-${newId()}-${i}`);
    const make = (code: string) => receiveDossier(submission(code), code, 'client-it', new Date(), schedule).dossier;
    expect(await repository.insertMany(codes.slice(0, 2).map(make))).toEqual({
      inserted: codes.slice(0, 2),
      present: [],
    });
    const again = await repository.insertMany(codes.map(make));
    expect(again.inserted).toEqual([codes[2]]);
    expect([...again.present].sort()).toEqual(codes.slice(0, 2).sort());
    expect(await repository.findByCode(codes[2]!)).not.toBeNull();
  });

  it('stores each imported dossier with its own pending events in the bulk insert, and never twice', async () => {
    const [announced, quiet] = [1, 2].map((i) => `IT-${newId()}-${i}`);
    const make = (code: string) => receiveDossier(submission(code), code, 'client-it', new Date(), schedule).dossier;
    const entry = { event: { id: `e-${announced}`, time: '2026-11-23T03:00:00.000Z' } };
    await repository.insertMany([announced!, quiet!].map(make), new Map([[announced!, [entry]]]));
    const raw = (code: string) => connection.db!.collection('dossiers').findOne({ _id: code as never });
    expect(await raw(announced!)).toMatchObject({ outbox: [entry], outboxSince: entry.event.time });
    expect((await raw(quiet!))?.['outbox']).toEqual([]);
    // A re-run finds it present: the event is not stored again.
    const again = await repository.insertMany(
      [make(announced!)],
      new Map([[announced!, [{ event: { id: 'e-again' } }]]]),
    );
    expect(again.present).toEqual([announced]);
    expect((await raw(announced!))?.['outbox']).toEqual([entry]);
  });

  it('moves a day counter up to an imported number, never down', async () => {
    const counter = new MongoDossierCodeCounter(connection);
    const agency = `IT.${newId().slice(-12)}`;
    await counter.atLeast(agency, '261120', 7);
    await counter.atLeast(agency, '261120', 3);
    expect(await counter.next(agency, '261120')).toBe(8);
  });

  it('issues gap-free, unique daily numbers under concurrency', async () => {
    const counter = new MongoDossierCodeCounter(connection);
    const agency = `IT.${newId().slice(-12)}`; // the random tail: the head of a UUIDv7 is the time
    const numbers = await Promise.all(Array.from({ length: 40 }, () => counter.next(agency, '261123')));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('skips the numbers intake systems claimed, under concurrency, and refuses a claim of an issued number', async () => {
    const counter = new MongoDossierCodeCounter(connection);
    const agency = `IT.${newId().slice(-12)}`;
    expect(await counter.claim(agency, '261124', 3)).toBe(true);
    expect(await counter.claim(agency, '261124', 7)).toBe(true);
    const numbers = await Promise.all(Array.from({ length: 20 }, () => counter.next(agency, '261124')));
    const expected = Array.from({ length: 22 }, (_, i) => i + 1).filter((n) => n !== 3 && n !== 7);
    expect([...numbers].sort((a, b) => a - b)).toEqual(expected);
    expect(await counter.claim(agency, '261124', 5)).toBe(false); // issued by the counter
    expect(await counter.claim(agency, '261124', 7)).toBe(true); // claimed before: a retry
    expect(await counter.claim(agency, '261124', 30)).toBe(true);
    expect(await counter.claim(agency, '261125', 1)).toBe(true); // another day starts its own counter
    expect(await counter.next(agency, '261125')).toBe(2);
  });
});
