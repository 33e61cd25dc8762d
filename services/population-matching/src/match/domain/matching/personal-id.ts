/**
 * Structure of personal identification numbers (domain.md §3.1, §3.2): the 12-digit number is a 3-digit
 * birth-registration prefix (a pre-2025 province code, or a country code 101–295), a century/gender digit, the last
 * two digits of the birth year and 6 random digits; there is no check digit. Old ID cards (CMND) carry 9 digits.
 * Pure TypeScript; the prefix table is reference data (contracts/reference-data/legacy-id-prefixes.v1.json).
 */
export type Gender = 'MALE' | 'FEMALE';

export interface IdPrefixTable {
  /** Province prefixes, e.g. `001` Hà Nội, `079` TP.HCM. */
  provinces: ReadonlySet<string>;
  /** Inclusive range of country-of-registration prefixes, e.g. 101–295. */
  countryRange: readonly [number, number];
}

export type PrefixKind = 'PROVINCE' | 'COUNTRY' | 'UNKNOWN';

export interface PersonalIdStructure {
  prefix: string;
  prefixKind: PrefixKind;
  /** Century of birth encoded by the 4th digit (1900, 2000, ...). */
  century: number;
  gender: Gender;
  /** Full birth year: century + the two year digits. */
  birthYear: number;
}

export function isPersonalIdNumber(value: string): boolean {
  return /^\d{12}$/.test(value);
}

/** 9-digit number of an old ID card (CMND), resolved through the registry's SoCMND. */
export function isLegacyIdNumber(value: string): boolean {
  return /^\d{9}$/.test(value);
}

export function prefixKind(prefix: string, table: IdPrefixTable): PrefixKind {
  if (table.provinces.has(prefix)) return 'PROVINCE';
  const n = Number(prefix);
  if (/^\d{3}$/.test(prefix) && n >= table.countryRange[0] && n <= table.countryRange[1]) return 'COUNTRY';
  return 'UNKNOWN';
}

/** Decodes a 12-digit number; undefined when it is not 12 digits. */
export function decodePersonalId(value: string, table: IdPrefixTable): PersonalIdStructure | undefined {
  if (!isPersonalIdNumber(value)) return undefined;
  const prefix = value.slice(0, 3);
  const digit = Number(value[3]);
  const century = 1900 + Math.floor(digit / 2) * 100;
  return {
    prefix,
    prefixKind: prefixKind(prefix, table),
    century,
    gender: digit % 2 === 0 ? 'MALE' : 'FEMALE',
    birthYear: century + Number(value.slice(4, 6)),
  };
}

/** The century/gender digit for a birth year and gender (1980 male → 0, 2003 female → 3). */
export function centuryGenderDigit(birthYear: number, gender: Gender): number {
  const centuryIndex = Math.floor((birthYear - 1900) / 100);
  return centuryIndex * 2 + (gender === 'FEMALE' ? 1 : 0);
}

export const IdStructureOutcome = {
  /** Prefix known; century/gender digit and year digits agree with the stated birth year and gender. */
  Consistent: 'CONSISTENT',
  /** The prefix is neither a province nor a country of birth registration. */
  UnknownPrefix: 'UNKNOWN_PREFIX',
  /** The number encodes another gender than the one stated. */
  GenderConflict: 'GENDER_CONFLICT',
  /** The number encodes another birth year than the one stated. */
  BirthYearConflict: 'BIRTH_YEAR_CONFLICT',
  /** An old 9-digit number: no structure to check. */
  Legacy: 'LEGACY',
  Malformed: 'MALFORMED',
} as const;
export type IdStructureOutcome = (typeof IdStructureOutcome)[keyof typeof IdStructureOutcome];

export interface IdStructureEvidence {
  field: 'personalIdNumber';
  outcomes: IdStructureOutcome[];
}

/** Checks a number against the person's own stated birth year and gender (before any registry lookup). */
export function checkIdStructure(
  value: string,
  stated: { birthYear?: number; gender?: Gender },
  table: IdPrefixTable,
): IdStructureEvidence {
  const evidence = (outcomes: IdStructureOutcome[]): IdStructureEvidence => ({ field: 'personalIdNumber', outcomes });
  if (isLegacyIdNumber(value)) return evidence([IdStructureOutcome.Legacy]);
  const decoded = decodePersonalId(value, table);
  if (!decoded) return evidence([IdStructureOutcome.Malformed]);
  const outcomes: IdStructureOutcome[] = [];
  if (decoded.prefixKind === 'UNKNOWN') outcomes.push(IdStructureOutcome.UnknownPrefix);
  if (stated.gender && stated.gender !== decoded.gender) outcomes.push(IdStructureOutcome.GenderConflict);
  if (stated.birthYear !== undefined && stated.birthYear !== decoded.birthYear) {
    outcomes.push(IdStructureOutcome.BirthYearConflict);
  }
  return evidence(outcomes.length > 0 ? outcomes : [IdStructureOutcome.Consistent]);
}
