import { dueDate } from './due-date';
import { type CivilDate } from './local-time';
import { type ResolvedProcedureCase } from './procedure-catalogue';
import { type ReferenceData } from './reference-data';
import { type TimeLimit } from './time-limit';
import { type WorkingCalendar } from './working-calendar';

/** What both services ask about a dossier at its receipt. */
export interface DossierClockQuery {
  readonly procedureCode: string;
  readonly caseCode?: string;
  /** The commune of the one-stop unit that received it: its province gives the calendar and office hours. */
  readonly receivingUnitCode: string;
  /** Communes of the land; any of them listed as remote gives the remote limit. */
  readonly parcelCommuneCodes?: readonly string[];
  readonly receivedAt: Date;
}

/** The clock of a dossier at its receipt, as carried in `dossier.submitted` (`clock`). */
export interface DossierClockStart {
  /** The legal due date before any pause. */
  readonly dueAt: Date;
  /** The one limit that applies (normal or remote already chosen). */
  readonly timeLimit: TimeLimit;
  /** Whether the remote limit was asked for (the land lies in a commune the province lists as remote). */
  readonly remote: boolean;
  /** `effectiveFrom` of the procedure version in force at receipt (the catalogue is versioned by effective date). */
  readonly procedureVersion: CivilDate;
  /** Two-digit code of the province whose calendar and office hours count. */
  readonly provinceCode?: string;
  /** The catalogue's answer, for callers that need the documents or the optional steps. */
  readonly resolved: ResolvedProcedureCase;
}

/**
 * The statutory clock rules both services apply, from one place (architecture.md §6, ADR 0009): the procedure
 * version in force at receipt, the province's working calendar with the office hours of its deployment file
 * (`contracts/reference-data/provinces/<code>.v1.json`), and the remote limit for land in a commune that file lists
 * as remote. dossier-intake computes the due date once with it at receipt; the LRO starts its ledger from what intake
 * carried and uses the same calendars for every later move. Calendars are built once per province.
 */
export class DossierClockRules {
  private readonly provinceOf: ReadonlyMap<string, string>;
  private readonly calendars = new Map<string, WorkingCalendar>();

  constructor(private readonly data: ReferenceData) {
    this.provinceOf = new Map(data.adminUnits.communes.map((c) => [c.code, c.provinceCode]));
  }

  /** Province of a commune, or undefined for an unknown code. */
  provinceOfCommune(communeCode: string): string | undefined {
    return this.provinceOf.get(communeCode);
  }

  /** The working calendar of a province: national days, the province's own days, its deployment's office hours. */
  calendarOfProvince(provinceCode: string | undefined): WorkingCalendar {
    if (provinceCode === undefined) return this.data.calendar;
    let calendar = this.calendars.get(provinceCode);
    if (!calendar) {
      calendar = this.data.calendar.forProvince(provinceCode, this.data.provinces.officeHoursOf(provinceCode));
      this.calendars.set(provinceCode, calendar);
    }
    return calendar;
  }

  /** The calendar that counts for a dossier received at `receivingUnitCode`. */
  calendarFor(receivingUnitCode: string): WorkingCalendar {
    return this.calendarOfProvince(this.provinceOf.get(receivingUnitCode));
  }

  /**
   * Whether the remote limit applies: the land (any parcel) lies in a commune the province lists as remote; without
   * parcels, the receiving commune decides. The extra time exists for work on remote land (field checks, posting at
   * the commune), hence the land's commune, not the desk's (ADR 0009).
   */
  isRemote(query: Pick<DossierClockQuery, 'receivingUnitCode' | 'parcelCommuneCodes'>): boolean {
    const communes = query.parcelCommuneCodes?.length ? query.parcelCommuneCodes : [query.receivingUnitCode];
    return communes.some((c) => this.data.provinces.isRemoteCommune(c));
  }

  /**
   * The clock at receipt. Throws the catalogue's errors (UnknownProcedureError, ProcedureNotInForceError,
   * ProcedureCaseRequiredError, UnknownProcedureCaseError) for a procedure or case not in force then.
   */
  start(query: DossierClockQuery): DossierClockStart {
    const provinceCode = this.provinceOf.get(query.receivingUnitCode);
    const remote = this.isRemote(query);
    const resolved = this.data.catalogue.resolve({
      procedureCode: query.procedureCode,
      caseCode: query.caseCode,
      receivedAt: query.receivedAt,
      provinceCode,
      remote,
    });
    const calendar = this.calendarOfProvince(provinceCode);
    return {
      dueAt: dueDate(query.receivedAt, resolved.timeLimit, { calendar }),
      timeLimit: resolved.timeLimit,
      remote,
      procedureVersion: resolved.procedure.effectiveFrom,
      ...(provinceCode ? { provinceCode } : {}),
      resolved,
    };
  }
}
