import { ValidationError } from '@lienthong/kernel';
import { referenceData } from '../../../../test/case-builder';
import { caseAfter, testStore } from '../../../../test/case-fixtures';
import { WorklistHandler } from './worklist.handler';

// Now: Tuesday 1 Dec 2026 09:00 in Vietnam. Cases of TRANSFER (8 working days) received on different days.
const now = '2026-12-01T02:00:00.000Z';

async function setUp() {
  const { repository, store } = testStore(now);
  const received = {
    A: '2026-11-19T01:00:00.000Z', // due Mon 1 Dec 08:00 → late
    B: '2026-11-23T01:00:00.000Z', // due Thu 3 Dec 08:00
    C: '2026-11-24T01:00:00.000Z', // due Fri 4 Dec 08:00
    D: '2026-11-25T01:00:00.000Z', // due Mon 7 Dec 08:00
  };
  for (const [name, receivedAt] of Object.entries(received)) {
    const kase = caseAfter(name === 'C' ? ['ASSIGN'] : [], {
      dossierCode: `000.00.56.H42-261123-000${name}`,
      receivedAt,
    });
    await repository.createIfAbsent(kase, []);
  }
  await repository.createIfAbsent(
    caseAfter([], { dossierCode: '000.00.56.H42-261123-000X', branchCode: 'QNG-DUCPHO', communeCode: '21439' }),
    [],
  );
  return new WorklistHandler(repository, referenceData, store);
}

const codes = (page: { items: { dossierCode: string }[] }) => page.items.map((i) => i.dossierCode.slice(-1));

describe('worklist', () => {
  it("lists the branch's open cases soonest due first, with the clock derived now", async () => {
    const handler = await setUp();
    const page = await handler.execute('KH-DIENKHANH', {});
    expect(codes(page)).toEqual(['A', 'B', 'C', 'D']);
    expect(page.items[0]).toMatchObject({ late: true, dueAt: '2026-12-01T08:00:00+07:00' });
    expect(page.items[1]).toMatchObject({ late: false, remainingWorkingMinutes: 900 }); // Tue 09:00–17:00 (360) + Wed (480) + Thu 07:00–08:00 (60)
    expect(page.nextCursor).toBeUndefined();
  });

  it('pages with a cursor', async () => {
    const handler = await setUp();
    const first = await handler.execute('KH-DIENKHANH', { limit: '3' });
    expect(codes(first)).toEqual(['A', 'B', 'C']);
    const second = await handler.execute('KH-DIENKHANH', { limit: '3', cursor: first.nextCursor });
    expect(codes(second)).toEqual(['D']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('filters by state, overdue and due within N working days', async () => {
    const handler = await setUp();
    expect(codes(await handler.execute('KH-DIENKHANH', { state: 'ASSIGNED' }))).toEqual(['C']);
    expect(codes(await handler.execute('KH-DIENKHANH', { overdue: 'true' }))).toEqual(['A']);
    expect(codes(await handler.execute('KH-DIENKHANH', { overdue: 'false' }))).toEqual(['B', 'C', 'D']);
    // Within 3 working days of now (Tue 09:00): up to Fri 4 Dec 09:00.
    expect(codes(await handler.execute('KH-DIENKHANH', { dueWithinWorkingDays: '3' }))).toEqual(['A', 'B', 'C']);
    expect(codes(await handler.execute('QNG-DUCPHO', {}))).toEqual(['X']);
  });

  it.each([
    { limit: '0' },
    { limit: '101' },
    { state: 'SLEEPING' },
    { procedureCode: 'x' },
    { communeCode: '123' },
    { overdue: 'yes' },
    { dueWithinWorkingDays: '-1' },
    { cursor: 'not-a-cursor' },
  ])('refuses %o with a 400', async (filters) => {
    const handler = await setUp();
    await expect(handler.execute('KH-DIENKHANH', filters)).rejects.toBeInstanceOf(ValidationError);
  });
});
