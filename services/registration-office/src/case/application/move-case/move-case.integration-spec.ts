import path from 'node:path';
import { FixedClock, newId, NotFoundError } from '@lienthong/kernel';
import type { OutboxEntry, OutboxRelay } from '@lienthong/messaging';
import { connectMongo } from '@lienthong/persistence';
import { loadReferenceData } from '@lienthong/statutory-clock';
import type { Connection } from 'mongoose';
import { caseNames, referenceData } from '../../../../test/case-builder';
import { caseAfter } from '../../../../test/case-fixtures';
import { MongoCaseRepository } from '../../infrastructure/mongo/mongo-case.repository';
import { ProvinceBranchDirectory } from '../../infrastructure/reference-data/province-branch-directory';
import { CaseStore } from '../case-store';
import { MoveCaseHandler } from './move-case.handler';

// A move on the real database (FerretDB/MongoDB): the case leaves one branch's worklist and enters the other's in the
// one conditional write, and two supervisors moving the same case at once move it once.
describe('moving a case on the real database', () => {
  let connection: Connection;
  let repository: MongoCaseRepository;
  let handler: MoveCaseHandler;
  const run = newId().slice(-8).toUpperCase();
  const code = `MV.${run}-261123-0001`;
  const relay = { relay: () => Promise.resolve(0) } as unknown as OutboxRelay;
  const directory = new ProvinceBranchDirectory(
    loadReferenceData(path.resolve(__dirname, '../../../../../..')).provinces,
  );
  const supervisor = (userId: string) => ({ userId, branch: 'KH-DIENKHANH', roles: ['supervisor' as const] });

  beforeAll(async () => {
    connection = await connectMongo({
      url: process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017',
      dbName: 'registration_office_it_move',
    });
    repository = new MongoCaseRepository(connection);
    const store = new CaseStore(
      repository,
      referenceData,
      new FixedClock(new Date('2026-11-24T02:00:00.000Z')),
      relay,
      caseNames,
    );
    handler = new MoveCaseHandler(store, directory);
    await repository.createIfAbsent(caseAfter(['ASSIGN'], { dossierCode: code, branchCode: 'KH-DIENKHANH' }), []);
  });
  afterAll(async () => {
    await repository?.cases.deleteMany({ _id: code });
    await connection?.close();
  });

  const inWorklist = async (branchCode: string) =>
    (await repository.worklist({ branchCode, limit: 100 })).some((k) => k.dossierCode === code);

  it('moves once when two supervisors move the same case at the same time; the worklists follow', async () => {
    expect(await inWorklist('KH-DIENKHANH')).toBe(true);
    const outcomes = await Promise.allSettled(
      ['sup-a', 'sup-b'].map((userId) =>
        handler.execute({
          dossierCode: code,
          idempotencyKey: `key-${userId}`,
          branchCode: 'KH-VANNINH',
          reason: `Thửa đất thuộc xã Vạn Hưng (${userId})`,
          worker: supervisor(userId),
        }),
      ),
    );
    const moved = outcomes.filter((o) => o.status === 'fulfilled');
    expect(moved).toHaveLength(1);
    // The loser read the case after the winner's write: it is no longer at its branch.
    expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: expect.any(NotFoundError) });

    expect(await inWorklist('KH-DIENKHANH')).toBe(false);
    expect(await inWorklist('KH-VANNINH')).toBe(true);
    const doc = await repository.cases.findOne({ _id: code });
    const events = ((doc?.outbox ?? []) as OutboxEntry[]).map((e) => e.event.type);
    expect(events.filter((t) => t === 'case.moved')).toHaveLength(1);
    const stored = await repository.findByCode(code);
    expect(stored!.audit.filter((e) => e.kind === 'MOVE')).toHaveLength(1);
    expect(stored!.branchCode).toBe('KH-VANNINH');
  });
});
