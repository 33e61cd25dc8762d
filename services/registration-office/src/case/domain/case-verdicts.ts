import type { Case, PersonVerdict } from './case';
import type { Outcome } from './case-workflow';

/**
 * Puts population-matching verdicts on the persons of the case (pure), matched by role and masked id, once per
 * match-stream sequence: undefined for a repeated or older event. A new verdict for a person replaces an override
 * (and a review resolution) given for the previous one (the officer decided on other evidence). A resolution
 * (match.resolved) is kept on the person with its reason, and the fields that differed stay shown.
 */
export function applyVerdicts(
  kase: Case,
  sequence: number,
  type: string,
  verdicts: readonly PersonVerdict[],
  now: Date,
  actor: string,
): Outcome | undefined {
  if (sequence <= kase.matchSequence) return undefined;
  const persons = kase.persons.map((p) => {
    const found = verdicts.find((v) => v.role === p.role && v.maskedPersonalId === p.maskedPersonalId);
    if (!found) return p;
    const { override: _override, resolution: _resolution, ...rest } = p;
    return {
      ...(found.verdict === p.verdict ? p : rest),
      verdict: found.verdict,
      mismatchedFields: found.mismatchedFields ?? (found.resolution ? (p.mismatchedFields ?? []) : []),
      ...(found.resolution ? { resolution: found.resolution } : {}),
    };
  });
  const summary = verdicts
    .map(
      (v) =>
        `${v.role} ${v.maskedPersonalId}: ${v.verdict}` +
        (v.resolution ? ` (resolved by ${v.resolution.by}: ${v.resolution.reason ?? 'no reason given'})` : ''),
    )
    .join('; ');
  return {
    kase: { ...kase, persons, matchSequence: sequence },
    events: [],
    audit: [{ at: now.toISOString(), actor, kind: 'EVENT', what: type, reason: summary }],
  };
}
