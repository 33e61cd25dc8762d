/** The legal time limit of a dossier and the due date it gives (architecture §6), computed once at receipt. */
export interface DueDateAssessment {
  /** RFC 3339 with +07:00. */
  dueAt: string;
  /** The one limit applied (normal or remote already chosen). */
  timeLimit: { unit: string; amount?: number; cutoff?: string };
  /** True when the land lies in a commune the province lists as remote (the remote limit applied). */
  remote: boolean;
  /** `effectiveFrom` of the procedure version in force at receipt. */
  procedureVersion: string;
  /** Province whose calendar and office hours count. */
  provinceCode?: string;
}

/**
 * Port to the procedure catalogue and the working calendar: the due date of a dossier received at `receivedAt`.
 * Throws ValidationError (fields `procedureCode`, `caseCode`) for a procedure or case not in force then.
 */
export abstract class StatutorySchedule {
  abstract assess(query: {
    procedureCode: string;
    caseCode?: string;
    communeCode: string;
    /** Communes of the land: any listed as remote in the province's deployment file gives the remote limit. */
    parcelCommuneCodes?: readonly string[];
    receivedAt: Date;
  }): DueDateAssessment;
  /**
   * The due date at `at` of a dossier assessed as `assessment` whose clock stood still during `pauses` (an open one
   * counts until `at`): the shared ledger of `@lienthong/statutory-clock` replayed with the province's calendar, as
   * the LRO replays it (backlog import). RFC 3339 with +07:00.
   */
  abstract dueAtAfterPauses(
    assessment: DueDateAssessment,
    receivedAt: Date,
    pauses: readonly { reason: 'SUPPLEMENT' | 'FINANCIAL_OBLIGATION' | 'PUBLIC_POSTING'; from: string; to?: string }[],
    at: Date,
  ): string;
  /** Vietnamese name of a document kind of the catalogue (`documentKinds`); undefined for an unknown kind. */
  abstract documentKindName(kind: string): string | undefined;
}
