import {
  type BirthDate,
  type BirthDateEvidence,
  BirthDateOutcome,
  compareBirthDates,
  defaultBirthDateScores,
} from './birth-date';
import type { BirthDateScores } from './birth-date';
import { type Gender, type IdStructureEvidence, IdStructureOutcome } from './personal-id';
import { ReasonCode } from './reason-codes';
import type { RegistryRecord } from './registry-record';
import { compareNames, defaultNameScores, fullNameOf, type NameEvidence, NameOutcome } from './vietnamese-name';
import type { NameScores } from './vietnamese-name';

/**
 * The verdict on one person of a dossier against the registry record found for their number (domain.md §3.5):
 * weighted field evidence against configurable thresholds. Never overwrites anything; NEEDS_REVIEW goes to an
 * officer. Pure TypeScript.
 */
export const Verdict = {
  Matched: 'MATCHED',
  Mismatch: 'MISMATCH',
  NotFound: 'NOT_FOUND',
  NeedsReview: 'NEEDS_REVIEW',
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export type MatchField = 'personalIdNumber' | 'fullName' | 'dateOfBirth' | 'gender';

export interface GenderEvidence {
  field: 'gender';
  outcome: 'SAME' | 'DIFFERENT' | 'UNKNOWN';
  score: number;
}

export interface NumberEvidence {
  field: 'personalIdNumber';
  /** How the registry record was found: the 12-digit number, or an old 9-digit number resolved by SoCMND. */
  outcome: 'EXACT' | 'LEGACY_RESOLVED' | 'NOT_FOUND';
  structure?: IdStructureEvidence;
}

export interface PersonEvidence {
  number: NumberEvidence;
  name?: NameEvidence;
  dateOfBirth?: BirthDateEvidence;
  gender?: GenderEvidence;
  deceased?: boolean;
}

export interface PersonVerdict {
  verdict: Verdict;
  /** Weighted score 0..1 (0 when not found). */
  score: number;
  mismatchedFields: MatchField[];
  evidence: PersonEvidence;
  /**
   * Why the verdict is what it is, from the closed list of `reason-codes.ts`: how the record was found, one code per
   * compared field (`NAME_DIACRITICS_ONLY`, `DOB_DAY_MONTH_SWAPPED`, ...), the record's status, what decided.
   */
  reasons: ReasonCode[];
}

export interface MatchThresholds {
  weights: { name: number; dateOfBirth: number; gender: number };
  /** Score from which a person is MATCHED (if no field is below its floor). */
  matched: number;
  /** Score below which a person is a MISMATCH; between the two: NEEDS_REVIEW. */
  review: number;
  /** Each field's lowest score still compatible with MATCHED. */
  floors: { name: number; dateOfBirth: number; gender: number };
  /** A record marked deceased goes to an officer even when everything agrees. */
  deceasedNeedsReview: boolean;
  name: NameScores;
  dateOfBirth: BirthDateScores;
}

export const defaultThresholds: MatchThresholds = {
  weights: { name: 0.5, dateOfBirth: 0.35, gender: 0.15 },
  matched: 0.9,
  review: 0.6,
  floors: { name: 0.85, dateOfBirth: 0.8, gender: 1 },
  deceasedNeedsReview: true,
  name: defaultNameScores,
  dateOfBirth: defaultBirthDateScores,
};

/** What the dossier states about a person. */
export interface ClaimedPerson {
  fullName: string;
  dateOfBirth?: BirthDate;
  gender?: Gender;
}

export function compareGenders(claimed: Gender | undefined, registry: Gender | undefined): GenderEvidence {
  if (!claimed || !registry) return { field: 'gender', outcome: 'UNKNOWN', score: 0.5 };
  return claimed === registry
    ? { field: 'gender', outcome: 'SAME', score: 1 }
    : { field: 'gender', outcome: 'DIFFERENT', score: 0 };
}

/**
 * Name outcomes that are the same name written another way: nothing in one spelling contradicts the other. Every
 * other outcome puts `fullName` in `mismatchedFields`.
 */
const compatibleNames: ReadonlySet<NameOutcome> = new Set([
  NameOutcome.Exact,
  NameOutcome.Equivalent,
  NameOutcome.MissingDiacritics,
  NameOutcome.OrderSwapped,
]);

/** Date outcomes where nothing contradicts (one side knows only the year): the others are discrepancies. */
const compatibleDates: ReadonlySet<BirthDateOutcome> = new Set([BirthDateOutcome.Exact, BirthDateOutcome.YearOnly]);

const nameReason: Record<NameOutcome, ReasonCode> = {
  [NameOutcome.Exact]: ReasonCode.NameExact,
  [NameOutcome.Equivalent]: ReasonCode.NameEquivalent,
  [NameOutcome.MissingDiacritics]: ReasonCode.NameDiacriticsOnly,
  [NameOutcome.OrderSwapped]: ReasonCode.NameOrderSwapped,
  [NameOutcome.DiacriticsDiffer]: ReasonCode.NameDiacriticsDiffer,
  [NameOutcome.Similar]: ReasonCode.NameSimilar,
  [NameOutcome.Different]: ReasonCode.NameDiffers,
};

const dateReason: Record<BirthDateOutcome, ReasonCode> = {
  [BirthDateOutcome.Exact]: ReasonCode.DobExact,
  [BirthDateOutcome.YearOnly]: ReasonCode.DobYearOnly,
  [BirthDateOutcome.DayMonthSwapped]: ReasonCode.DobDayMonthSwapped,
  [BirthDateOutcome.DayDiffers]: ReasonCode.DobDayDiffers,
  [BirthDateOutcome.Different]: ReasonCode.DobDiffers,
  [BirthDateOutcome.Unknown]: ReasonCode.DobUnknown,
};

const genderReason: Record<GenderEvidence['outcome'], ReasonCode> = {
  SAME: ReasonCode.GenderSame,
  DIFFERENT: ReasonCode.GenderDiffers,
  UNKNOWN: ReasonCode.GenderUnknown,
};

/** Reasons from the number's structure; a conflict with the stated gender or year is a discrepancy (never MATCHED). */
function structureReasons(structure: IdStructureEvidence | undefined): { reasons: ReasonCode[]; conflict: boolean } {
  const outcomes = structure?.outcomes ?? [];
  const reasons: ReasonCode[] = [];
  if (outcomes.includes(IdStructureOutcome.UnknownPrefix)) reasons.push(ReasonCode.IdPrefixUnknown);
  if (outcomes.includes(IdStructureOutcome.GenderConflict)) reasons.push(ReasonCode.IdGenderConflict);
  if (outcomes.includes(IdStructureOutcome.BirthYearConflict)) reasons.push(ReasonCode.IdBirthYearConflict);
  const conflict =
    outcomes.includes(IdStructureOutcome.GenderConflict) || outcomes.includes(IdStructureOutcome.BirthYearConflict);
  return { reasons, conflict };
}

/**
 * Judges a person against the record the registry returned for their number (`undefined`: none).
 * `foundBy` tells whether the 12-digit number or an old 9-digit one found it.
 *
 * A field is in `mismatchedFields` when what the dossier states contradicts the record or cannot be confirmed by it;
 * the same value written another way (no diacritics, family name last, year only) is not a discrepancy. A person
 * with any field in `mismatchedFields`, whose number's structure contradicts the stated gender or birth year, or
 * whose number the registry gives to more than one person (`ambiguous`), is
 * never MATCHED automatically, whatever the scores and thresholds: at best NEEDS_REVIEW (`DISCREPANCY_NEEDS_REVIEW`),
 * for an officer to settle (domain.md §3.5: a probable match is confirmed by an officer, never overwritten).
 */
export function judgePerson(
  claimed: ClaimedPerson,
  record: RegistryRecord | undefined,
  options: {
    foundBy?: 'EXACT' | 'LEGACY_RESOLVED';
    structure?: IdStructureEvidence;
    /** The registry answered other records for the same number too. */
    ambiguous?: boolean;
  } = {},
  thresholds: MatchThresholds = defaultThresholds,
): PersonVerdict {
  const structure = structureReasons(options.structure);
  if (!record) {
    return {
      verdict: Verdict.NotFound,
      score: 0,
      mismatchedFields: ['personalIdNumber'],
      evidence: { number: { field: 'personalIdNumber', outcome: 'NOT_FOUND', structure: options.structure } },
      reasons: [ReasonCode.NotInRegistry, ...structure.reasons],
    };
  }
  const foundBy = options.foundBy ?? 'EXACT';
  const name = compareNames(claimed.fullName, fullNameOf(record.name), thresholds.name);
  const dateOfBirth = compareBirthDates(claimed.dateOfBirth, record.dateOfBirth, thresholds.dateOfBirth);
  const gender = compareGenders(claimed.gender, record.gender);
  const { weights, floors } = thresholds;
  const total = weights.name + weights.dateOfBirth + weights.gender;
  const score =
    (weights.name * name.score + weights.dateOfBirth * dateOfBirth.score + weights.gender * gender.score) / total;

  const mismatchedFields: MatchField[] = [];
  if (!compatibleNames.has(name.outcome)) mismatchedFields.push('fullName');
  if (!compatibleDates.has(dateOfBirth.outcome)) mismatchedFields.push('dateOfBirth');
  if (gender.outcome !== 'SAME') mismatchedFields.push('gender');

  const reasons: ReasonCode[] = [
    foundBy === 'LEGACY_RESOLVED' ? ReasonCode.IdLegacyResolved : ReasonCode.IdExact,
    ...(options.ambiguous ? [ReasonCode.IdAmbiguous] : []),
    ...structure.reasons,
    nameReason[name.outcome],
    dateReason[dateOfBirth.outcome],
    genderReason[gender.outcome],
  ];
  if (record.deceased) reasons.push(ReasonCode.Deceased);
  let verdict: Verdict;
  if (score < thresholds.review) {
    verdict = Verdict.Mismatch;
    reasons.push(ReasonCode.ScoreBelowReview);
  } else if (score < thresholds.matched) {
    verdict = Verdict.NeedsReview;
    reasons.push(ReasonCode.ScoreBetweenThresholds);
  } else {
    const below: ReasonCode[] = [];
    if (name.score < floors.name) below.push(ReasonCode.NameBelowFloor);
    if (dateOfBirth.score < floors.dateOfBirth) below.push(ReasonCode.DateOfBirthBelowFloor);
    if (gender.score < floors.gender) below.push(ReasonCode.GenderBelowFloor);
    reasons.push(...below);
    verdict = below.length > 0 ? Verdict.NeedsReview : Verdict.Matched;
    // The rule that no threshold can relax: a discrepancy is an officer's to settle. A number whose structure
    // contradicts the stated gender or year is one too, even where the registry's record agrees with the dossier,
    // and so is a number the registry gives to more than one person.
    if (verdict === Verdict.Matched && (mismatchedFields.length > 0 || structure.conflict || options.ambiguous)) {
      verdict = Verdict.NeedsReview;
      reasons.push(ReasonCode.DiscrepancyNeedsReview);
    }
    if (verdict === Verdict.Matched && record.deceased && thresholds.deceasedNeedsReview) {
      verdict = Verdict.NeedsReview;
      reasons.push(ReasonCode.DeceasedNeedsReview);
    }
  }
  return {
    verdict,
    score: Math.round(score * 1000) / 1000,
    mismatchedFields,
    evidence: {
      number: { field: 'personalIdNumber', outcome: foundBy, structure: options.structure },
      name,
      dateOfBirth,
      gender,
      ...(record.deceased ? { deceased: true } : {}),
    },
    reasons,
  };
}
