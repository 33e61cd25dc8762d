import { assertChecks, isObject, isText } from './invalid-payload.error';

/** `dossier.submitted` v1 (topic `dossier-intake.dossier.events.v1`): a dossier was accepted at a commune. */
export const DossierSubmittedType = 'dossier.submitted';

/** A person named on the dossier; consumers that do not need identity data must not store it unmasked. */
export interface DossierPersonV1 {
  fullName: string;
  /** 12-digit personal identification number. */
  personalIdNumber: string;
  /** `YYYY-MM-DD`, or `YYYY` when only the year is known. */
  dateOfBirth: string;
  gender: 'MALE' | 'FEMALE';
}

export interface DossierPartyV1 extends DossierPersonV1 {
  role: string;
}

export interface DossierParcelV1 {
  communeCode: string;
  mapSheetNumber: string;
  parcelNumber: string;
  /** Square metres. */
  areaM2: number;
  landUseCode: string;
}

export interface DossierSubmittedV1 {
  dossierCode: string;
  /** National procedure code (MaTTHC). */
  procedureCode: string;
  /** Case within the procedure, where the catalogue has several. */
  caseCode?: string;
  /** 5-digit code of the receiving commune. */
  receivingUnitCode: string;
  channel: 'DIRECT' | 'ONLINE' | 'POSTAL';
  /** When the front desk received the complete dossier, RFC 3339 with offset. */
  receivedAt: string;
  applicant: DossierPersonV1;
  parties: DossierPartyV1[];
  parcels: DossierParcelV1[];
  summary?: string;
}

const isPerson = (p: unknown): boolean =>
  isObject(p) && isText(p.fullName) && isText(p.personalIdNumber) && isText(p.dateOfBirth) && isText(p.gender);

/** Checks a received `dossier.submitted` payload; throws InvalidPayloadError. */
export function parseDossierSubmittedV1(data: unknown): DossierSubmittedV1 {
  const d = isObject(data) ? data : {};
  assertChecks(DossierSubmittedType, [
    [isText(d.dossierCode), 'dossierCode is required'],
    [isText(d.procedureCode), 'procedureCode is required'],
    [isText(d.receivingUnitCode), 'receivingUnitCode is required'],
    [isText(d.receivedAt) && !Number.isNaN(Date.parse(d.receivedAt)), 'receivedAt must be RFC 3339'],
    [isPerson(d.applicant), 'applicant must be a person'],
    [
      Array.isArray(d.parties) && d.parties.every((p) => isPerson(p) && isText((p as { role?: unknown }).role)),
      'parties must be persons with roles',
    ],
    [
      Array.isArray(d.parcels) && d.parcels.length > 0 && d.parcels.every((p) => isObject(p) && isText(p.communeCode)),
      'parcels must be a non-empty list',
    ],
  ]);
  return data as DossierSubmittedV1;
}
