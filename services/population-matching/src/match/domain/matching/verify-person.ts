import { parseBirthDate } from './birth-date';
import { defaultThresholds, judgePerson, type MatchThresholds, type PersonVerdict } from './person-match';
import { checkIdStructure, type Gender, type IdPrefixTable, isLegacyIdNumber } from './personal-id';
import type { RegistryQuery, RegistryRecord } from './registry-record';

/** A person as a dossier or a land-user record states them. */
export interface StatedPerson {
  fullName: string;
  /** 12-digit number, or an old 9-digit one. */
  personalIdNumber: string;
  /** `YYYY-MM-DD` or `YYYY` (other forms of parseBirthDate too). */
  dateOfBirth?: string;
  gender?: string;
}

function genderOf(value: string | undefined): Gender | undefined {
  return value === 'MALE' || value === 'FEMALE' ? value : undefined;
}

/** The registry query for a stated person: by 12-digit number, or by SoCMND for an old 9-digit one. */
export function queryFor(person: StatedPerson, requestId: string): RegistryQuery {
  const byLegacy = isLegacyIdNumber(person.personalIdNumber);
  return {
    requestId,
    ...(byLegacy ? { legacyIdNumber: person.personalIdNumber } : { personalIdNumber: person.personalIdNumber }),
    fullName: person.fullName,
    ...(person.dateOfBirth ? { dateOfBirth: person.dateOfBirth } : {}),
  };
}

/**
 * Judges a stated person against the registry's answer to their query: the record holding their number (the first,
 * if the registry answers several, which makes the verdict NEEDS_REVIEW at best: `ID_AMBIGUOUS`).
 */
export function verifyPerson(
  person: StatedPerson,
  records: readonly RegistryRecord[],
  prefixes: IdPrefixTable,
  thresholds: MatchThresholds = defaultThresholds,
): PersonVerdict {
  const dateOfBirth = parseBirthDate(person.dateOfBirth);
  const gender = genderOf(person.gender);
  const structure = checkIdStructure(person.personalIdNumber, { birthYear: dateOfBirth?.year, gender }, prefixes);
  const legacy = isLegacyIdNumber(person.personalIdNumber);
  const holders = records.filter((r) =>
    legacy ? r.legacyIdNumber === person.personalIdNumber : r.personalIdNumber === person.personalIdNumber,
  );
  return judgePerson(
    { fullName: person.fullName, dateOfBirth, gender },
    holders[0],
    { foundBy: legacy ? 'LEGACY_RESOLVED' : 'EXACT', structure, ambiguous: holders.length > 1 },
    thresholds,
  );
}
