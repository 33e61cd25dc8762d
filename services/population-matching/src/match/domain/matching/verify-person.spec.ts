import { parseBirthDate } from './birth-date';
import type { RegistryRecord } from './registry-record';
import { verifyPerson } from './verify-person';

const prefixes = { provinces: new Set(['056']), countryRange: [101, 295] as const };
const hoa: RegistryRecord = {
  personalIdNumber: '056180001234',
  legacyIdNumber: '225118734',
  name: { ho: 'Nguyễn', chuDem: 'Thị', ten: 'Hoà' },
  gender: 'FEMALE',
  dateOfBirth: parseBirthDate('19800307'),
};
const stated = {
  fullName: 'Nguyễn Thị Hoà',
  personalIdNumber: '056180001234',
  dateOfBirth: '1980-03-07',
  gender: 'FEMALE',
};

describe('verifying a stated person against the registry answer', () => {
  it('MATCHED with its reasons when the record holding the number agrees', () => {
    expect(verifyPerson(stated, [hoa], prefixes)).toMatchObject({
      verdict: 'MATCHED',
      reasons: ['ID_EXACT', 'NAME_EXACT', 'DOB_EXACT', 'GENDER_SAME'],
    });
  });

  it('NEEDS_REVIEW for the date with day and month swapped, in either written form', () => {
    for (const dateOfBirth of ['1980-07-03', '03/07/1980']) {
      const v = verifyPerson({ ...stated, dateOfBirth }, [hoa], prefixes);
      expect(v.verdict).toBe('NEEDS_REVIEW');
      expect(v.reasons).toContain('DOB_DAY_MONTH_SWAPPED');
    }
  });

  it('NEEDS_REVIEW when an old 9-digit number is held by two registry persons (ID_AMBIGUOUS)', () => {
    const other: RegistryRecord = { ...hoa, personalIdNumber: '001180009999', name: { ho: 'Lê', ten: 'Hoa' } };
    const legacy = { ...stated, personalIdNumber: '225118734' };
    expect(verifyPerson(legacy, [hoa], prefixes)).toMatchObject({ verdict: 'MATCHED' });
    const v = verifyPerson(legacy, [hoa, other], prefixes);
    expect(v.verdict).toBe('NEEDS_REVIEW');
    expect(v.reasons).toEqual(expect.arrayContaining(['ID_LEGACY_RESOLVED', 'ID_AMBIGUOUS']));
  });

  it("NEEDS_REVIEW when the number's structure contradicts the stated gender though the record agrees", () => {
    // 056080001234: century/gender digit 0 → male; the dossier and the record say female.
    const v = verifyPerson(
      { ...stated, personalIdNumber: '056080001234' },
      [{ ...hoa, personalIdNumber: '056080001234' }],
      prefixes,
    );
    expect(v.verdict).toBe('NEEDS_REVIEW');
    expect(v.reasons).toEqual(expect.arrayContaining(['ID_GENDER_CONFLICT', 'DISCREPANCY_NEEDS_REVIEW']));
  });

  it('NOT_FOUND when no record holds the number', () => {
    expect(verifyPerson(stated, [], prefixes)).toMatchObject({ verdict: 'NOT_FOUND', reasons: ['NOT_IN_REGISTRY'] });
  });
});
