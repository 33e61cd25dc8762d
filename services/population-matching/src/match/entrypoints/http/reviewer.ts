import type { WorkerPrincipal } from '@lienthong/auth';
import type { Reviewer } from '../../application/resolve-review.handler';

/** DI token of the branch → communes map (from the province files, `loadBranchCommunes`). */
export const BRANCH_COMMUNES = Symbol('BRANCH_COMMUNES');

export function reviewerOf(worker: WorkerPrincipal, branches: Map<string, Set<string>>): Reviewer {
  return { userId: worker.userId, branch: worker.branch, communes: branches.get(worker.branch) ?? new Set() };
}
