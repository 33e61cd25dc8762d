import type { Logger } from '@nestjs/common';
import { maskPersonalId } from '@lienthong/kernel';
import type { DossierSubmittedV1 } from '@lienthong/event-contracts';
import { createEvent, ServiceNames, type EventEnvelope } from '@lienthong/messaging';
import type { ClockLedger } from '@lienthong/statutory-clock';
import type { Case, CaseParcel, CasePerson, CaseReceivedData } from '../../domain/case';
import { startCaseClock } from '../../domain/case-clock';
import { routeByLand, type BranchDirectory, type LandRouting } from '../../domain/case-routing';
import type { CaseReferenceData, CaseRules } from '../../domain/case.ports';

/** What `dossier.submitted` and `dossier.imported` both say about a new case. */
type OpeningData = Pick<
  DossierSubmittedV1,
  'procedureCode' | 'caseCode' | 'receivingUnitCode' | 'receivedAt' | 'clock' | 'applicant' | 'parties' | 'parcels'
>;

/** Where a new case goes, the procedure's rules at receipt, and its clock as intake started it. */
export interface CaseOpening {
  routing: LandRouting;
  rules: CaseRules;
  ledger: ClockLedger;
}

/**
 * Routes a new case to the branch with jurisdiction over its land (ADR 0008, warning when no branch serves a parcel's
 * commune), reads the procedure's rules under the catalogue in force at receipt (an unknown procedure is a
 * DomainError: dead-lettered at once, visible and replayable), and starts the ledger from the due date intake
 * computed at receipt and carried (ADR 0009).
 */
export function openCase(
  dossierCode: string,
  data: OpeningData,
  deps: { branches: BranchDirectory; reference: CaseReferenceData; logger: Logger },
): CaseOpening {
  const landCommunes = data.parcels.map((p) => p.communeCode);
  const routing = routeByLand(landCommunes, deps.branches);
  const unserved = routing.unservedCommunes.join(', ');
  if (!routing.branchCode)
    deps.logger.warn(`no LRO branch serves the land's commune ${unserved}; case ${dossierCode} is unassigned`);
  else if (routing.unservedCommunes.length > 0)
    deps.logger.warn(`case ${dossierCode}: no LRO branch serves ${unserved}`);
  const rules = deps.reference.rulesFor({
    procedureCode: data.procedureCode,
    caseCode: data.caseCode,
    communeCode: data.receivingUnitCode,
    receivedAt: new Date(data.receivedAt),
    parcelCommuneCodes: landCommunes,
  });
  const ledger = startCaseClock({
    receivedAt: data.receivedAt,
    carried: data.clock,
    computed: rules,
    calendar: deps.reference.calendarFor(data.receivingUnitCode),
  });
  return { routing, rules, ledger };
}

/**
 * The persons of a new case, the applicant first. The identification number is masked here, at the LRO's door: the
 * case never stores it whole (ADR 0003).
 */
export function casePersonsOf(data: OpeningData): CasePerson[] {
  return [{ ...data.applicant, role: 'APPLICANT' }, ...data.parties].map((p) => ({
    role: p.role,
    fullName: p.fullName,
    maskedPersonalId: maskPersonalId(p.personalIdNumber),
    dateOfBirth: p.dateOfBirth,
    gender: p.gender,
  }));
}

/** The parcels of a new case (their addresses stay at intake). */
export function caseParcelsOf(data: OpeningData): CaseParcel[] {
  return data.parcels.map(({ communeCode, mapSheetNumber, parcelNumber, areaM2, landUseCode }) => ({
    communeCode,
    mapSheetNumber,
    parcelNumber,
    areaM2,
    landUseCode,
  }));
}

/**
 * The `case.received` event of a case just opened from `cause` (the first event of the case: sequence = version 1).
 * `extra` adds what an imported case states (its state, pauses, `imported`).
 */
export function caseReceivedEvent(
  kase: Case,
  cause: EventEnvelope,
  at: { receivedAt: string; dueAt: string },
  extra: Partial<CaseReceivedData> = {},
): EventEnvelope<CaseReceivedData> {
  return createEvent<CaseReceivedData>({
    type: 'case.received',
    source: `/${ServiceNames.RegistrationOffice}`,
    subject: kase.dossierCode,
    sequence: kase.version,
    correlationId: cause.correlationId,
    causationId: cause.id,
    data: {
      dossierCode: kase.dossierCode,
      branchCode: kase.branchCode,
      procedureCode: kase.procedureCode,
      communeCode: kase.communeCode,
      receivedAt: at.receivedAt,
      dueAt: at.dueAt,
      ...extra,
    },
  });
}
