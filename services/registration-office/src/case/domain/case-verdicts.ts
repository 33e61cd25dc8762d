import type { Case, PersonVerdict } from './case';
import type { Outcome } from './case-workflow';

/**
 * Puts population-matching verdicts on the persons of the case (pure), matched by role and masked id, once per
 * match-stream sequence: undefined for a repeated or older event. A new verdict for a person replaces an override
 * given for the previous one (the officer decided on other evidence).
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
    const { override: _override, ...rest } = p;
    return {
      ...(found.verdict === p.verdict ? p : rest),
      verdict: found.verdict,
      mismatchedFields: found.mismatchedFields ?? [],
    };
  });
  const summary = verdicts.map((v) => `${v.role} ${v.maskedPersonalId}: ${v.verdict}`).join('; ');
  return {
    kase: { ...kase, persons, matchSequence: sequence },
    events: [],
    audit: [{ at: now.toISOString(), actor, kind: 'EVENT', what: type, reason: summary }],
  };
}
