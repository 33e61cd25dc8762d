import { FixedClock } from '@lienthong/kernel';
import { createEvent } from '@lienthong/messaging';
import { caseReadyFor, testStore } from '../../../../test/case-fixtures';
import { RecordMatchHandler } from './record-match.handler';

const code = '000.00.56.H42-261123-0001';
const matchEvent = (sequence: number, time = '2026-11-24T01:59:00.000Z') => ({
  ...createEvent({ type: 'match.completed', source: '/population-matching', subject: code, sequence, data: {} }),
  time,
});

describe('RecordMatchHandler', () => {
  it('puts the verdicts on the persons by role and masked id, once per sequence', async () => {
    const { repository, store, clock } = testStore();
    await repository.createIfAbsent(caseReadyFor('APPROVE', code), []);
    const handler = new RecordMatchHandler(store, clock);
    await handler.execute(matchEvent(2), [
      { role: 'APPLICANT', maskedPersonalId: '0560******34', verdict: 'MATCHED', mismatchedFields: [] },
      { role: 'TRANSFEREE', maskedPersonalId: '0790******90', verdict: 'MISMATCH', mismatchedFields: ['fullName'] },
      { role: 'TRANSFEREE', maskedPersonalId: '0000******00', verdict: 'NOT_FOUND' },
    ]);
    let kase = (await repository.findByCode(code))!;
    expect(kase.persons.map((p) => p.verdict)).toEqual(['MATCHED', 'MISMATCH']);
    expect(kase.persons[1]!.mismatchedFields).toEqual(['fullName']);
    expect(kase.audit.at(-1)).toMatchObject({ kind: 'EVENT', what: 'match.completed' });
    // A redelivery (same sequence) changes nothing; a resolution (higher sequence) replaces the verdict.
    await handler.execute(matchEvent(2), [
      { role: 'TRANSFEREE', maskedPersonalId: '0790******90', verdict: 'MATCHED' },
    ]);
    expect((await repository.findByCode(code))!.persons[1]!.verdict).toBe('MISMATCH');
    await handler.execute(matchEvent(4), [
      { role: 'TRANSFEREE', maskedPersonalId: '0790******90', verdict: 'MATCHED' },
    ]);
    kase = (await repository.findByCode(code))!;
    expect(kase.persons[1]!.verdict).toBe('MATCHED');
    expect(kase.matchSequence).toBe(4);
  });

  it('retries a fresh verdict for a case not received yet, and ignores an old one', async () => {
    const { store } = testStore();
    const handler = new RecordMatchHandler(store, new FixedClock(new Date('2026-11-24T02:00:00.000Z')));
    await expect(handler.execute(matchEvent(2), [])).rejects.toThrow(/not received yet/);
    await expect(handler.execute(matchEvent(2, '2026-11-20T02:00:00.000Z'), [])).resolves.toBeUndefined();
  });
});
