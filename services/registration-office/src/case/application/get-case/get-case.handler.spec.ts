import { NotFoundError } from '@lienthong/kernel';
import { caseReadyFor, testStore } from '../../../../test/case-fixtures';
import { GetCaseHandler } from './get-case.handler';

const code = '000.00.56.H42-261123-0001';
const viewer = { userId: 'officer-1', branch: 'KH-DIENKHANH', roles: ['officer' as const] };

describe('GetCaseHandler', () => {
  it('shows masked persons and the derived clock, and records who viewed the personal data', async () => {
    const { repository, store, clock } = testStore();
    await repository.createIfAbsent(caseReadyFor('REQUEST_SUPPLEMENT', code), []);
    const handler = new GetCaseHandler(store);
    const view = await handler.execute(code, viewer);
    expect(view.persons.map((p) => p.maskedPersonalId)).toEqual(['0560******34', '0790******90']);
    expect(view.clock).toMatchObject({ paused: false, late: false, dueAt: '2026-12-03T08:00:00+07:00' });
    const views = () => repository.findByCode(code).then((k) => k!.audit.filter((e) => e.kind === 'VIEW'));
    expect(await views()).toEqual([expect.objectContaining({ actor: 'officer-1', branch: 'KH-DIENKHANH' })]);
    // Refreshing within ten minutes is the same view; later, or by someone else, is a new one.
    await handler.execute(code, viewer);
    expect(await views()).toHaveLength(1);
    await handler.execute(code, { ...viewer, userId: 'officer-2' });
    clock.advance(11 * 60_000);
    await handler.execute(code, viewer);
    expect((await views()).map((e) => e.actor)).toEqual(['officer-1', 'officer-2', 'officer-1']);
    expect((await handler.audit(code, viewer)).intact).toBe(true);
  });

  it('answers 404 for another branch, whatever the role', async () => {
    const { repository, store } = testStore();
    await repository.createIfAbsent(caseReadyFor('REQUEST_SUPPLEMENT', code), []);
    const handler = new GetCaseHandler(store);
    const other = { userId: 's', branch: 'QNG-DUCPHO', roles: ['supervisor' as const] };
    await expect(handler.execute(code, other)).rejects.toBeInstanceOf(NotFoundError);
    await expect(handler.audit(code, other)).rejects.toBeInstanceOf(NotFoundError);
  });
});
