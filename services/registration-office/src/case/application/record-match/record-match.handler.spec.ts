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
    const { repository, store } = testStore();
    await repository.createIfAbsent(caseReadyFor('APPROVE', code), []);
    const handler = new RecordMatchHandler(store, repository);
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

  it('parks verdicts that come before their case and applies them when it opens', async () => {
    const { repository, store } = testStore();
    const handler = new RecordMatchHandler(store, repository);
    await handler.execute(matchEvent(2), [
      { role: 'TRANSFEREE', maskedPersonalId: '0790******90', verdict: 'NEEDS_REVIEW' },
    ]);
    await handler.execute(matchEvent(3), [{ role: 'APPLICANT', maskedPersonalId: '0560******34', verdict: 'MATCHED' }]);
    expect(await repository.parkedVerdicts(code)).toHaveLength(2);
    await repository.createIfAbsent(caseReadyFor('APPROVE', code), []);
    await handler.applyParked(code);
    const kase = (await repository.findByCode(code))!;
    expect(kase.persons.map((p) => p.verdict)).toEqual(['MATCHED', 'NEEDS_REVIEW']);
    expect(kase.matchSequence).toBe(3);
  });
});
