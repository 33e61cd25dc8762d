import { parseBirthDate } from './birth-date';
import { defaultThresholds, judgePerson, type MatchThresholds, Verdict } from './person-match';
import { checkIdStructure } from './personal-id';
import { isReasonCode, ReasonCode } from './reason-codes';
import type { RegistryRecord } from './registry-record';

const record: RegistryRecord = {
  personalIdNumber: '056180001234',
  legacyIdNumber: '225118734',
  name: { ho: 'Nguyễn', chuDem: 'Thị', ten: 'Hoà' },
  gender: 'FEMALE',
  dateOfBirth: parseBirthDate('19800315'),
};
const claim = (fullName: string, dateOfBirth: string, gender: 'MALE' | 'FEMALE' | 'NONE' = 'FEMALE') => ({
  fullName,
  dateOfBirth: parseBirthDate(dateOfBirth),
  gender: gender === 'NONE' ? undefined : gender,
});
const prefixes = { provinces: new Set(['056']), countryRange: [101, 295] as const };

/** Thresholds that would let anything through: the discrepancy rule must hold even under them. */
const lenient: MatchThresholds = {
  ...defaultThresholds,
  matched: 0,
  review: 0,
  floors: { name: 0, dateOfBirth: 0, gender: 0 },
  deceasedNeedsReview: false,
};

describe('verdict per person', () => {
  it('MATCHED when name (other tone placement), date and gender agree, with the reasons saying so', () => {
    const v = judgePerson(claim('Nguyễn Thị Hòa', '1980-03-15'), record);
    expect(v.verdict).toBe(Verdict.Matched);
    expect(v.mismatchedFields).toEqual([]);
    expect(v.evidence.name?.outcome).toBe('EQUIVALENT');
    expect(v.score).toBe(1);
    expect(v.reasons).toEqual(['ID_EXACT', 'NAME_EQUIVALENT', 'DOB_EXACT', 'GENDER_SAME']);
    expect(judgePerson(claim('Nguyễn Thị Hoà', '1980-03-15'), record).reasons).toContain('NAME_EXACT');
  });

  it('MATCHED for a name without diacritics (NAME_DIACRITICS_ONLY, no mismatched field), and for an old number', () => {
    expect(judgePerson(claim('NGUYEN THI HOA', '1980-03-15'), record)).toMatchObject({
      verdict: Verdict.Matched,
      mismatchedFields: [],
      reasons: ['ID_EXACT', 'NAME_DIACRITICS_ONLY', 'DOB_EXACT', 'GENDER_SAME'],
    });
    const legacy = judgePerson(claim('Nguyễn Thị Hoà', '1980-03-15'), record, { foundBy: 'LEGACY_RESOLVED' });
    expect(legacy.verdict).toBe(Verdict.Matched);
    expect(legacy.evidence.number.outcome).toBe('LEGACY_RESOLVED');
    expect(legacy.reasons[0]).toBe('ID_LEGACY_RESOLVED');
  });

  it('MATCHED with the name in Western order (NAME_ORDER_SWAPPED); another reordering is a discrepancy', () => {
    expect(judgePerson(claim('Thị Hoà Nguyễn', '1980-03-15'), record)).toMatchObject({
      verdict: Verdict.Matched,
      mismatchedFields: [],
    });
    expect(judgePerson(claim('Hoa Thi Nguyen', '1980-03-15'), record)).toMatchObject({
      verdict: Verdict.Matched,
      reasons: ['ID_EXACT', 'NAME_ORDER_SWAPPED', 'DOB_EXACT', 'GENDER_SAME'],
    });
    const reordered = judgePerson(claim('Nguyễn Hoà Thị', '1980-03-15'), record);
    expect(reordered.verdict).not.toBe(Verdict.Matched);
    expect(reordered.mismatchedFields).toEqual(['fullName']);
  });

  it('MATCHED with a year-only date when everything else is exact (DOB_YEAR_ONLY); NEEDS_REVIEW when the name is messy too', () => {
    expect(judgePerson(claim('Nguyễn Thị Hoà', '1980'), record)).toMatchObject({
      verdict: Verdict.Matched,
      mismatchedFields: [],
      reasons: ['ID_EXACT', 'NAME_EXACT', 'DOB_YEAR_ONLY', 'GENDER_SAME'],
    });
    expect(judgePerson(claim('Hoa Nguyen Thi', '1980'), record)).toMatchObject({
      verdict: Verdict.NeedsReview,
      reasons: expect.arrayContaining(['SCORE_BETWEEN_THRESHOLDS']) as unknown,
    });
  });

  it('NEEDS_REVIEW, never MATCHED, for a date of birth with day and month swapped (registry 1985-03-07, dossier 1985-07-03)', () => {
    const registry: RegistryRecord = { ...record, dateOfBirth: parseBirthDate('19850307') };
    const v = judgePerson(claim('Nguyễn Thị Hoà', '1985-07-03'), registry);
    // The score alone (0.93) would reach MATCH_THRESHOLD: the discrepancy rule decides.
    expect(v.score).toBeGreaterThanOrEqual(defaultThresholds.matched);
    expect(v).toMatchObject({ verdict: Verdict.NeedsReview, mismatchedFields: ['dateOfBirth'] });
    expect(v.reasons).toEqual([
      'ID_EXACT',
      'NAME_EXACT',
      'DOB_DAY_MONTH_SWAPPED',
      'GENDER_SAME',
      'DISCREPANCY_NEEDS_REVIEW',
    ]);
    expect(judgePerson(claim('Nguyễn Thị Hoà', '03/07/1985'), registry).verdict).toBe(Verdict.NeedsReview);
    expect(judgePerson(claim('Nguyễn Thị Hoà', '1985-07-03'), registry, {}, lenient).verdict).toBe(Verdict.NeedsReview);
  });

  it('never MATCHED with any field in mismatchedFields, whatever the thresholds (every combination of field outcomes)', () => {
    const names = [
      'Nguyễn Thị Hoà',
      'NGUYEN THI HOA',
      'Thị Hoà Nguyễn',
      'Nguyễn Thị Hưa',
      'Nguyễn Thị Hoàn',
      'Lê Văn Tám',
    ];
    const dates = ['1980-03-15', '1980', '1980-03-07', '1980-07-03', '15/03/1980', '1980-03-16', '1981-03-15', 'x'];
    const genders = ['FEMALE', 'MALE', 'NONE'] as const;
    const registries: RegistryRecord[] = [
      record,
      { ...record, dateOfBirth: parseBirthDate('19800307') },
      { ...record, dateOfBirth: { year: 1980 } },
    ];
    let matched = 0;
    let judged = 0;
    for (const thresholds of [defaultThresholds, lenient]) {
      for (const registry of registries) {
        for (const name of names) {
          for (const date of dates) {
            for (const gender of genders) {
              const v = judgePerson(claim(name, date, gender), registry, {}, thresholds);
              judged += 1;
              if (v.verdict !== Verdict.Matched) continue;
              matched += 1;
              expect({ name, date, gender, mismatchedFields: v.mismatchedFields }).toEqual({
                name,
                date,
                gender,
                mismatchedFields: [],
              });
            }
          }
        }
      }
    }
    // The grid holds both kinds: the rule is exercised, not vacuous.
    expect(matched).toBeGreaterThan(0);
    expect(matched).toBeLessThan(judged);
  });

  it('NEEDS_REVIEW when the gender contradicts the registry (GENDER_DIFFERS) or is not stated (GENDER_UNKNOWN)', () => {
    const v = judgePerson(claim('Nguyễn Thị Hoà', '1980-03-15', 'MALE'), record);
    expect(v.verdict).toBe(Verdict.NeedsReview);
    expect(v.mismatchedFields).toEqual(['gender']);
    expect(v.reasons).toContain('GENDER_DIFFERS');
    const unknown = judgePerson(claim('Nguyễn Thị Hoà', '1980-03-15', 'NONE'), record, {}, lenient);
    expect(unknown).toMatchObject({ verdict: Verdict.NeedsReview, mismatchedFields: ['gender'] });
    expect(unknown.reasons).toContain('GENDER_UNKNOWN');
  });

  it("NEEDS_REVIEW when the number's structure contradicts the stated gender, even where the registry agrees", () => {
    // 056180001234: century/gender digit 1 → female, born 1980. The dossier and the record say male.
    const male: RegistryRecord = { ...record, gender: 'MALE', name: { ho: 'Nguyễn', chuDem: 'Văn', ten: 'Hoà' } };
    const structure = checkIdStructure(record.personalIdNumber, { birthYear: 1980, gender: 'MALE' }, prefixes);
    const v = judgePerson(claim('Nguyễn Văn Hoà', '1980-03-15', 'MALE'), male, { structure }, lenient);
    expect(v.verdict).toBe(Verdict.NeedsReview);
    expect(v.reasons).toEqual(expect.arrayContaining(['ID_GENDER_CONFLICT', 'DISCREPANCY_NEEDS_REVIEW']));
    const consistent = checkIdStructure(record.personalIdNumber, { birthYear: 1980, gender: 'FEMALE' }, prefixes);
    expect(judgePerson(claim('Nguyễn Thị Hoà', '1980-03-15'), record, { structure: consistent }).verdict).toBe(
      Verdict.Matched,
    );
  });

  it('NEEDS_REVIEW when the registry gives the number to more than one person (ID_AMBIGUOUS)', () => {
    const v = judgePerson(claim('Nguyễn Thị Hoà', '1980-03-15'), record, { ambiguous: true }, lenient);
    expect(v).toMatchObject({ verdict: Verdict.NeedsReview, mismatchedFields: [] });
    expect(v.reasons).toEqual([
      'ID_EXACT',
      'ID_AMBIGUOUS',
      'NAME_EXACT',
      'DOB_EXACT',
      'GENDER_SAME',
      'DISCREPANCY_NEEDS_REVIEW',
    ]);
  });

  it('MISMATCH when the number belongs to somebody else', () => {
    const v = judgePerson(claim('Trần Văn Bảo', '1992-11-02', 'MALE'), record);
    expect(v.verdict).toBe(Verdict.Mismatch);
    expect(v.mismatchedFields).toEqual(['fullName', 'dateOfBirth', 'gender']);
    expect(v.reasons).toEqual(['ID_EXACT', 'NAME_DIFFERS', 'DOB_DIFFERS', 'GENDER_DIFFERS', 'SCORE_BELOW_REVIEW']);
  });

  it('NOT_FOUND when the registry has no record for the number (NOT_IN_REGISTRY)', () => {
    expect(judgePerson(claim('Nguyễn Thị Hoà', '1980-03-15'), undefined)).toMatchObject({
      verdict: Verdict.NotFound,
      mismatchedFields: ['personalIdNumber'],
      reasons: ['NOT_IN_REGISTRY'],
    });
  });

  it('sends a deceased person to review even when everything agrees (DECEASED, DECEASED_NEEDS_REVIEW)', () => {
    const v = judgePerson(claim('Nguyễn Thị Hoà', '1980-03-15'), { ...record, deceased: true });
    expect(v.verdict).toBe(Verdict.NeedsReview);
    expect(v.reasons).toEqual(expect.arrayContaining(['DECEASED', 'DECEASED_NEEDS_REVIEW']));
    const configured = judgePerson(claim('Nguyễn Thị Hoà', '1980-03-15'), { ...record, deceased: true }, {}, lenient);
    expect(configured.verdict).toBe(Verdict.Matched);
    expect(configured.reasons).toContain('DECEASED');
  });

  it('gives every verdict its reasons from the closed list, one per compared field', () => {
    const verdicts = [
      judgePerson(claim('Nguyễn Thị Hoà', '1980-03-15'), record),
      judgePerson(claim('Nguyen Thi Hoa', '1980'), record),
      judgePerson(claim('Nguyễn Thị Hoà', '1980-15-03'), record),
      judgePerson(claim('Lê Văn Tám', '1990-01-01', 'MALE'), record),
      judgePerson(claim('Nguyễn Thị Hoà', '1980-03-15'), undefined),
    ];
    for (const v of verdicts) {
      expect(v.reasons.length).toBeGreaterThan(0);
      expect(v.reasons.filter((r) => !isReasonCode(r))).toEqual([]);
    }
    expect(Object.values(ReasonCode)).toContain('DOB_DAY_MONTH_SWAPPED');
  });

  it('follows configured thresholds', () => {
    const strict: MatchThresholds = { ...defaultThresholds, matched: 0.99 };
    expect(judgePerson(claim('Nguyễn Thị Hoà', '1980'), record, {}, strict).verdict).toBe(Verdict.NeedsReview);
    const noMismatch: MatchThresholds = { ...defaultThresholds, review: 0 };
    expect(judgePerson(claim('Trần Văn Bảo', '1992-11-02', 'MALE'), record, {}, noMismatch).verdict).toBe(
      Verdict.NeedsReview,
    );
  });
});
