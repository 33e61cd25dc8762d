import { validateEvent, type CloudEventEnvelopeV1 } from '@lienthong/event-contracts';
import { ConflictError, IdempotencyMismatchError, NotFoundError, ValidationError } from '@lienthong/kernel';
import type { OutboxEntry } from '@lienthong/messaging';
import { ForbiddenException } from '@nestjs/common';
import path from 'node:path';
import { loadReferenceData } from '@lienthong/statutory-clock';
import { caseAfter, testStore } from '../../../../test/case-fixtures';
import { verifyAuditChain } from '../../domain/audit-chain';
import { ProvinceBranchDirectory } from '../../infrastructure/reference-data/province-branch-directory';
import { MoveCaseHandler } from './move-case.handler';

const code = '000.00.56.H42-261123-0001';
const supervisor = { userId: 'supervisor-1', branch: 'KH-DIENKHANH', roles: ['supervisor' as const] };
// The shipped province files, as the service reads them.
const directory = new ProvinceBranchDirectory(
  loadReferenceData(path.resolve(__dirname, '../../../../../..')).provinces,
);

async function setUp() {
  const { repository, store } = testStore();
  const kase = {
    ...caseAfter(['ASSIGN', 'START_REVIEW'], { dossierCode: code }),
    claim: { userId: 'officer-1', until: '2026-11-24T06:00:00.000Z' },
  };
  await repository.createIfAbsent(kase, []);
  return { repository, store, handler: new MoveCaseHandler(store, directory) };
}

const move = (key: string, extra: Record<string, unknown> = {}) => ({
  dossierCode: code,
  idempotencyKey: key,
  branchCode: 'KH-VANNINH',
  reason: 'Thửa đất thuộc xã Vạn Hưng',
  worker: supervisor,
  ...extra,
});

describe('MoveCaseHandler', () => {
  it('moves the case to the other branch: 404 at the old one, audited, announced with a valid case.moved', async () => {
    const { repository, store, handler } = await setUp();
    const { result, replayed } = await handler.execute(move('m1'));
    expect(replayed).toBe(false);
    expect(result).toEqual({
      dossierCode: code,
      previousBranchCode: 'KH-DIENKHANH',
      branchCode: 'KH-VANNINH',
      movedAt: '2026-11-24T02:00:00.000Z',
    });
    await expect(store.load(code, { branch: 'KH-DIENKHANH' })).rejects.toBeInstanceOf(NotFoundError);
    const moved = await store.load(code, { branch: 'KH-VANNINH' });
    expect(moved).toMatchObject({ state: 'IN_REVIEW', branchCode: 'KH-VANNINH' });
    expect(moved.claim).toBeUndefined();
    expect(moved.audit.at(-1)).toMatchObject({
      kind: 'MOVE',
      actor: 'supervisor-1',
      reason: 'Thửa đất thuộc xã Vạn Hưng',
    });
    expect(verifyAuditChain(moved.audit)).toEqual([]);
    const [entry] = repository.outbox as OutboxEntry[];
    const event = JSON.parse(JSON.stringify(entry!.event)) as CloudEventEnvelopeV1;
    expect(event.type).toBe('case.moved');
    expect(validateEvent(event)).toEqual([]);
  });

  it('answers a retry with the same key from the case at its new branch, and a 422 for another body', async () => {
    const { repository, handler } = await setUp();
    const first = await handler.execute(move('m2'));
    const again = await handler.execute(move('m2'));
    expect(again).toEqual({ result: first.result, replayed: true });
    await expect(handler.execute(move('m2', { reason: 'khác' }))).rejects.toBeInstanceOf(IdempotencyMismatchError);
    expect(repository.outbox).toHaveLength(1);
  });

  it('refuses a non-supervisor (403), another branch (404), no reason or another province (400), the same branch (409)', async () => {
    const { handler, repository } = await setUp();
    await expect(
      handler.execute(move('r1', { worker: { ...supervisor, roles: ['officer' as const] } })),
    ).rejects.toBeInstanceOf(ForbiddenException);
    await expect(
      handler.execute(move('r2', { worker: { ...supervisor, branch: 'KH-VANNINH' } })),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(handler.execute(move('r3', { reason: ' ' }))).rejects.toBeInstanceOf(ValidationError);
    await expect(handler.execute(move('r4', { reason: undefined }))).rejects.toBeInstanceOf(ValidationError);
    await expect(handler.execute(move('r5', { branchCode: 'QNG-DUCPHO' }))).rejects.toThrow(/province 51/);
    await expect(handler.execute(move('r6', { branchCode: 'KH-NOWHERE' }))).rejects.toBeInstanceOf(ValidationError);
    await expect(handler.execute(move('r7', { branchCode: 'KH-DIENKHANH' }))).rejects.toBeInstanceOf(ConflictError);
    expect(repository.outbox).toHaveLength(0);
    expect((await repository.findByCode(code))!.branchCode).toBe('KH-DIENKHANH');
  });

  it('refuses to move a closed case (409)', async () => {
    const { repository, store } = testStore();
    await repository.createIfAbsent(caseAfter(['ASSIGN', 'START_REVIEW', 'REJECT'], { dossierCode: code }), []);
    await expect(new MoveCaseHandler(store, directory).execute(move('c1'))).rejects.toThrow(/closed case/);
  });
});
