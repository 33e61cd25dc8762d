/**
 * The closed list of reason codes a person's verdict carries (every verdict, MATCHED included), in the order they are
 * listed on a verdict: how the record was found, one code per compared field, the record's status, then what decided
 * the verdict. The same list is the `reasons` enum of the match event schemas (contracts/events/schemas/match-*.v1.json)
 * and is documented in the service README. Pure TypeScript.
 */
export const ReasonCode = {
  // How the registry record was found (personalIdNumber).
  /** Found by the 12-digit personal identification number. */
  IdExact: 'ID_EXACT',
  /** Found by an old 9-digit ID card number (SoCMND). */
  IdLegacyResolved: 'ID_LEGACY_RESOLVED',
  /** The registry has no record for the number. */
  NotInRegistry: 'NOT_IN_REGISTRY',
  /** The registry answered more than one record for the number (old 9-digit numbers were reissued): a discrepancy. */
  IdAmbiguous: 'ID_AMBIGUOUS',
  /** The 12-digit number's prefix is neither a province nor a country of birth registration (information only). */
  IdPrefixUnknown: 'ID_PREFIX_UNKNOWN',
  /** The number's century/gender digit encodes another gender than the dossier states (a discrepancy). */
  IdGenderConflict: 'ID_GENDER_CONFLICT',
  /** The number's year digits encode another birth year than the dossier states (a discrepancy). */
  IdBirthYearConflict: 'ID_BIRTH_YEAR_CONFLICT',

  // Name (fullName).
  /** Character for character the registry's name. */
  NameExact: 'NAME_EXACT',
  /** The same once case, spacing, Unicode form and tone-mark placement are set aside. */
  NameEquivalent: 'NAME_EQUIVALENT',
  /** One side written without diacritics; the letters agree (not a discrepancy: no mark contradicts another). */
  NameDiacriticsOnly: 'NAME_DIACRITICS_ONLY',
  /** The same words with the family name moved to the end or the given name to the front (not a discrepancy). */
  NameOrderSwapped: 'NAME_ORDER_SWAPPED',
  /** Both sides marked, the letters agree, the marks differ ("Hùng" / "Hưng"): a discrepancy. */
  NameDiacriticsDiffer: 'NAME_DIACRITICS_DIFFER',
  /** Close but not the same (a typo, a dropped or reordered word): a discrepancy. */
  NameSimilar: 'NAME_SIMILAR',
  /** Another name: a discrepancy. */
  NameDiffers: 'NAME_DIFFERS',

  // Date of birth (dateOfBirth).
  /** The same date (or the same year where both know only the year). */
  DobExact: 'DOB_EXACT',
  /** One side knows only the year, and the years agree (not a discrepancy: nothing contradicts). */
  DobYearOnly: 'DOB_YEAR_ONLY',
  /** Day and month exchanged (1985-03-07 / 1985-07-03): a discrepancy, never MATCHED automatically. */
  DobDayMonthSwapped: 'DOB_DAY_MONTH_SWAPPED',
  /** Same year and month, another day: a discrepancy. */
  DobDayDiffers: 'DOB_DAY_DIFFERS',
  /** Another year, or another month not explained by a swap: a discrepancy. */
  DobDiffers: 'DOB_DIFFERS',
  /** A side has no usable date: nothing to confirm. */
  DobUnknown: 'DOB_UNKNOWN',

  // Gender.
  GenderSame: 'GENDER_SAME',
  /** A discrepancy. */
  GenderDiffers: 'GENDER_DIFFERS',
  /** A side states no gender: nothing to confirm. */
  GenderUnknown: 'GENDER_UNKNOWN',

  // The record's status.
  /** The registry records the person as deceased. */
  Deceased: 'DECEASED',

  // What decided the verdict.
  /** Weighted score below REVIEW_THRESHOLD: MISMATCH. */
  ScoreBelowReview: 'SCORE_BELOW_REVIEW',
  /** Weighted score between REVIEW_THRESHOLD and MATCH_THRESHOLD: NEEDS_REVIEW. */
  ScoreBetweenThresholds: 'SCORE_BETWEEN_THRESHOLDS',
  /** A field scored below its floor although the total reached MATCH_THRESHOLD: NEEDS_REVIEW. */
  NameBelowFloor: 'NAME_BELOW_FLOOR',
  DateOfBirthBelowFloor: 'DATE_OF_BIRTH_BELOW_FLOOR',
  GenderBelowFloor: 'GENDER_BELOW_FLOOR',
  /** Score and floors allowed MATCHED, but a field is in `mismatchedFields`: NEEDS_REVIEW, whatever the thresholds. */
  DiscrepancyNeedsReview: 'DISCREPANCY_NEEDS_REVIEW',
  /** A deceased record that would otherwise be MATCHED goes to an officer (DECEASED_NEEDS_REVIEW). */
  DeceasedNeedsReview: 'DECEASED_NEEDS_REVIEW',
} as const;
export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

/** Every reason code, in list order (the schemas' enum). */
export const reasonCodes: readonly ReasonCode[] = Object.values(ReasonCode);

const known = new Set<string>(reasonCodes);

/** Whether a stored code is one of the list (verdicts stored before the list existed may carry others). */
export function isReasonCode(code: string): code is ReasonCode {
  return known.has(code);
}
