import { ValidationError } from '@lienthong/kernel';
import {
  ClockLedger,
  DossierClockRules,
  ProcedureCaseRequiredError,
  ProcedureNotInForceError,
  toVietnamIso,
  UnknownProcedureCaseError,
  UnknownProcedureError,
  type ReferenceData,
  type TimeLimit,
} from '@lienthong/statutory-clock';
import { StatutorySchedule, type DueDateAssessment } from '../../application/statutory-schedule';

/**
 * The due date from the versioned procedure catalogue and the province's working calendar and office hours
 * (contracts/reference-data), through the `DossierClockRules` registration-office uses too (ADR 0009). The province
 * is the receiving commune's; the remote limit (usually +10 working days) applies when the land lies in a commune the
 * province's deployment file lists as remote (`provinces/<code>.v1.json`, an assumption: no public list was found).
 */
export class ReferenceDataSchedule extends StatutorySchedule {
  private readonly rules: DossierClockRules;

  constructor(private readonly data: ReferenceData) {
    super();
    this.rules = new DossierClockRules(data);
  }

  override documentKindName(kind: string): string | undefined {
    return Object.hasOwn(this.data.catalogue.documentKinds, kind)
      ? this.data.catalogue.documentKinds[kind]!.vi
      : undefined;
  }

  override dueAtAfterPauses(
    assessment: DueDateAssessment,
    receivedAt: Date,
    pauses: readonly { reason: 'SUPPLEMENT' | 'FINANCIAL_OBLIGATION' | 'PUBLIC_POSTING'; from: string; to?: string }[],
    at: Date,
  ): string {
    const ledger = ClockLedger.restore(
      {
        receivedAt: receivedAt.toISOString(),
        // The ledger keeps the limit only as a record: it counts from the stated base due date.
        timeLimit: assessment.timeLimit as TimeLimit,
        pauses: pauses.map((p) => ({
          reason: p.reason,
          from: new Date(p.from).toISOString(),
          ...(p.to ? { to: new Date(p.to).toISOString() } : {}),
        })),
        baseDueAt: new Date(assessment.dueAt).toISOString(),
      },
      this.rules.calendarOfProvince(assessment.provinceCode),
    );
    return toVietnamIso(ledger.dueAt(at));
  }

  override assess(query: {
    procedureCode: string;
    caseCode?: string;
    communeCode: string;
    parcelCommuneCodes?: readonly string[];
    receivedAt: Date;
  }): DueDateAssessment {
    try {
      const start = this.rules.start({
        procedureCode: query.procedureCode,
        caseCode: query.caseCode,
        receivingUnitCode: query.communeCode,
        parcelCommuneCodes: query.parcelCommuneCodes,
        receivedAt: query.receivedAt,
      });
      return {
        dueAt: toVietnamIso(start.dueAt),
        timeLimit: { ...start.timeLimit },
        remote: start.remote,
        procedureVersion: start.procedureVersion,
        ...(start.provinceCode ? { provinceCode: start.provinceCode } : {}),
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
