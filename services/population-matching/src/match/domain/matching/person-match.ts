import { type BirthDate, type BirthDateEvidence, compareBirthDates, defaultBirthDateScores } from './birth-date';
import type { BirthDateScores } from './birth-date';
import { type Gender, type IdStructureEvidence } from './personal-id';
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
  /** Why the verdict is what it is, as stable codes (`SCORE_BELOW_REVIEW`, `DECEASED`, ...). */
  reasons: string[];
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
 * Judges a person against the record the registry returned for their number (`undefined`: none).
 * `foundBy` tells whether the 12-digit number or an old 9-digit one found it.
 */
export function judgePerson(
  claimed: ClaimedPerson,
  record: RegistryRecord | undefined,
  options: { foundBy?: 'EXACT' | 'LEGACY_RESOLVED'; structure?: IdStructureEvidence } = {},
  thresholds: MatchThresholds = defaultThresholds,
): PersonVerdict {
  if (!record) {
    return {
      verdict: Verdict.NotFound,
      score: 0,
      mismatchedFields: ['personalIdNumber'],
      evidence: { number: { field: 'personalIdNumber', outcome: 'NOT_FOUND', structure: options.structure } },
      reasons: ['NO_REGISTRY_RECORD'],
    };
  }
  const name = compareNames(claimed.fullName, fullNameOf(record.name), thresholds.name);
  const dateOfBirth = compareBirthDates(claimed.dateOfBirth, record.dateOfBirth, thresholds.dateOfBirth);
  const gender = compareGenders(claimed.gender, record.gender);
  const { weights, floors } = thresholds;
  const total = weights.name + weights.dateOfBirth + weights.gender;
  const score =
    (weights.name * name.score + weights.dateOfBirth * dateOfBirth.score + weights.gender * gender.score) / total;

  const mismatchedFields: MatchField[] = [];
  if (name.outcome !== NameOutcome.Exact && name.outcome !== NameOutcome.Equivalent) mismatchedFields.push('fullName');
  if (dateOfBirth.outcome !== 'EXACT') mismatchedFields.push('dateOfBirth');
  if (gender.outcome !== 'SAME') mismatchedFields.push('gender');

  const reasons: string[] = [];
  let verdict: Verdict;
  if (score < thresholds.review) {
    verdict = Verdict.Mismatch;
    reasons.push('SCORE_BELOW_REVIEW');
  } else if (score >= thresholds.matched) {
    verdict = Verdict.Matched;
    if (name.score < floors.name) reasons.push('NAME_BELOW_FLOOR');
    if (dateOfBirth.score < floors.dateOfBirth) reasons.push('DATE_OF_BIRTH_BELOW_FLOOR');
    if (gender.score < floors.gender) reasons.push('GENDER_BELOW_FLOOR');
    if (reasons.length > 0) verdict = Verdict.NeedsReview;
  } else {
    verdict = Verdict.NeedsReview;
    reasons.push('SCORE_BETWEEN_THRESHOLDS');
  }
  if (record.deceased) {
    reasons.push('DECEASED');
    if (verdict === Verdict.Matched && thresholds.deceasedNeedsReview) verdict = Verdict.NeedsReview;
  }
  return {
    verdict,
    score: Math.round(score * 1000) / 1000,
    mismatchedFields,
    evidence: {
      number: { field: 'personalIdNumber', outcome: options.foundBy ?? 'EXACT', structure: options.structure },
      name,
      dateOfBirth,
      gender,
      ...(record.deceased ? { deceased: true } : {}),
    },
    reasons,
  };
}
