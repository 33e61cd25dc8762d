import { maskPersonalId } from '@lienthong/kernel';
import type { MatchField, PersonEvidence, Verdict } from './matching/person-match';
import { isReasonCode, type ReasonCode } from './matching/reason-codes';

/**
 * A dossier's request to verify its persons against the National Population Database. Created when the dossier is
 * submitted, checked again when it is supplemented; each check is a "round" named by the intake event's sequence.
 * While the registry cannot be reached the request is IDENTITY_PENDING and resumes by itself. Pure TypeScript.
 */
export const VerificationState = {
  /** Persons recorded, waiting for registry lookups. */
  AwaitingRegistry: 'AWAITING_REGISTRY',
  /** The registry is unreachable (degraded mode); the lookup is retried until it answers. */
  IdentityPending: 'IDENTITY_PENDING',
  /** Every person has a verdict (NEEDS_REVIEW ones wait for an officer). */
  Completed: 'COMPLETED',
} as const;
export type VerificationState = (typeof VerificationState)[keyof typeof VerificationState];

/** An officer's decision on a NEEDS_REVIEW person. */
export interface Resolution {
  verdict: 'MATCHED' | 'MISMATCH';
  reason: string;
  userId: string;
  unitCode: string;
  at: string;
}

export interface PersonResult {
  verdict: Verdict;
  score: number;
  mismatchedFields: MatchField[];
  evidence: PersonEvidence;
  reasons: string[];
  checkedAt: string;
  resolution?: Resolution;
}

export interface PersonToVerify {
  role: string;
  fullName: string;
  personalIdNumber: string;
  dateOfBirth: string;
  gender: string;
  result?: PersonResult;
}

export interface VerificationRequest {
  dossierCode: string;
  /** Commune where the dossier was filed (receivingUnitCode). */
  communeCode?: string;
  /**
   * Communes of the dossier's parcels: decide which LRO branch's officers see it (`inReviewScope`, ADR 0008). Absent
   * on requests recorded before they were kept (the receiving commune decides then).
   */
  landCommuneCodes?: string[];
  /** Id of the request in match events (`matchId`); the dossier code, one request per dossier. */
  matchId: string;
  state: VerificationState;
  persons: PersonToVerify[];
  requestedAt: string;
  /** Highest `sequence` of the dossier stream applied. */
  intakeSequence: number;
  /** The round to verify: the intake sequence of the event that asked for it. */
  round: number;
  completedRound?: number;
  completedAt?: string;
  /** Since when the registry has been unreachable for this request. */
  pendingSince?: string;
  /** Match events emitted for the dossier so far: the next one has sequence `version + 1`. */
  version: number;
  correlationId: string;
  causationId: string;
}

/** Persons named on a submitted dossier: the applicant and every party, each number once per role. */
export function personsOf(data: {
  applicant: Omit<PersonToVerify, 'role'>;
  parties: PersonToVerify[];
}): PersonToVerify[] {
  const all = [{ ...data.applicant, role: 'APPLICANT' }, ...data.parties];
  const seen = new Set<string>();
  return all
    .map(({ role, fullName, personalIdNumber, dateOfBirth, gender }) => ({
      role,
      fullName,
      personalIdNumber,
      dateOfBirth,
      gender,
    }))
    .filter((p) => {
      const key = `${p.role}|${p.personalIdNumber}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/**
 * Indexes of the persons a round must look up: all of them the first time; on a later round (after a supplement),
 * those without a verdict or with one other than MATCHED that no officer has resolved.
 */
export function personsToCheck(request: VerificationRequest): number[] {
  return request.persons
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => !p.result || (p.result.verdict !== 'MATCHED' && !p.result.resolution))
    .map(({ i }) => i);
}

/** Data of a match event, as in contracts/events/schemas/match-*.v1.json. */
export type MatchEventData =
  | {
      type: 'match.completed';
      data: {
        dossierCode: string;
        matchId: string;
        persons: {
          role: string;
          maskedPersonalId: string;
          verdict: Verdict;
          mismatchedFields: MatchField[];
          reasons: ReasonCode[];
        }[];
        completedAt: string;
      };
    }
  | {
      type: 'match.review-required';
      data: {
        dossierCode: string;
        matchId: string;
        persons: { role: string; maskedPersonalId: string; mismatchedFields: MatchField[]; reasons: ReasonCode[] }[];
        at: string;
      };
    };

/**
 * The reason codes of a person's automatic verdict for the events: only codes of the closed list (a verdict stored
 * before the list existed may carry a retired code, such as `NO_REGISTRY_RECORD`, now `NOT_IN_REGISTRY`).
 */
export function reasonsOf(person: PersonToVerify): ReasonCode[] {
  return (person.result?.reasons ?? [])
    .map((r) => (r === 'NO_REGISTRY_RECORD' ? 'NOT_IN_REGISTRY' : r))
    .filter(isReasonCode);
}

/** The final verdict of a person: an officer's resolution wins over the automatic one. */
export function finalVerdict(person: PersonToVerify): Verdict | undefined {
  return person.result?.resolution?.verdict ?? person.result?.verdict;
}

/**
 * Records a round's verdicts (by person index) and returns the updated request with the events to emit:
 * `match.completed` with every person, and `match.review-required` when some need an officer.
 */
export function completeRound(
  request: VerificationRequest,
  results: ReadonlyMap<number, PersonResult>,
  now: Date,
): { request: VerificationRequest; events: MatchEventData[] } {
  const at = now.toISOString();
  const persons = request.persons.map((p, i) => {
    const result = results.get(i);
    return result ? { ...p, result } : p;
  });
  const events: MatchEventData[] = [
    {
      type: 'match.completed',
      data: {
        dossierCode: request.dossierCode,
        matchId: request.matchId,
        persons: persons.map((p) => ({
          role: p.role,
          maskedPersonalId: maskPersonalId(p.personalIdNumber),
          verdict: finalVerdict(p) ?? 'NOT_FOUND',
          mismatchedFields: p.result?.mismatchedFields ?? [],
          reasons: reasonsOf(p),
        })),
        completedAt: at,
      },
    },
  ];
  const review = persons.filter((p) => p.result?.verdict === 'NEEDS_REVIEW' && !p.result.resolution);
  if (review.length > 0) {
    events.push({
      type: 'match.review-required',
      data: {
        dossierCode: request.dossierCode,
        matchId: request.matchId,
        persons: review.map((p) => ({
          role: p.role,
          maskedPersonalId: maskPersonalId(p.personalIdNumber),
          mismatchedFields: p.result!.mismatchedFields,
          reasons: reasonsOf(p),
        })),
        at,
      },
    });
  }
  const { pendingSince: _pending, ...rest } = request;
  return {
    request: {
      ...rest,
      persons,
      state: VerificationState.Completed,
      completedRound: request.round,
      completedAt: at,
      version: request.version + events.length,
    },
    events,
  };
}

/** Records an officer's decision on a NEEDS_REVIEW person; returns the updated request and `match.resolved`. */
export function resolvePerson(
  request: VerificationRequest,
  index: number,
  resolution: Resolution,
): { request: VerificationRequest; event: MatchResolvedData } | { refused: 'NO_SUCH_PERSON' | 'NOT_AWAITING_REVIEW' } {
  const person = request.persons[index];
  if (!person) return { refused: 'NO_SUCH_PERSON' };
  if (person.result?.verdict !== 'NEEDS_REVIEW' || person.result.resolution) return { refused: 'NOT_AWAITING_REVIEW' };
  const persons = request.persons.map((p, i) => (i === index ? { ...p, result: { ...p.result!, resolution } } : p));
  return {
    request: { ...request, persons, version: request.version + 1 },
    event: {
      type: 'match.resolved',
      data: {
        dossierCode: request.dossierCode,
        matchId: request.matchId,
        role: person.role,
        maskedPersonalId: maskPersonalId(person.personalIdNumber),
        verdict: resolution.verdict,
        resolvedBy: { unitCode: resolution.unitCode, userId: resolution.userId },
        at: resolution.at,
        note: resolution.reason,
        reasons: reasonsOf(person),
      },
    },
  };
}

export interface MatchResolvedData {
  type: 'match.resolved';
  data: {
    dossierCode: string;
    matchId: string;
    role: string;
    maskedPersonalId: string;
    verdict: 'MATCHED' | 'MISMATCH';
    resolvedBy: { unitCode: string; userId: string };
    at: string;
    note: string;
    /** The automatic verdict's reasons: why the person went to review. */
    reasons: ReasonCode[];
  };
}
