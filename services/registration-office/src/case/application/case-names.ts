import type { Label } from '../domain/labels';

/** A procedure with its name in the catalogue version the case was received under. */
export interface ProcedureName {
  code: string;
  name: Label;
  /** The procedure's case (`caseCode`), when the case has one. */
  case?: { code: string; name: Label };
}

/** A commune with its province, as admin-units.v1.json names them. */
export interface PlaceName {
  code: string;
  /** Short name, e.g. `Diên Điền`. */
  name: string;
  /** With its type, e.g. `Xã Diên Điền`. */
  fullName: string;
  provinceCode: string;
  provinceName: string;
}

/** A branch with its name from the province's deployment file. */
export interface BranchName {
  code: string;
  name: string;
}

/**
 * Port to the names of the reference data (procedure catalogue, administrative units, province files), so the case
 * API can show names next to codes. Each answers undefined for a code the data does not know; the view then shows
 * the code alone.
 */
export abstract class CaseNames {
  abstract procedure(
    procedureCode: string,
    caseCode: string | undefined,
    receivedAt: string,
  ): ProcedureName | undefined;
  abstract commune(communeCode: string): PlaceName | undefined;
  abstract branch(branchCode: string): BranchName | undefined;
}
