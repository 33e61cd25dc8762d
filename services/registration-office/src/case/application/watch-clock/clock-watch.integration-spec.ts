import { FixedClock, newId } from '@lienthong/kernel';
import type { OutboxEntry, OutboxRelay } from '@lienthong/messaging';
import { connectMongo } from '@lienthong/persistence';
import type { Connection } from 'mongoose';
import { referenceData } from '../../../../test/case-builder';
import { caseAfter } from '../../../../test/case-fixtures';
import { MongoCaseRepository } from '../../infrastructure/mongo/mongo-case.repository';
import { CaseStore } from '../case-store';
import { ClockWatch } from './clock-watch';

// Two service instances watching the same database at the same instant: every late case gets exactly one
// case.overdue and one apology letter, because the marker is written with the events in one conditional update;
// the letter's new date then gets its own due-soon alert, once.
describe('clock watch on the real database (FerretDB/MongoDB)', () => {
  let connection: Connection;
  let repository: MongoCaseRepository;
  const branch = `IT-${newId().slice(-8).toUpperCase()}`;
  const codes = [1, 2, 3].map((n) => `CW.${branch}-261123-000${n}`);
  // Published later by the outbox relay; this test reads what the write put in the outbox.
  const relay = { relay: () => Promise.resolve(0) } as unknown as OutboxRelay;
  const policy = { dueSoonWorkingMinutes: 480, apologyExtensionWorkingDays: 3 };

  beforeAll(async () => {
    connection = await connectMongo({
      url: process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017',
      dbName: 'registration_office_it_watch',
    });
    repository = new MongoCaseRepository(connection);
    // TRANSFER received 2026-11-23 08:00: due 2026-12-03 08:00 (+07).
    for (const code of codes)
      await repository.createIfAbsent(caseAfter(['ASSIGN'], { dossierCode: code, branchCode: branch }), []);
  });
  afterAll(async () => {
    await repository?.cases.deleteMany({ branchCode: branch });
    await connection?.close();
  });

  const watchAt = (iso: string) =>
    new ClockWatch(
      repository,
      new CaseStore(repository, referenceData, new FixedClock(new Date(iso)), relay),
      policy,
      0,
    );

  const outboxTypes = async (code: string) => {
    const doc = await repository.cases.findOne({ _id: code });
    return ((doc?.outbox ?? []) as OutboxEntry[]).map((e) => e.event.type);
  };

  it('fires due-soon once, then overdue and the apology once, however many watchers run', async () => {
    await Promise.all([watchAt('2026-12-02T02:00:00.000Z').runOnce(), watchAt('2026-12-02T02:00:00.000Z').runOnce()]);
    for (const code of codes) expect(await outboxTypes(code)).toEqual(['case.due-soon']);
    await Promise.all([
      watchAt('2026-12-03T02:00:00.000Z').runOnce(),
      watchAt('2026-12-03T02:00:00.000Z').runOnce(),
      watchAt('2026-12-03T02:30:00.000Z').runOnce(),
    ]);
    for (const code of codes) {
      expect(await outboxTypes(code)).toEqual(['case.due-soon', 'case.overdue', 'case.apology-issued']);
      // The letter moved the ledger's due date to Tue 8 Dec 09:00 (3 working days after the lateness was found).
      expect((await repository.findByCode(code))!.dueAt).toBe('2026-12-08T02:00:00.000Z');
    }
    // The alerts start afresh for the agreed date: due soon once more on Mon 7 Dec, still one letter (ADR 0009).
    await Promise.all([watchAt('2026-12-07T02:00:00.000Z').runOnce(), watchAt('2026-12-07T02:00:00.000Z').runOnce()]);
    for (const code of codes) {
      expect(await outboxTypes(code)).toEqual([
        'case.due-soon',
        'case.overdue',
        'case.apology-issued',
        'case.due-soon',
      ]);
      const kase = (await repository.findByCode(code))!;
      expect(kase.documents.filter((d) => d.kind === 'APOLOGY_LETTER')).toHaveLength(1);
      expect(kase.alerts).toEqual({ dueSoonFor: '2026-12-08T02:00:00.000Z' });
    }
  });
});
