import { IdempotencyMismatchError } from '@lienthong/kernel';
import { actionInputs, caseReadyFor, testStore } from '../../../../test/case-fixtures';
import { TransitionRefusedError } from '../../domain/case-workflow';
import { TransitionCaseHandler } from './transition-case.handler';

const code = '000.00.56.H42-261123-0001';
const worker = { userId: 'officer-1', branch: 'KH-DIENKHANH', roles: ['officer' as const] };

async function setUp(claimedBy = 'officer-1') {
  const { repository, store } = testStore();
  const kase = {
    ...caseReadyFor('REQUEST_SUPPLEMENT', code),
    claim: { userId: claimedBy, until: '2026-11-24T06:00:00.000Z' },
  };
  await repository.createIfAbsent(kase, []);
  return { repository, handler: new TransitionCaseHandler(store) };
}

const request = (key: string, extra = {}) => ({
  dossierCode: code,
  idempotencyKey: key,
  action: 'REQUEST_SUPPLEMENT',
  ...actionInputs.REQUEST_SUPPLEMENT,
  worker,
  ...extra,
});

describe('TransitionCaseHandler', () => {
  it('applies once per Idempotency-Key: a retry answers the case as it is, another body is a 422', async () => {
    const { repository, handler } = await setUp();
    const first = await handler.execute(request('k1'));
    expect(first).toMatchObject({ replayed: false, view: { state: 'SUPPLEMENT_REQUESTED' } });
    const again = await handler.execute(request('k1'));
    expect(again).toMatchObject({
      replayed: true,
      view: { state: 'SUPPLEMENT_REQUESTED', version: first.view.version },
    });
    await expect(handler.execute(request('k1', { reason: 'khác' }))).rejects.toBeInstanceOf(IdempotencyMismatchError);
    expect(repository.outbox).toHaveLength(1);
    expect((await repository.findByCode(code))!.progress.supplementRequests).toBe(1);
  });

  it('needs the caller to hold the claim for an officer step (409 naming the claim)', async () => {
    const { handler } = await setUp('officer-2');
    await expect(handler.execute(request('k2'))).rejects.toThrow(TransitionRefusedError);
    await expect(handler.execute(request('k3'))).rejects.toThrow(/claim the case/);
  });

  it('refuses an unknown action with a 400 and writes an audit entry per applied action', async () => {
    const { repository, handler } = await setUp();
    await expect(handler.execute(request('k4', { action: 'TELEPORT' }))).rejects.toThrow(/Unknown action/);
    await handler.execute(request('k5'));
    const audit = (await repository.findByCode(code))!.audit;
    expect(audit.at(-1)).toMatchObject({
      kind: 'ACTION',
      what: 'REQUEST_SUPPLEMENT',
      actor: 'officer-1',
      branch: 'KH-DIENKHANH',
    });
  });
});
