import { parseBirthDate } from './birth-date';
import { defaultThresholds, judgePerson, type MatchThresholds, Verdict } from './person-match';
import type { RegistryRecord } from './registry-record';

const record: RegistryRecord = {
  personalIdNumber: '056080001234',
  legacyIdNumber: '225118734',
  name: { ho: 'Nguyễn', chuDem: 'Thị', ten: 'Hoà' },
  gender: 'FEMALE',
  dateOfBirth: parseBirthDate('19800315'),
};
const claim = (fullName: string, dateOfBirth: string, gender: 'MALE' | 'FEMALE' = 'FEMALE') => ({
  fullName,
  dateOfBirth: parseBirthDate(dateOfBirth),
  gender,
});

describe('verdict per person', () => {
  it('MATCHED when name (other tone placement), date and gender agree', () => {
    const v = judgePerson(claim('Nguyễn Thị Hòa', '1980-03-15'), record);
    expect(v.verdict).toBe(Verdict.Matched);
    expect(v.mismatchedFields).toEqual([]);
    expect(v.evidence.name?.outcome).toBe('EQUIVALENT');
    expect(v.score).toBe(1);
  });

  it('MATCHED for a name without diacritics, and for an old number resolved through SoCMND', () => {
    expect(judgePerson(claim('NGUYEN THI HOA', '1980-03-15'), record).verdict).toBe(Verdict.Matched);
    const legacy = judgePerson(claim('Nguyễn Thị Hoà', '1980-03-15'), record, { foundBy: 'LEGACY_RESOLVED' });
    expect(legacy.verdict).toBe(Verdict.Matched);
    expect(legacy.evidence.number.outcome).toBe('LEGACY_RESOLVED');
  });

  it('MATCHED with a year-only date when everything else is exact; NEEDS_REVIEW when the name is messy too', () => {
    expect(judgePerson(claim('Nguyễn Thị Hoà', '1980'), record)).toMatchObject({
      verdict: Verdict.Matched,
      mismatchedFields: ['dateOfBirth'],
    });
    expect(judgePerson(claim('Hoa Nguyen Thi', '1980'), record).verdict).toBe(Verdict.NeedsReview);
  });

  it('NEEDS_REVIEW when the gender contradicts the registry although name and date agree', () => {
    const v = judgePerson(claim('Nguyễn Thị Hoà', '1980-03-15', 'MALE'), record);
    expect(v.verdict).toBe(Verdict.NeedsReview);
    expect(v.mismatchedFields).toEqual(['gender']);
  });

  it('MISMATCH when the number belongs to somebody else', () => {
    const v = judgePerson(claim('Trần Văn Bảo', '1992-11-02', 'MALE'), record);
    expect(v.verdict).toBe(Verdict.Mismatch);
    expect(v.mismatchedFields).toEqual(['fullName', 'dateOfBirth', 'gender']);
    expect(v.reasons).toContain('SCORE_BELOW_REVIEW');
  });

  it('NOT_FOUND when the registry has no record for the number', () => {
    expect(judgePerson(claim('Nguyễn Thị Hoà', '1980-03-15'), undefined)).toMatchObject({
      verdict: Verdict.NotFound,
      mismatchedFields: ['personalIdNumber'],
    });
  });

  it('sends a deceased person to review even when everything agrees', () => {
    const v = judgePerson(claim('Nguyễn Thị Hoà', '1980-03-15'), { ...record, deceased: true });
    expect(v.verdict).toBe(Verdict.NeedsReview);
    expect(v.reasons).toContain('DECEASED');
  });

  it('follows configured thresholds', () => {
    const strict: MatchThresholds = { ...defaultThresholds, matched: 0.99 };
    expect(judgePerson(claim('Nguyễn Thị Hoà', '1980'), record, {}, strict).verdict).toBe(Verdict.NeedsReview);
    const lenient: MatchThresholds = { ...defaultThresholds, review: 0 };
    expect(judgePerson(claim('Trần Văn Bảo', '1992-11-02', 'MALE'), record, {}, lenient).verdict).toBe(
      Verdict.NeedsReview,
    );
  });
});
