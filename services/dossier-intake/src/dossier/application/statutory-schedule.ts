/** The legal time limit of a dossier and the due date it gives (architecture §6). */
export interface DueDateAssessment {
  /** RFC 3339 with +07:00. */
  dueAt: string;
  timeLimit: { unit: string; amount?: number; cutoff?: string };
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
    receivedAt: Date;
  }): DueDateAssessment;
  /** Vietnamese name of a document kind of the catalogue (`documentKinds`); undefined for an unknown kind. */
  abstract documentKindName(kind: string): string | undefined;
}
