import type { ReferenceData, WorkingCalendar } from '@lienthong/statutory-clock';
import { CaseReferenceData, type CaseRules } from '../../domain/case.ports';

/**
 * The case rules from contracts/reference-data: the working calendar of the commune's province and the procedure
 * version in force at receipt. Which optional steps a case has comes from the procedure's clock pauses: public
 * posting when the procedure pauses for it, tax when it pauses for financial obligations (domain.md §9). Remote
 * commune limits need a list of remote communes the reference data does not have yet, so the normal limit applies
 * (as at intake, so both sides show the same due date).
 */
export class ReferenceDataRules extends CaseReferenceData {
  private readonly provinceOf: Map<string, string>;

  constructor(private readonly data: ReferenceData) {
    super();
    this.provinceOf = new Map(data.adminUnits.communes.map((c) => [c.code, c.provinceCode]));
  }

  override calendarFor(communeCode: string): WorkingCalendar {
    const province = this.provinceOf.get(communeCode);
    return province ? this.data.calendar.forProvince(province) : this.data.calendar;
  }

  override documentKindLabel(kind: string): { vi: string; en: string } | undefined {
    const kinds = this.data.catalogue.documentKinds;
    return Object.hasOwn(kinds, kind) ? { vi: kinds[kind]!.vi, en: kinds[kind]!.en } : undefined;
  }

  override rulesFor(query: {
    procedureCode: string;
    caseCode?: string;
    communeCode: string;
    receivedAt: Date;
  }): CaseRules {
    const resolved = this.data.catalogue.resolve({ ...query, provinceCode: this.provinceOf.get(query.communeCode) });
    return {
      timeLimit: resolved.timeLimit,
      publicPosting: resolved.procedure.clockPauses.includes('PUBLIC_POSTING'),
      financialObligation: resolved.procedure.clockPauses.includes('FINANCIAL_OBLIGATION'),
    };
  }
}
