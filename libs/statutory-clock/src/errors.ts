import { ConflictError, DomainError } from '@lienthong/kernel';

/**
 * A reference-data file does not have the expected shape or contradicts itself (for example an official Tết schedule
 * that does not contain the computed lunar New Year). Raised at start-up; the service must not run with it.
 */
export class ReferenceDataError extends Error {
  constructor(
    /** Which file or object was being read, e.g. `calendar-2025-2027.v1.json`. */
    readonly file: string,
    /** Every problem found, each naming the JSON path. */
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'ReferenceDataError';
  }
}

/** No procedure with this national code (MaTTHC) is in the catalogue. */
export class UnknownProcedureError extends DomainError {
  readonly code = 'UNKNOWN_PROCEDURE';

  constructor(readonly procedureCode: string) {
    super(`procedure ${procedureCode} is not in the catalogue`);
  }
}

/** The procedure exists but no version of it was in force at the given instant. */
export class ProcedureNotInForceError extends DomainError {
  readonly code = 'PROCEDURE_NOT_IN_FORCE';

  constructor(
    readonly procedureCode: string,
    /** The Vietnam civil date that was asked about. */
    readonly date: string,
  ) {
    super(`procedure ${procedureCode} was not in force on ${date}`);
  }
}

/** The procedure has several cases and the caller named none, and the catalogue gives no default. */
export class ProcedureCaseRequiredError extends DomainError {
  readonly code = 'PROCEDURE_CASE_REQUIRED';

  constructor(
    readonly procedureCode: string,
    /** The case codes the caller may choose from. */
    readonly caseCodes: readonly string[],
  ) {
    super(`procedure ${procedureCode} needs a case: one of ${caseCodes.join(', ')}`);
  }
}

/** The case code is not one of the procedure's cases. */
export class UnknownProcedureCaseError extends DomainError {
  readonly code = 'UNKNOWN_PROCEDURE_CASE';

  constructor(
    readonly procedureCode: string,
    readonly caseCode: string,
    /** The case codes the caller may choose from. */
    readonly caseCodes: readonly string[],
  ) {
    super(`procedure ${procedureCode} has no case ${caseCode}: one of ${caseCodes.join(', ')}`);
  }
}

/** A pause or resume that the clock ledger's current state does not allow (already paused, nothing to resume…). */
export class IllegalClockOperationError extends ConflictError {}
