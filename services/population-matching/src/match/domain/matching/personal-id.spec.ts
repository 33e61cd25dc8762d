import {
  centuryGenderDigit,
  checkIdStructure,
  decodePersonalId,
  type IdPrefixTable,
  IdStructureOutcome,
  isLegacyIdNumber,
  isPersonalIdNumber,
} from './personal-id';

// The province prefixes the cases use, as in contracts/reference-data/legacy-id-prefixes.v1.json.
const table: IdPrefixTable = { provinces: new Set(['001', '056', '079', '038']), countryRange: [101, 295] };

describe('personal identification number structure', () => {
  it('decodes prefix, century/gender digit and birth year', () => {
    expect(decodePersonalId('056080001234', table)).toEqual({
      prefix: '056',
      prefixKind: 'PROVINCE',
      century: 1900,
      gender: 'MALE',
      birthYear: 1980,
    });
    expect(decodePersonalId('079305004321', table)).toMatchObject({ gender: 'FEMALE', birthYear: 2005 });
    expect(decodePersonalId('124099123456', table)).toMatchObject({ prefixKind: 'COUNTRY' });
    expect(decodePersonalId('999099123456', table)).toMatchObject({ prefixKind: 'UNKNOWN' });
    expect(decodePersonalId('05608000123', table)).toBeUndefined();
  });

  it('computes the century/gender digit from birth year and gender', () => {
    expect(centuryGenderDigit(1980, 'MALE')).toBe(0);
    expect(centuryGenderDigit(1999, 'FEMALE')).toBe(1);
    expect(centuryGenderDigit(2003, 'MALE')).toBe(2);
    expect(centuryGenderDigit(2010, 'FEMALE')).toBe(3);
  });

  it('finds a gender that contradicts the century/gender digit', () => {
    expect(checkIdStructure('056080001234', { birthYear: 1980, gender: 'FEMALE' }, table).outcomes).toEqual([
      IdStructureOutcome.GenderConflict,
    ]);
    expect(checkIdStructure('056080001234', { birthYear: 1980, gender: 'MALE' }, table).outcomes).toEqual([
      IdStructureOutcome.Consistent,
    ]);
  });

  it('finds a birth year that contradicts the year digits or the century', () => {
    expect(checkIdStructure('056080001234', { birthYear: 1981, gender: 'MALE' }, table).outcomes).toEqual([
      IdStructureOutcome.BirthYearConflict,
    ]);
    // Born 2080? No: digit 0 means the 1900s, so a 2080 birth year conflicts.
    expect(checkIdStructure('056080001234', { birthYear: 2080, gender: 'MALE' }, table).outcomes).toContain(
      IdStructureOutcome.BirthYearConflict,
    );
  });

  it('refuses an unknown birth-registration prefix and tells legacy 9-digit numbers apart', () => {
    expect(checkIdStructure('099080001234', { birthYear: 1980, gender: 'MALE' }, table).outcomes).toEqual([
      IdStructureOutcome.UnknownPrefix,
    ]);
    expect(isLegacyIdNumber('225123456')).toBe(true);
    expect(isPersonalIdNumber('225123456')).toBe(false);
    expect(checkIdStructure('225123456', {}, table).outcomes).toEqual([IdStructureOutcome.Legacy]);
    expect(checkIdStructure('05608000A234', {}, table).outcomes).toEqual([IdStructureOutcome.Malformed]);
  });
});
