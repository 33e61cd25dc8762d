import { createEvent } from '@lienthong/messaging';
import { caseReadyFor, testStore } from '../../../../test/case-fixtures';
import { blockingPersons, refusalOf } from '../../domain/case-workflow';
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

describe('RecordMatchHandler with a review resolution (match.resolved)', () => {
  it("keeps the officer's resolution and reason on the person, unblocks approval, and drops it on a new verdict", async () => {
    const { repository, store } = testStore();
    await repository.createIfAbsent(caseReadyFor('APPROVE', code), []);
    const handler = new RecordMatchHandler(store, repository);
    await handler.execute(matchEvent(1), [
      { role: 'APPLICANT', maskedPersonalId: '0560******34', verdict: 'MATCHED', mismatchedFields: [] },
      {
        role: 'TRANSFEREE',
        maskedPersonalId: '0790******90',
        verdict: 'NEEDS_REVIEW',
        mismatchedFields: ['dateOfBirth'],
      },
    ]);
    expect(refusalOf((await repository.findByCode(code))!, 'APPROVE')).toContain('blocked by population matching');

    const resolution = {
      verdict: 'MATCHED' as const,
      by: 'officer-7',
      unitCode: 'KH-DIENKHANH',
      at: '2026-11-24T03:00:00.000Z',
      reason: 'Ngày sinh ghi nhầm trên hồ sơ; đã đối chiếu bản chính căn cước.',
    };
    await handler.execute(
      {
        ...createEvent({
          type: 'match.resolved',
          source: '/population-matching',
          subject: code,
          sequence: 3,
          data: {},
        }),
      },
      [{ role: 'TRANSFEREE', maskedPersonalId: '0790******90', verdict: 'MATCHED', resolution }],
    );
    let kase = (await repository.findByCode(code))!;
    expect(kase.persons[1]).toMatchObject({ verdict: 'MATCHED', mismatchedFields: ['dateOfBirth'], resolution });
    expect(kase.persons[0]!.resolution).toBeUndefined();
    expect(blockingPersons(kase)).toEqual([]);
    expect(refusalOf(kase, 'APPROVE')).toBeUndefined();
    expect(kase.audit.at(-1)).toMatchObject({ kind: 'EVENT', what: 'match.resolved' });
    expect(kase.audit.at(-1)!.reason).toContain(`resolved by officer-7: ${resolution.reason}`);

    // A later round with the same verdict keeps the resolution; a different verdict replaces it.
    await handler.execute(matchEvent(4), [
      { role: 'TRANSFEREE', maskedPersonalId: '0790******90', verdict: 'MATCHED', mismatchedFields: ['dateOfBirth'] },
    ]);
    expect((await repository.findByCode(code))!.persons[1]!.resolution).toEqual(resolution);
    await handler.execute(matchEvent(6), [
      { role: 'TRANSFEREE', maskedPersonalId: '0790******90', verdict: 'MISMATCH', mismatchedFields: ['fullName'] },
    ]);
    kase = (await repository.findByCode(code))!;
    expect(kase.persons[1]).toMatchObject({ verdict: 'MISMATCH', mismatchedFields: ['fullName'] });
    expect(kase.persons[1]!.resolution).toBeUndefined();
  });
});

describe('RecordMatchHandler with reason codes', () => {
  it("keeps each verdict's reasons on the person, through a resolution, and drops them with a verdict that has none", async () => {
    const { repository, store } = testStore();
    await repository.createIfAbsent(caseReadyFor('APPROVE', code), []);
    const handler = new RecordMatchHandler(store, repository);
    const swapped = ['ID_EXACT', 'NAME_EXACT', 'DOB_DAY_MONTH_SWAPPED', 'GENDER_SAME', 'DISCREPANCY_NEEDS_REVIEW'];
    await handler.execute(matchEvent(1), [
      {
        role: 'APPLICANT',
        maskedPersonalId: '0560******34',
        verdict: 'MATCHED',
        mismatchedFields: [],
        reasons: ['ID_EXACT', 'NAME_DIACRITICS_ONLY', 'DOB_EXACT', 'GENDER_SAME'],
      },
      {
        role: 'TRANSFEREE',
        maskedPersonalId: '0790******90',
        verdict: 'NEEDS_REVIEW',
        mismatchedFields: ['dateOfBirth'],
        reasons: swapped,
      },
    ]);
    let kase = (await repository.findByCode(code))!;
    expect(kase.persons.map((p) => p.reasons)).toEqual([
      ['ID_EXACT', 'NAME_DIACRITICS_ONLY', 'DOB_EXACT', 'GENDER_SAME'],
      swapped,
    ]);
    expect(refusalOf(kase, 'APPROVE')).toContain('blocked by population matching');

    // match.resolved from before the field existed: the reasons of the verdict it resolved stay shown.
    const resolution = {
      verdict: 'MATCHED' as const,
      by: 'officer-7',
      unitCode: 'KH-DIENKHANH',
      at: '2026-11-24T03:00:00.000Z',
    };
    await handler.execute(matchEvent(3), [
      { role: 'TRANSFEREE', maskedPersonalId: '0790******90', verdict: 'MATCHED', resolution },
    ]);
    kase = (await repository.findByCode(code))!;
    expect(kase.persons[1]).toMatchObject({ verdict: 'MATCHED', reasons: swapped, resolution });
    expect(refusalOf(kase, 'APPROVE')).toBeUndefined();

    // A new automatic verdict from an event without reasons shows none rather than the old ones.
    await handler.execute(matchEvent(5), [
      { role: 'TRANSFEREE', maskedPersonalId: '0790******90', verdict: 'MISMATCH', mismatchedFields: ['fullName'] },
    ]);
    kase = (await repository.findByCode(code))!;
    expect(kase.persons[1]!.verdict).toBe('MISMATCH');
    expect(kase.persons[1]!.reasons).toBeUndefined();
  });
});
