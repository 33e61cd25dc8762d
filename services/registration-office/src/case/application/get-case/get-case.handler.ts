import { Injectable } from '@nestjs/common';
import { verifyAuditChain, type AuditBreak, type AuditEntry } from '../../domain/audit-chain';
import type { WorkerRole } from '../../domain/case-workflow';
import { caseView, type CaseView } from '../case-view';
import { CaseStore } from '../case-store';

export interface Viewer {
  userId: string;
  branch: string;
  roles: readonly WorkerRole[];
}

// A worker's repeated views of one case within this window are one view in the trail: the entry already says who
// saw the personal data and when, and a console refreshing (or a client polling) must not grow the trail without
// bound.
const viewCoalesceMs = 10 * 60_000;

function viewedRecently(trail: readonly AuditEntry[], userId: string, now: Date): boolean {
  const last = trail.findLast((e) => e.kind === 'VIEW' && e.actor === userId);
  return last !== undefined && now.getTime() - Date.parse(last.at) < viewCoalesceMs;
}

/**
 * Reads one case for a worker of its branch. The case shows personal data (names, birth dates, masked ids), so every
 * view is written to the audit trail with who and when (architecture §7) before it is answered.
 */
@Injectable()
export class GetCaseHandler {
  constructor(private readonly store: CaseStore) {}

  async execute(dossierCode: string, viewer: Viewer): Promise<CaseView> {
    const kase = await this.store.load(dossierCode, viewer);
    const now = this.store.clock.now();
    if (!viewedRecently(kase.audit, viewer.userId, now))
      await this.store.audit(kase, [
        {
          at: now.toISOString(),
          actor: viewer.userId,
          branch: viewer.branch,
          kind: 'VIEW',
          what: 'GET case (persons)',
        },
      ]);
    return caseView(kase, this.store.calendarFor(kase), now, viewer, this.store.names);
  }

  /** The audit trail with its hash chain and the result of checking it. */
  async audit(
    dossierCode: string,
    viewer: Viewer,
  ): Promise<{ dossierCode: string; entries: AuditEntry[]; intact: boolean; problems: AuditBreak[] }> {
    const kase = await this.store.load(dossierCode, viewer);
    const problems = verifyAuditChain(kase.audit);
    return { dossierCode, entries: kase.audit, intact: problems.length === 0, problems };
  }
}
