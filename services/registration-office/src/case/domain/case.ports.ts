import type { TimeLimit, WorkingCalendar } from '@lienthong/statutory-clock';
import type { AuditEntry } from './audit-chain';
import type { Case, CaseState, ParkedVerdicts } from './case';

/** Persistence port for cases. Implementations return plain objects; every write is one single-document update. */
export abstract class CaseRepository {
  /**
   * Creates the case with its pending events, unless a case for the dossier exists already (a redelivered event).
   * Returns false when it existed.
   */
  abstract createIfAbsent(kase: Case, outbox: readonly unknown[]): Promise<boolean>;
  abstract findByCode(dossierCode: string): Promise<Case | null>;
  /**
   * Writes the new state of a case, appends its audit entries and pending events, if the stored case is still at
   * `expected` (version and audit length): optimistic concurrency. Returns false when someone wrote in between.
   */
  abstract save(
    kase: Case,
    expected: { version: number; auditLength: number },
    audit: readonly AuditEntry[],
    outbox: readonly unknown[],
  ): Promise<boolean>;
  /** Appends audit entries only (views of personal data), if the trail still has `expectedLength` entries. */
  abstract appendAudit(dossierCode: string, expectedLength: number, audit: readonly AuditEntry[]): Promise<boolean>;
  /** A branch's open cases, soonest due first, after the cursor; without history, documents and audit. */
  abstract worklist(query: WorklistQuery): Promise<Case[]>;
  /**
   * Open cases whose stored due date is before `dueBefore` and whose overdue alert has not fired for it (candidates
   * for the clock watch), oldest due first (then by dossier code), after the cursor `after`, at most `limit`.
   */
  abstract dueBefore(dueBefore: Date, limit: number, after?: CaseCursor): Promise<Case[]>;
  /** Keeps verdicts for a case not opened yet (one document per dossier, `_id` = dossier code). */
  abstract parkVerdicts(dossierCode: string, parked: ParkedVerdicts): Promise<void>;
  /** The verdicts kept for a dossier, oldest first. */
  abstract parkedVerdicts(dossierCode: string): Promise<ParkedVerdicts[]>;
  /** Counts of a branch's cases for the dashboard. */
  abstract openCases(branchCode: string): Promise<Pick<Case, 'state' | 'communeCode' | 'clock' | 'dueAt' | 'open'>[]>;
}

/** A position in the order of due dates: the sort key (`dueAt`, then dossier code) of the last case seen. */
export interface CaseCursor {
  dueAt: string;
  dossierCode: string;
}

export interface WorklistQuery {
  branchCode: string;
  state?: CaseState;
  procedureCode?: string;
  communeCode?: string;
  claimedBy?: string;
  /** Only cases whose stored due date is before this instant. */
  dueBefore?: Date;
  /** Position after which the page starts (sort key of the last case of the previous page). */
  after?: CaseCursor;
  limit: number;
}

/** What the procedure catalogue and the working calendar say about a new case. */
export interface CaseRules {
  /** The limit for this dossier: the remote one when its land lies in a commune the province lists as remote. */
  timeLimit: TimeLimit;
  publicPosting: boolean;
  financialObligation: boolean;
}

/** Port to the reference data: the calendar of the commune's province and the procedure's rules at receipt. */
export abstract class CaseReferenceData {
  abstract calendarFor(communeCode: string): WorkingCalendar;
  abstract rulesFor(query: {
    procedureCode: string;
    caseCode?: string;
    communeCode: string;
    receivedAt: Date;
    /** Communes of the land: any listed as remote in the province's deployment file gives the remote limit. */
    parcelCommuneCodes?: readonly string[];
  }): CaseRules;
  /**
   * Vietnamese and English names of a document kind of the catalogue (`documentKinds`), for the case's attachments;
   * undefined for a kind the catalogue does not know (the attachment then shows the code).
   */
  documentKindLabel(_kind: string): { vi: string; en: string } | undefined {
    return undefined;
  }
}
