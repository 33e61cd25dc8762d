import { caseAfter, testStore } from '../../../../test/case-fixtures';
import { ClockWatch } from './clock-watch';

const policy = { dueSoonWorkingMinutes: 480, apologyExtensionWorkingDays: 3 };

// Paused cases keep the due date stored when their clock stopped, earlier than their real one, so they stay at the
// front of the watch's candidates for as long as they wait (a backlog import brings thousands at once). The cases
// behind them must still get their alerts.
describe('clock watch candidates', () => {
  it('reaches a case due soon behind more paused cases than one page holds, in one round', async () => {
    const { store, repository } = testStore('2026-12-02T02:00:00.000Z');
    // All received Mon 23 Nov 2026 08:00 (+07), due Thu 3 Dec 08:00; the paused ones sort first (same due date).
    for (let i = 0; i < 120; i += 1) {
      const code = `A-WAITING-${String(i).padStart(4, '0')}`;
      await repository.createIfAbsent(
        caseAfter(['ASSIGN', 'START_REVIEW', 'REQUEST_SUPPLEMENT'], { dossierCode: code }),
        [],
      );
    }
    await repository.createIfAbsent(caseAfter(['ASSIGN'], { dossierCode: 'Z-RUNNING-0001' }), []);

    const fired = await new ClockWatch(repository, store, policy, 0).runOnce();

    expect(fired).toBe(1);
    expect((await repository.findByCode('Z-RUNNING-0001'))!.alerts.dueSoonFor).toBeDefined();
    expect((await repository.findByCode('A-WAITING-0000'))!.alerts).toEqual({});
  });

  it('pages on from where the previous round stopped, then starts again at the oldest', async () => {
    const { store, repository } = testStore('2026-12-02T02:00:00.000Z');
    for (let i = 0; i < 1_050; i += 1) {
      const code = `A-WAITING-${String(i).padStart(4, '0')}`;
      await repository.createIfAbsent(
        caseAfter(['ASSIGN', 'START_REVIEW', 'REQUEST_SUPPLEMENT'], { dossierCode: code }),
        [],
      );
    }
    await repository.createIfAbsent(caseAfter(['ASSIGN'], { dossierCode: 'Z-RUNNING-0001' }), []);
    const watch = new ClockWatch(repository, store, policy, 0);

    // One round reads at most 20 pages of 50: the running case, 1,051st, waits for the next round.
    expect(await watch.runOnce()).toBe(0);
    expect(await watch.runOnce()).toBe(1);
    expect((await repository.findByCode('Z-RUNNING-0001'))!.alerts.dueSoonFor).toBeDefined();
    // The candidates ran out, so the round after starts at the oldest again (and finds nothing new to fire).
    expect(await watch.runOnce()).toBe(0);
  });
});
