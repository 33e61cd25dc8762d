import { DossierClockRules, type ReferenceData, type WorkingCalendar } from '@lienthong/statutory-clock';
import { CaseReferenceData, type CaseRules } from '../../domain/case.ports';

/**
 * The case rules from contracts/reference-data: the working calendar of the commune's province and the procedure
 * version in force at receipt. Which optional steps a case has comes from the procedure's clock pauses: public
 * posting when the procedure pauses for it, tax when it pauses for financial obligations (domain.md §9). Calendars,
 * office hours and remote communes come from the same `DossierClockRules` dossier-intake uses (ADR 0009).
 */
export class ReferenceDataRules extends CaseReferenceData {
  private readonly clockRules: DossierClockRules;

  constructor(private readonly data: ReferenceData) {
    super();
    this.clockRules = new DossierClockRules(data);
  }

  override calendarFor(communeCode: string): WorkingCalendar {
    return this.clockRules.calendarFor(communeCode);
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
    parcelCommuneCodes?: readonly string[];
  }): CaseRules {
    const { resolved } = this.clockRules.start({
      procedureCode: query.procedureCode,
      caseCode: query.caseCode,
      receivingUnitCode: query.communeCode,
      parcelCommuneCodes: query.parcelCommuneCodes,
      receivedAt: query.receivedAt,
    });
    return {
      timeLimit: resolved.timeLimit,
      publicPosting: resolved.procedure.clockPauses.includes('PUBLIC_POSTING'),
      financialObligation: resolved.procedure.clockPauses.includes('FINANCIAL_OBLIGATION'),
    };
  }
}
