import { newId } from '@lienthong/kernel';
import { connectMongo } from '@lienthong/persistence';
import type { Connection } from 'mongoose';
import { caseAfter } from '../../../../test/case-fixtures';
import { appendAudit, verifyAuditChain } from '../../domain/audit-chain';
import { CaseState, type Case } from '../../domain/case';
import { MongoCaseRepository } from './mongo-case.repository';

const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

describe('MongoCaseRepository (real FerretDB/MongoDB)', () => {
  let connection: Connection;
  let repository: MongoCaseRepository;
  // Each run uses its own branch, so the worklist sees only this run's cases.
  const branch = `IT-${newId().slice(-8).toUpperCase()}`;
  const code = (n: number) => `IT.${branch}-261123-${String(n).padStart(4, '0')}`;

  beforeAll(async () => {
    connection = await connectMongo({ url: mongoUrl, dbName: 'registration_office_it' });
    repository = new MongoCaseRepository(connection);
    await repository.onModuleInit();
  });
  afterAll(async () => {
    await repository?.cases.deleteMany({ branchCode: branch });
    await connection?.close();
  });

  const make = (n: number, path: Parameters<typeof caseAfter>[0] = [], dueAt?: string): Case => {
    const kase = caseAfter(path, { dossierCode: code(n), branchCode: branch });
    return dueAt ? { ...kase, dueAt } : kase;
  };

  it('creates once, saves conditionally with the audit chain and outbox appended, and drops a released claim', async () => {
    const kase = make(1);
    expect(await repository.createIfAbsent(kase, [])).toBe(true);
    expect(await repository.createIfAbsent(kase, [])).toBe(false);
    const audit = appendAudit(kase.audit, [
      { at: new Date().toISOString(), actor: 'u1', kind: 'CLAIM', what: 'CLAIM' },
    ]);
    const claimed: Case = {
      ...kase,
      version: 2,
      state: CaseState.Assigned,
      claim: { userId: 'u1', until: '2030-01-01T00:00:00.000Z' },
    };
    const entry = { event: { id: newId(), time: new Date().toISOString() }, trace: {} };
    expect(await repository.save(claimed, { version: 1, auditLength: 1 }, audit, [entry])).toBe(true);
    // A writer that read version 1 loses.
    expect(await repository.save(claimed, { version: 1, auditLength: 1 }, audit, [])).toBe(false);
    const stored = await repository.findByCode(kase.dossierCode);
    expect(stored).toMatchObject({ version: 2, state: 'ASSIGNED', claim: { userId: 'u1' } });
    expect(stored!.audit).toHaveLength(2);
    expect(verifyAuditChain(stored!.audit)).toEqual([]);
    const raw = await repository.cases.findOne({ _id: kase.dossierCode });
    expect(raw!.outbox).toHaveLength(1);

    const { claim: _claim, ...released } = { ...stored!, version: 3 };
    expect(await repository.save(released, { version: 2, auditLength: 2 }, [], [])).toBe(true);
    expect((await repository.findByCode(kase.dossierCode))!.claim).toBeUndefined();
  });

  it('appends view entries only while the trail has the expected length', async () => {
    const kase = make(2);
    await repository.createIfAbsent(kase, []);
    const view = appendAudit(kase.audit, [
      { at: new Date().toISOString(), actor: 'u2', kind: 'VIEW', what: 'GET case' },
    ]);
    expect(await repository.appendAudit(kase.dossierCode, 1, view)).toBe(true);
    expect(await repository.appendAudit(kase.dossierCode, 1, view)).toBe(false);
    // An action computed before the view sees its audit length is stale.
    expect(await repository.save({ ...kase, version: 2 }, { version: 1, auditLength: 1 }, [], [])).toBe(false);
    expect((await repository.findByCode(kase.dossierCode))!.audit.map((e) => e.kind)).toEqual(['RECEIVED', 'VIEW']);
  });

  it('pages the worklist by due date with a cursor and filters, leaving the long arrays out', async () => {
    const dues = [
      '2026-12-03T01:00:00.000Z',
      '2026-12-01T01:00:00.000Z',
      '2026-12-02T01:00:00.000Z',
      '2026-12-02T01:00:00.000Z',
    ];
    for (const [i, due] of dues.entries())
      await repository.createIfAbsent(make(10 + i, i === 3 ? ['ASSIGN'] : [], due), []);
    const first = await repository.worklist({ branchCode: branch, limit: 2 });
    expect(first.map((k) => k.dossierCode)).toEqual([code(11), code(12)]);
    expect(first[0]!.audit).toEqual([]);
    expect(first[0]).not.toHaveProperty('history');
    const last = first.at(-1)!;
    const second = await repository.worklist({
      branchCode: branch,
      limit: 10,
      after: { dueAt: last.dueAt, dossierCode: last.dossierCode },
    });
    // Cases 1, 2 and 10 share a due date (3 Dec 08:00): the dossier code breaks the tie.
    expect(second.map((k) => k.dossierCode)).toEqual([code(13), code(1), code(2), code(10)]);
    const assigned = await repository.worklist({ branchCode: branch, state: CaseState.Assigned, limit: 10 });
    expect(assigned.map((k) => k.dossierCode)).toEqual([code(13), code(1)]); // case 1 was claimed above
    const early = await repository.worklist({
      branchCode: branch,
      dueBefore: new Date('2026-12-02T00:00:00.000Z'),
      limit: 10,
    });
    expect(early.map((k) => k.dossierCode)).toEqual([code(11)]);
    expect((await repository.worklist({ branchCode: 'NO-SUCH-BRANCH', limit: 10 })).length).toBe(0);
  });

  it('gives the clock watch the open cases due first whose overdue alert has not fired (an imported late case)', async () => {
    // Due dates before any other test's, so the shared database's other cases stay out of the window.
    const due = '1990-01-01T01:00:00.000Z';
    const waiting = make(40, [], due);
    const fired = { ...make(41, [], due), alerts: { dueSoonFor: due, overdueFor: due } };
    await repository.createIfAbsent(waiting, []);
    await repository.createIfAbsent(fired, []);
    const found = await repository.dueBefore(new Date('1990-01-02T00:00:00.000Z'), 50);
    expect(found.map((k) => k.dossierCode)).toContain(waiting.dossierCode);
    expect(found.map((k) => k.dossierCode)).not.toContain(fired.dossierCode);
  });

  it('pages the clock watch through candidates with the same due date by dossier code, after a cursor', async () => {
    // A due date of this run's own (a second picked at random), before every other test's.
    const second = Math.floor(Math.random() * 3_600);
    const due = new Date(Date.parse('1990-01-03T01:00:00.000Z') + second * 1_000).toISOString();
    const cases = [50, 51, 52, 53, 54].map((n) => make(n, [], due));
    for (const kase of cases) await repository.createIfAbsent(kase, []);
    const bound = new Date(Date.parse(due) + 1);
    const after = (k: { dueAt: string; dossierCode: string }) => ({ dueAt: k.dueAt, dossierCode: k.dossierCode });
    const first = await repository.dueBefore(bound, 2, {
      dueAt: new Date(Date.parse(due) - 1).toISOString(),
      dossierCode: '',
    });
    const next = await repository.dueBefore(bound, 2, after(first.at(-1)!));
    const last = await repository.dueBefore(bound, 2, after(next.at(-1)!));
    expect([...first, ...next, ...last].map((k) => k.dossierCode)).toEqual(cases.map((k) => k.dossierCode));
  });

  it('parks verdicts per dossier (upsert, appended in order)', async () => {
    const dossier = code(90);
    const entry = (sequence: number) => ({
      sequence,
      type: 'match.completed',
      verdicts: [{ role: 'APPLICANT', maskedPersonalId: '0560******34', verdict: 'MATCHED' as const }],
      eventId: newId(),
      correlationId: newId(),
    });
    expect(await repository.parkedVerdicts(dossier)).toEqual([]);
    await repository.parkVerdicts(dossier, entry(2));
    await repository.parkVerdicts(dossier, entry(3));
    expect((await repository.parkedVerdicts(dossier)).map((e) => e.sequence)).toEqual([2, 3]);
  });
});
