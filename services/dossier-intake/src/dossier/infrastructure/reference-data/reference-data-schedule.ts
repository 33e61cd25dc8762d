import { ValidationError } from '@lienthong/kernel';
import {
  dueDate,
  ProcedureCaseRequiredError,
  ProcedureNotInForceError,
  toVietnamIso,
  UnknownProcedureCaseError,
  UnknownProcedureError,
  type ReferenceData,
} from '@lienthong/statutory-clock';
import { StatutorySchedule, type DueDateAssessment } from '../../application/statutory-schedule';

/**
 * The due date from the versioned procedure catalogue and the province's working calendar
 * (contracts/reference-data). The province is the receiving commune's. Which communes are remote (mountainous,
 * island, especially difficult: the case's remote limit, usually +10 working days) is not in the published data, so
 * the deployment lists them (REMOTE_COMMUNES); elsewhere the normal limit applies.
 */
export class ReferenceDataSchedule extends StatutorySchedule {
  private readonly provinceOf: Map<string, string>;

  constructor(
    private readonly data: ReferenceData,
    private readonly remoteCommunes: ReadonlySet<string> = new Set(),
  ) {
    super();
    this.provinceOf = new Map(data.adminUnits.communes.map((c) => [c.code, c.provinceCode]));
  }

  override documentKindName(kind: string): string | undefined {
    return Object.hasOwn(this.data.catalogue.documentKinds, kind)
      ? this.data.catalogue.documentKinds[kind]!.vi
      : undefined;
  }

  override assess(query: {
    procedureCode: string;
    caseCode?: string;
    communeCode: string;
    receivedAt: Date;
  }): DueDateAssessment {
    const provinceCode = this.provinceOf.get(query.communeCode);
    try {
      const remote = this.remoteCommunes.has(query.communeCode);
      const resolved = this.data.catalogue.resolve({ ...query, provinceCode, remote });
      const calendar = provinceCode ? this.data.calendar.forProvince(provinceCode) : this.data.calendar;
      return {
        dueAt: toVietnamIso(dueDate(query.receivedAt, resolved.timeLimit, { calendar })),
        timeLimit: { ...resolved.timeLimit },
      };
    } catch (error) {
      if (error instanceof UnknownProcedureError || error instanceof ProcedureNotInForceError) {
        throw new ValidationError('The procedure is not in the catalogue in force.', [
          { field: 'procedureCode', code: 'UNKNOWN_PROCEDURE', message: error.message },
        ]);
      }
      if (error instanceof ProcedureCaseRequiredError || error instanceof UnknownProcedureCaseError) {
        throw new ValidationError('The case is not one of the procedure’s cases.', [
          { field: 'caseCode', code: 'UNKNOWN_CASE', message: error.message },
        ]);
      }
      throw error;
    }
  }
}
