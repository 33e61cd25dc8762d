import { maskPersonalId } from '@lienthong/kernel';
import {
  finalVerdict,
  reasonsOf,
  type VerificationRequest,
  VerificationState,
} from '../../domain/verification-request';

/**
 * A verification request as the API shows it: identification numbers masked, evidence without raw numbers. While the
 * registry is down (`degraded`), a request still waiting for its lookup is shown IDENTITY_PENDING.
 */
export function toMatchView(request: VerificationRequest, degraded = false) {
  return {
    dossierCode: request.dossierCode,
    matchId: request.matchId,
    state:
      degraded && request.state === VerificationState.AwaitingRegistry
        ? VerificationState.IdentityPending
        : request.state,
    communeCode: request.communeCode,
    requestedAt: request.requestedAt,
    ...(request.pendingSince ? { pendingSince: request.pendingSince } : {}),
    ...(request.completedAt ? { completedAt: request.completedAt } : {}),
    persons: request.persons.map((p, index) => ({
      index,
      role: p.role,
      fullName: p.fullName,
      maskedPersonalId: maskPersonalId(p.personalIdNumber),
      dateOfBirth: p.dateOfBirth,
      gender: p.gender,
      ...(p.result
        ? {
            verdict: p.result.verdict,
            finalVerdict: finalVerdict(p),
            score: p.result.score,
            mismatchedFields: p.result.mismatchedFields,
            reasons: reasonsOf(p),
            evidence: p.result.evidence,
            checkedAt: p.result.checkedAt,
            ...(p.result.resolution ? { resolution: p.result.resolution } : {}),
          }
        : {}),
    })),
  };
}
