/**
 * Which LRO branch a case belongs to, and moving it to another (ADR 0008). Since 1 July 2025 a dossier may be filed
 * at any one-stop unit of the province (Decree 118/2025/NĐ-CP), but the branch that must process a land dossier is
 * the one with jurisdiction over the land, so the branch comes from the parcels' communes, not from the receiving
 * unit. Pure TypeScript.
 */

/** A regional branch of a province's Land Registration Office. */
export interface Branch {
  readonly code: string;
  readonly name: string;
  readonly provinceCode: string;
}

/** Port to the province deployment data: which branch has jurisdiction over a commune's land. */
export abstract class BranchDirectory {
  /** The branch serving the commune's land, or undefined when the province's data assigns it to none. */
  abstract branchOfCommune(communeCode: string): Branch | undefined;
  /** A branch by its code, or undefined. */
  abstract branch(branchCode: string): Branch | undefined;
}

/** Where a new case goes, and why. */
export interface LandRouting {
  /** The branch of the first parcel whose commune a branch serves; undefined when no parcel's commune is served. */
  branchCode?: string;
  /** Further branches whose communes hold parcels of the dossier (the case is multi-branch when non-empty). */
  otherBranchCodes: string[];
  /** Parcel communes that no branch serves, in dossier order, without repeats. */
  unservedCommunes: string[];
}

/**
 * Routes a dossier by its land: the branch of the first parcel (dossier order) whose commune a branch serves. The
 * other branches holding parcels are listed so the case shows it spans them and a supervisor can move it; communes
 * no branch serves are listed so the service can warn. A single rule, fixed at receipt (ADR 0008).
 */
export function routeByLand(parcelCommunes: readonly string[], directory: BranchDirectory): LandRouting {
  const branches: string[] = [];
  const unserved: string[] = [];
  for (const commune of parcelCommunes) {
    const branch = directory.branchOfCommune(commune);
    if (!branch) {
      if (!unserved.includes(commune)) unserved.push(commune);
    } else if (!branches.includes(branch.code)) {
      branches.push(branch.code);
    }
  }
  const [branchCode, ...otherBranchCodes] = branches;
  return { ...(branchCode ? { branchCode } : {}), otherBranchCodes, unservedCommunes: unserved };
}

/** Why a move is refused; the application layer turns it into a 400 (bad target) or 409 (case state). */
export type MoveRefusal =
  | { code: 'REASON_REQUIRED'; message: string }
  | { code: 'UNKNOWN_BRANCH'; message: string }
  | { code: 'OTHER_PROVINCE'; message: string }
  | { code: 'SAME_BRANCH'; message: string }
  | { code: 'CASE_CLOSED'; message: string };

/**
 * Checks a supervisor's move of a case from `from` to the branch `toCode`: a reason is required (it goes to the
 * audit trail), the target must be a known branch of the same province (a province's LRO has no jurisdiction over
 * another province's land), different from the current one, and the case still open. Returns the target branch or
 * the refusal.
 */
export function checkMove(input: {
  from: Branch;
  toCode: string;
  reason: string | undefined;
  open: boolean;
  directory: BranchDirectory;
}): { ok: true; to: Branch } | { ok: false; refusal: MoveRefusal } {
  const refuse = (refusal: MoveRefusal) => ({ ok: false as const, refusal });
  if (!input.reason?.trim()) return refuse({ code: 'REASON_REQUIRED', message: 'a move needs a reason' });
  const to = input.directory.branch(input.toCode);
  if (!to) return refuse({ code: 'UNKNOWN_BRANCH', message: `${input.toCode} is not a branch` });
  if (to.provinceCode !== input.from.provinceCode) {
    return refuse({
      code: 'OTHER_PROVINCE',
      message: `${to.code} is a branch of province ${to.provinceCode}, the case is in province ${input.from.provinceCode}`,
    });
  }
  if (to.code === input.from.code) return refuse({ code: 'SAME_BRANCH', message: `the case is already at ${to.code}` });
  if (!input.open) return refuse({ code: 'CASE_CLOSED', message: 'a closed case stays where it was decided' });
  return { ok: true, to };
}
