/**
 * Which LRO branch a case belongs to, and moving it to another (ADR 0008). Since 1 July 2025 a dossier may be filed
 * at any one-stop unit of the province (Decree 118/2025/NĐ-CP), but the branch that must process a land dossier is
 * the one with jurisdiction over the land, so the branch comes from the parcels' communes, not from the receiving
 * unit. Pure TypeScript.
 */
import type { Case } from './case';
import type { Outcome } from './case-workflow';

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

/** Data of the `case.moved` event: references only (branch codes, the supervisor's internal id). */
export interface CaseMovedData {
  dossierCode: string;
  procedureCode: string;
  communeCode: string;
  fromBranchCode: string;
  branchCode: string;
  at: string;
  actor: { unitCode: string; userId: string };
  reason: string;
}

/**
 * Moves an open case to another branch of its province (pure; the checks are `checkMove`'s). The case leaves the old
 * branch's worklist and enters the new one's at once, because worklists and reads are scoped by `branchCode`; the
 * claim is dropped (the holder is a worker of the old branch) and the state and clock stay as they are, so the new
 * branch continues where the old one stopped. `case.moved` tells the other services; the audit entry keeps who, when,
 * from where to where, and why. The move is noted in the history so the new branch sees where the case came from.
 */
export function moveCase(
  kase: Case,
  move: { from: string; to: string; reason: string },
  actor: { userId: string; branch: string },
  now: Date,
): Outcome {
  const at = now.toISOString();
  const reason = move.reason.trim();
  const { claim: _claim, ...unclaimed } = kase;
  const next: Case = {
    ...unclaimed,
    branchCode: move.to,
    history: [
      ...kase.history,
      { state: kase.state, at, by: actor.userId, action: 'MOVE', note: `${move.from} → ${move.to}: ${reason}` },
    ],
  };
  const data: CaseMovedData = {
    dossierCode: kase.dossierCode,
    procedureCode: kase.procedureCode,
    communeCode: kase.communeCode,
    fromBranchCode: move.from,
    branchCode: move.to,
    at,
    actor: { unitCode: actor.branch, userId: actor.userId },
    reason,
  };
  return {
    kase: next,
    events: [{ type: 'case.moved', data: { ...data } }],
    audit: [
      {
        at,
        actor: actor.userId,
        branch: actor.branch,
        kind: 'MOVE',
        what: `MOVE ${move.from} → ${move.to}`,
        fromState: kase.state,
        toState: kase.state,
        reason,
      },
    ],
  };
}
