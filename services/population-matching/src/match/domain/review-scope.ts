import type { VerificationRequest } from './verification-request';

/**
 * Whether officers of a branch serving `communes` see a request's persons (review queue, match view, resolution).
 * The branch that processes a land dossier is the one with jurisdiction over the land (ADR 0008), so the parcels'
 * communes decide: a dossier received at Diên Điền (22657) for land in Vạn Hưng (22525) is reviewed by the branch
 * serving 22525, the branch that has the case. When the parcels lie in several branches, each of them sees it (the
 * case is at one of them; either may have to judge the persons). Requests recorded before the land communes were
 * kept fall back to the receiving commune.
 */
export function inReviewScope(
  request: Pick<VerificationRequest, 'communeCode' | 'landCommuneCodes'>,
  communes: ReadonlySet<string>,
): boolean {
  const land = request.landCommuneCodes ?? [];
  if (land.length > 0) return land.some((c) => communes.has(c));
  return request.communeCode !== undefined && communes.has(request.communeCode);
}
