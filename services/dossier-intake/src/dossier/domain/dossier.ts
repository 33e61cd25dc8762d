/**
 * The dossier as the front desk handed it over (hồ sơ), and its status as the front desk sees it. Pure TypeScript.
 */

/** Front-desk statuses, each mapped 1:1 to the national portal's TrangThaiHoSo code (domain.md §2.1). */
export const DossierStatus = {
  /** Được tiếp nhận: accepted at the one-stop desk, on its way to the LRO. */
  Received: 'RECEIVED',
  /** Đang xử lý: the LRO branch has the case. */
  InProgress: 'IN_PROGRESS',
} as const;
export type DossierStatus = (typeof DossierStatus)[keyof typeof DossierStatus];

/** TrangThaiHoSo code of each status. */
export const portalStatusCode: Record<DossierStatus, number> = {
  [DossierStatus.Received]: 2,
  [DossierStatus.InProgress]: 4,
};

export const Channel = { Direct: 'DIRECT', Online: 'ONLINE', Postal: 'POSTAL' } as const;
export type Channel = (typeof Channel)[keyof typeof Channel];

export const Gender = { Male: 'MALE', Female: 'FEMALE' } as const;
export type Gender = (typeof Gender)[keyof typeof Gender];

export const PartyRole = {
  LandUser: 'LAND_USER',
  CoUser: 'CO_USER',
  AssetOwner: 'ASSET_OWNER',
  Transferor: 'TRANSFEROR',
  Transferee: 'TRANSFEREE',
  Heir: 'HEIR',
  Donor: 'DONOR',
  Donee: 'DONEE',
  Mortgagor: 'MORTGAGOR',
  Mortgagee: 'MORTGAGEE',
  Representative: 'REPRESENTATIVE',
} as const;
export type PartyRole = (typeof PartyRole)[keyof typeof PartyRole];

export interface Person {
  fullName: string;
  /** 12-digit personal identification number (số định danh cá nhân). */
  personalIdNumber: string;
  /** `YYYY-MM-DD`, or `YYYY` when only the year is known. */
  dateOfBirth: string;
  gender: Gender;
  phone?: string;
  email?: string;
  address?: string;
}

export interface Party extends Person {
  role: PartyRole;
}

export interface Parcel {
  communeCode: string;
  mapSheetNumber: string;
  parcelNumber: string;
  areaM2: number;
  landUseCode: string;
  address?: string;
}

export interface ExternalReference {
  /** The intake system's name. */
  system: string;
  /** The intake system's own id of the dossier (e.g. its receipt number). */
  id: string;
}

export interface HistoryEntry {
  status: DossierStatus;
  portalStatusCode: number;
  /** RFC 3339 instant. */
  at: string;
  /** Who caused it: the intake client, or the LRO branch. */
  by: string;
  note?: string;
}

/** What the front desk submits (validated at the edge). */
export interface DossierSubmission {
  procedureCode: string;
  caseCode?: string;
  receivingUnitCode: string;
  channel: Channel;
  /** RFC 3339 with offset. */
  receivedAt: string;
  externalReference: ExternalReference;
  applicant: Person;
  parties: Party[];
  parcels: Parcel[];
  summary?: string;
}

export interface Dossier extends DossierSubmission {
  dossierCode: string;
  /** Legal due date (ngày hẹn trả) from the procedure's time limit and the working calendar, +07:00. */
  dueAt: string;
  /** The time limit it was computed from, as the catalogue in force at receipt gave it. */
  timeLimit: { unit: string; amount?: number; cutoff?: string };
  /** The intake system (client) that submitted it. */
  clientId: string;
  status: DossierStatus;
  history: HistoryEntry[];
  /** Aggregate version; each event's `sequence`. */
  version: number;
  /** Highest `sequence` of the LRO case stream applied to this dossier (idempotent consumption). */
  caseSequence: number;
}

/** Data of the `dossier.submitted` event: what the LRO and population matching need, no document bytes. */
export interface DossierSubmittedData {
  dossierCode: string;
  /** The intake system (client) that submitted it. */
  clientId: string;
  procedureCode: string;
  caseCode?: string;
  receivingUnitCode: string;
  channel: Channel;
  receivedAt: string;
  applicant: Person;
  parties: Party[];
  parcels: Parcel[];
  summary?: string;
}

/** Creates the dossier as received, with its first history entry, and the fact to announce. */
export function receiveDossier(
  submission: DossierSubmission,
  dossierCode: string,
  clientId: string,
  now: Date,
  schedule: Pick<Dossier, 'dueAt' | 'timeLimit'>,
): { dossier: Dossier; submitted: DossierSubmittedData } {
  const dossier: Dossier = {
    ...submission,
    dossierCode,
    dueAt: schedule.dueAt,
    timeLimit: schedule.timeLimit,
    clientId,
    status: DossierStatus.Received,
    history: [
      {
        status: DossierStatus.Received,
        portalStatusCode: portalStatusCode[DossierStatus.Received],
        at: now.toISOString(),
        by: clientId,
      },
    ],
    version: 1,
    caseSequence: 0,
  };
  const { externalReference: _ref, ...announced } = submission;
  return { dossier, submitted: { dossierCode, clientId, ...announced } };
}

/** The LRO branch took the case: the dossier is in progress (TrangThaiHoSo 4). */
export function caseReceivedEntry(branchCode: string, at: string): HistoryEntry {
  return {
    status: DossierStatus.InProgress,
    portalStatusCode: portalStatusCode[DossierStatus.InProgress],
    at,
    by: branchCode,
    note: `Received by Land Registration Office branch ${branchCode}`,
  };
}
