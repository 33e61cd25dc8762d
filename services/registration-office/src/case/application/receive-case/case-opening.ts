import { maskPersonalId } from '@lienthong/kernel';
import type { DossierSubmittedV1 } from '@lienthong/event-contracts';
import { createEvent, ServiceNames, type EventEnvelope } from '@lienthong/messaging';
import type { Case, CaseParcel, CasePerson, CaseReceivedData } from '../../domain/case';

/** What `dossier.submitted` and `dossier.imported` both say about the persons and the land of a new case. */
type OpeningData = Pick<DossierSubmittedV1, 'applicant' | 'parties' | 'parcels'>;

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
