import type { Case, CasePerson, PersonVerdict } from './case';
import type { Outcome } from './case-workflow';

/**
 * Puts population-matching verdicts on the persons of the case (pure), matched by role and masked id, once per
 * match-stream sequence: undefined for a repeated or older event. A new verdict for a person replaces an override
 * (and a review resolution) given for the previous one (the officer decided on other evidence). A resolution
 * (match.resolved) is kept on the person with its reason, and the fields that differed and the reason codes of the
 * automatic verdict stay shown.
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
    const { reasons: _reasons, ...kept } = p;
    const { override: _override, resolution: _resolution, ...rest } = kept;
    return {
      ...(found.verdict === p.verdict ? kept : rest),
      verdict: found.verdict,
      mismatchedFields: found.mismatchedFields ?? (found.resolution ? (p.mismatchedFields ?? []) : []),
      ...reasonsFor(found, p),
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

/** The reason codes to show: the event's; after a resolution without any, those of the verdict it resolved. */
function reasonsFor(found: PersonVerdict, person: CasePerson): { reasons?: string[] } {
  if (found.reasons) return { reasons: found.reasons };
  if (found.resolution && person.reasons) return { reasons: person.reasons };
  return {};
}
