/**
 * The checks of a submission that need reference data (administrative units, land-use codes, the structure of
 * personal identification numbers) or relate fields to each other. The edge (DTO validation) has already checked
 * each field's shape. Pure TypeScript: the lookups are a port.
 */
import type { FieldError } from '@lienthong/kernel';
import type { DossierSubmission, Person } from './dossier';

/** What the rules look up in the reference data. */
export abstract class ReferenceLookups {
  /** Province code of a commune in force; undefined for a code that is not a commune. */
  abstract provinceOfCommune(communeCode: string): string | undefined;
  abstract isLandUseCode(code: string): boolean;
  /** Whether the first three digits of a personal identification number are a birth-registration prefix. */
  abstract isIdPrefix(prefix: string): boolean;
  /** The 4th digit of a personal identification number: century of birth and gender (Circular 07/2016/TT-BCA). */
  abstract centuryGenderDigits(): readonly { century: number; male: number; female: number }[];
}

const maxTotalDocumentBytes = 200 * 1024 * 1024;

/** Parties a case cannot do without (the two sides of the transaction). */
const requiredRoles: Record<string, readonly string[]> = {
  TRANSFER: ['TRANSFEROR', 'TRANSFEREE'],
  GIFT: ['DONOR', 'DONEE'],
  INHERITANCE: ['HEIR'],
};

function isCalendarDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Problems of one person: the birth date is a real date, not in the future; the identification number's prefix is a
 * birth-registration code, and its century/gender digit and birth-year digits agree with the stated gender and
 * date of birth. Messages never contain the number.
 */
function personProblems(person: Person, at: string, lookups: ReferenceLookups, today: string): FieldError[] {
  const problems: FieldError[] = [];
  const dob = person.dateOfBirth;
  if (dob.length === 10 && !isCalendarDate(dob)) {
    problems.push({ field: `${at}.dateOfBirth`, code: 'INVALID_DATE', message: 'dateOfBirth is not a calendar date' });
  } else if (dob > today.slice(0, dob.length) || Number(dob.slice(0, 4)) < 1900) {
    problems.push({
      field: `${at}.dateOfBirth`,
      code: 'IMPLAUSIBLE_BIRTH_DATE',
      message: 'dateOfBirth must be between 1900 and today',
    });
  }
  const id = person.personalIdNumber;
  if (!lookups.isIdPrefix(id.slice(0, 3))) {
    problems.push({
      field: `${at}.personalIdNumber`,
      code: 'UNKNOWN_ID_PREFIX',
      message: 'the first three digits are not a birth-registration code',
    });
  }
  const digit = Number(id[3]);
  const row = lookups.centuryGenderDigits().find((r) => r.male === digit || r.female === digit);
  if (row) {
    const gender = row.male === digit ? 'MALE' : 'FEMALE';
    if (gender !== person.gender) {
      problems.push({
        field: `${at}.personalIdNumber`,
        code: 'GENDER_MISMATCH',
        message: 'the century/gender digit does not agree with gender',
      });
    }
    const year = row.century + Number(id.slice(4, 6));
    if (String(year) !== dob.slice(0, 4)) {
      problems.push({
        field: `${at}.personalIdNumber`,
        code: 'BIRTH_YEAR_MISMATCH',
        message: 'the century digit and birth-year digits do not agree with dateOfBirth',
      });
    }
  }
  return problems;
}

/** Every problem of a submission that the reference data or the relations between fields reveal. */
export function submissionProblems(
  submission: DossierSubmission & { documents?: { sha256: string; sizeBytes: number }[] },
  lookups: ReferenceLookups,
  /** Today in Vietnam, `YYYY-MM-DD`. */
  today: string,
  /** `partiesComplete: false` when only the submitter is known (the compatibility payload). */
  options: { partiesComplete: boolean } = { partiesComplete: true },
): FieldError[] {
  const problems: FieldError[] = [];
  const province = lookups.provinceOfCommune(submission.receivingUnitCode);
  if (!province) {
    problems.push({
      field: 'receivingUnitCode',
      code: 'UNKNOWN_COMMUNE',
      message: `${submission.receivingUnitCode} is not a commune code in force`,
    });
  }
  problems.push(...personProblems(submission.applicant, 'applicant', lookups, today));
  submission.parties.forEach((party, i) => problems.push(...personProblems(party, `parties[${i}]`, lookups, today)));

  // One identification number is one person: the same number with another name or birth date is a typing error.
  const people = [submission.applicant, ...submission.parties];
  people.forEach((person, i) => {
    const first = people.findIndex((p) => p.personalIdNumber === person.personalIdNumber);
    const earlier = people[first]!;
    if (first < i && (earlier.fullName !== person.fullName || earlier.dateOfBirth !== person.dateOfBirth)) {
      problems.push({
        field: i === 0 ? 'applicant.personalIdNumber' : `parties[${i - 1}].personalIdNumber`,
        code: 'INCONSISTENT_PERSON',
        message: 'the same identification number is given with another name or date of birth',
      });
    }
  });

  const roles = new Set(submission.parties.map((p) => p.role));
  for (const role of options.partiesComplete ? (requiredRoles[submission.caseCode ?? ''] ?? []) : []) {
    if (!roles.has(role as never)) {
      problems.push({
        field: 'parties',
        code: 'MISSING_PARTY_ROLE',
        message: `case ${submission.caseCode} needs a ${role}`,
      });
    }
  }

  const parcelKeys = new Set<string>();
  submission.parcels.forEach((parcel, i) => {
    const parcelProvince = lookups.provinceOfCommune(parcel.communeCode);
    if (!parcelProvince) {
      problems.push({
        field: `parcels[${i}].communeCode`,
        code: 'UNKNOWN_COMMUNE',
        message: `${parcel.communeCode} is not a commune code in force`,
      });
    } else if (province && parcelProvince !== province) {
      // Since 1 Jul 2025 any receiving unit of the province may receive, but not one of another province.
      problems.push({
        field: `parcels[${i}].communeCode`,
        code: 'OUTSIDE_PROVINCE',
        message: 'the parcel lies in another province than the receiving unit',
      });
    }
    if (!lookups.isLandUseCode(parcel.landUseCode)) {
      problems.push({
        field: `parcels[${i}].landUseCode`,
        code: 'UNKNOWN_LAND_USE_CODE',
        message: `${parcel.landUseCode} is not a land-use code`,
      });
    }
    const key = `${parcel.communeCode}|${parcel.mapSheetNumber}|${parcel.parcelNumber}`;
    if (parcelKeys.has(key)) {
      problems.push({ field: `parcels[${i}]`, code: 'DUPLICATE_PARCEL', message: 'the parcel is listed twice' });
    }
    parcelKeys.add(key);
  });

  const documents = submission.documents ?? [];
  const hashes = new Set<string>();
  documents.forEach((document, i) => {
    if (hashes.has(document.sha256)) {
      problems.push({
        field: `documents[${i}].sha256`,
        code: 'DUPLICATE_DOCUMENT',
        message: 'the same file is listed twice',
      });
    }
    hashes.add(document.sha256);
  });
  if (documents.reduce((sum, d) => sum + d.sizeBytes, 0) > maxTotalDocumentBytes) {
    problems.push({
      field: 'documents',
      code: 'DOCUMENTS_TOO_LARGE',
      message: `the documents together exceed ${maxTotalDocumentBytes} bytes`,
    });
  }
  return problems;
}
