/**
 * The dossier as the front desk handed it over (hồ sơ), and its status as the front desk sees it. Pure TypeScript.
 */

/** Front-desk statuses, each mapped 1:1 to the national portal's TrangThaiHoSo code (domain.md §2.1). */
export const DossierStatus = {
  /** Mới đăng ký (1): filed online, not yet checked by the desk. */
  Submitted: 'SUBMITTED',
  /** Được tiếp nhận (2): accepted at the one-stop desk, on its way to the LRO. */
  Received: 'RECEIVED',
  /** Không được tiếp nhận (3): refused at the desk. */
  RejectedAtIntake: 'REJECTED_AT_INTAKE',
  /** Đang xử lý (4): the LRO branch has the case. */
  InProgress: 'IN_PROGRESS',
  /** Yêu cầu bổ sung giấy tờ (5): the LRO asked for documents; the clock is paused. */
  SupplementRequested: 'SUPPLEMENT_REQUESTED',
  /** Yêu cầu thực hiện nghĩa vụ tài chính (6): waiting for the tax payment; the clock is paused. */
  AwaitingFinancialObligation: 'AWAITING_FINANCIAL_OBLIGATION',
  /** Công dân yêu cầu rút hồ sơ (7): the citizen asked to withdraw. */
  WithdrawalRequested: 'WITHDRAWAL_REQUESTED',
  /** Dừng xử lý (8): processing stopped (refused by the LRO, or withdrawn). */
  Stopped: 'STOPPED',
  /** Đã xử lý xong (9): the result is ready at the desk. */
  Processed: 'PROCESSED',
  /** Đã trả kết quả (10): the result was handed over. */
  ResultReturned: 'RESULT_RETURNED',
} as const;
export type DossierStatus = (typeof DossierStatus)[keyof typeof DossierStatus];

/** TrangThaiHoSo code of each status: a bijection, so the portal code alone names the status. */
export const portalStatusCode: Record<DossierStatus, number> = {
  [DossierStatus.Submitted]: 1,
  [DossierStatus.Received]: 2,
  [DossierStatus.RejectedAtIntake]: 3,
  [DossierStatus.InProgress]: 4,
  [DossierStatus.SupplementRequested]: 5,
  [DossierStatus.AwaitingFinancialObligation]: 6,
  [DossierStatus.WithdrawalRequested]: 7,
  [DossierStatus.Stopped]: 8,
  [DossierStatus.Processed]: 9,
  [DossierStatus.ResultReturned]: 10,
};

/** The status of a TrangThaiHoSo code (1–10); undefined for any other number. */
export function statusOfPortalCode(code: number): DossierStatus | undefined {
  return (Object.keys(portalStatusCode) as DossierStatus[]).find((status) => portalStatusCode[status] === code);
}

/** Statuses in which the dossier is still being worked on (the due date matters; the citizen may withdraw). */
export const activeStatuses: readonly DossierStatus[] = [
  DossierStatus.Submitted,
  DossierStatus.Received,
  DossierStatus.InProgress,
  DossierStatus.SupplementRequested,
  DossierStatus.AwaitingFinancialObligation,
];

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

/** A document of the dossier: metadata and the SHA-256 of its file (the bytes live in the file store, by hash). */
export interface DocumentReference {
  /** Catalogue document kind (component code), e.g. `APPLICATION_FORM`. */
  kind: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  /** Lower-case hex SHA-256 of the file: its address in the content-addressed store. */
  sha256: string;
}

/** A document handed in with a supplement: the reference of its file, and which request it answered. */
export interface SupplementedDocument extends DocumentReference {
  supplementRequestNumber: number;
  /** When the front desk handed it in (RFC 3339). */
  receivedAt: string;
}

/**
 * A result file the LRO sent back by reference (e.g. the scan of the issued certificate, `case.certificate-issued`).
 * The LRO names no file: the file name shown is generated from the kind and the hash.
 */
export interface ResultDocument {
  kind: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  /** When the LRO issued it. */
  issuedAt: string;
  /** The certificate's serial number (số phát hành), for a certificate scan. */
  certificateSerial?: string;
}

const extensions: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/tiff': 'tif',
};

/** The file name a result document is offered under: `<kind>-<first 8 hex digits>.<ext>` (the LRO names none). */
export function resultFileName(document: Pick<ResultDocument, 'kind' | 'sha256' | 'mediaType'>): string {
  const kind = document.kind.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return `${kind}-${document.sha256.slice(0, 8)}.${extensions[document.mediaType] ?? 'bin'}`;
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
  documents?: DocumentReference[];
}

/** A period during which the statutory clock stood still, as the LRO reports it. */
export interface PausedInterval {
  /** The paused state, e.g. `SUPPLEMENT_REQUESTED`, `AWAITING_FINANCIAL_OBLIGATION`. */
  state: string;
  from: string;
  /** Absent while the pause lasts. */
  to?: string;
}

/** The LRO's open request for more documents (form 02), until the front desk answers it. */
export interface SupplementRequest {
  /** 1 for the case's first request. */
  number: number;
  requestedAt: string;
  reason: string;
  missingDocuments: { componentCode?: string; name: string }[];
}

/** What population matching found for the persons of the dossier (masked identifiers only). */
export interface MatchSummary {
  matchId: string;
  /** `COMPLETED` (every person has a verdict) or `REVIEW_REQUIRED` (an officer must confirm a probable match). */
  state: 'COMPLETED' | 'REVIEW_REQUIRED';
  persons: { role: string; maskedPersonalId: string; verdict: string; mismatchedFields?: string[] }[];
  at: string;
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
  /** Highest `sequence` of the population-matching stream applied to this dossier. */
  matchSequence: number;
  /** Pauses of the statutory clock so far, oldest first, as the LRO last reported them. */
  pausedIntervals: PausedInterval[];
  /** The LRO's supplement request waiting for an answer; absent when none is open. */
  supplementRequest?: SupplementRequest;
  /** Numbers of the supplement requests the front desk has answered. */
  answeredSupplementRequests: number[];
  /** Population matching's verdicts; absent until it reports. */
  match?: MatchSummary;
  /** When the result can be collected at the desk; set once the result is ready. */
  appointmentAt?: string;
  /** Documents handed in with supplements, in the order received; absent until the first one with a file. */
  supplementDocuments?: SupplementedDocument[];
  /** Result files the LRO sent back (certificate scan); absent until the first one. */
  resultDocuments?: ResultDocument[];
  /** Whether the remote limit applied (the land lies in a commune the province lists as remote); ADR 0009. */
  remote?: boolean;
  /** `effectiveFrom` of the procedure version in force at receipt. */
  procedureVersion?: string;
  /** Every move of the due date by an apology letter (form 04), oldest first; absent until the first one. */
  dueDateHistory?: DueDateChange[];
}

/** The LRO moved the due date with an apology letter (form 04 of Circular 01/2018/TT-VPCP). */
export interface DueDateChange {
  previousDueAt: string;
  dueAt: string;
  /** When the letter was issued. */
  at: string;
  letterNumber: string;
  /** The letter's reason, as the LRO stated it. */
  reason: string;
}

/** The clock dossier-intake started at receipt, as `dossier.submitted` carries it to the LRO (ADR 0009). */
export interface SubmittedClock {
  dueAt: string;
  timeLimit: { unit: string; amount?: number; cutoff?: string };
  remote: boolean;
  procedureVersion: string;
  provinceCode?: string;
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
  /** References to the documents (kind, media type, size, SHA-256): never the bytes or the file name. */
  documents?: { kind: string; mediaType: string; sizeBytes: number; sha256: string }[];
  /** The clock as started at receipt: the LRO's ledger starts from it. */
  clock?: SubmittedClock;
}

/** Data of `dossier.status-changed`: the front desk's view moved (references only). */
export interface DossierStatusChangedData {
  dossierCode: string;
  procedureCode: string;
  receivingUnitCode: string;
  clientId: string;
  status: DossierStatus;
  portalStatusCode: number;
  previousStatus?: DossierStatus;
  dueAt: string;
  changedAt: string;
  reason?: string;
  appointmentAt?: string;
  /** Present when an apology letter moved the due date (`dueAt` is the new one). */
  dueDateChange?: { previousDueAt: string; letterNumber: string };
  /** True when the change is the LRO opening a case imported from the backlog: nobody is notified about it. */
  imported?: boolean;
}

/** Data of `dossier.supplemented`. */
export interface DossierSupplementedData {
  dossierCode: string;
  procedureCode: string;
  receivingUnitCode: string;
  supplementRequestNumber: number;
  /** Kinds handed in, each with the reference of its file when one was uploaded (never the file name). */
  documents: { componentCode: string; name: string; mediaType?: string; sizeBytes?: number; sha256?: string }[];
  receivedAt: string;
  note?: string;
}

/** Data of `dossier.withdrawn`. */
export interface DossierWithdrawnData {
  dossierCode: string;
  procedureCode: string;
  receivingUnitCode: string;
  requestedAt: string;
  reason?: string;
}

/** A fact the dossier announces, before it gets its envelope. */
export type DossierEvent =
  | { type: 'dossier.submitted'; data: DossierSubmittedData }
  | { type: 'dossier.status-changed'; data: DossierStatusChangedData }
  | { type: 'dossier.supplemented'; data: DossierSupplementedData }
  | { type: 'dossier.withdrawn'; data: DossierWithdrawnData };

/**
 * The dossier after a change and the facts to announce. `dossier.version` moves past the sequences of the events
 * (the i-th event gets `previous version + 1 + i`), so each envelope's `sequence` increases per dossier.
 */
export interface Transition {
  dossier: Dossier;
  events: DossierEvent[];
}

/** The `dossier.status-changed` fact of a move from `previous` to the dossier's current status. */
export function statusChanged(
  dossier: Dossier,
  previous: DossierStatus | undefined,
  changedAt: string,
  reason?: string,
  dueDateChange?: { previousDueAt: string; letterNumber: string },
): DossierEvent {
  return {
    type: 'dossier.status-changed',
    data: {
      dossierCode: dossier.dossierCode,
      procedureCode: dossier.procedureCode,
      receivingUnitCode: dossier.receivingUnitCode,
      clientId: dossier.clientId,
      status: dossier.status,
      portalStatusCode: portalStatusCode[dossier.status],
      ...(previous ? { previousStatus: previous } : {}),
      dueAt: dossier.dueAt,
      changedAt,
      ...(reason ? { reason: reason.slice(0, 2000) } : {}),
      ...(dossier.appointmentAt && dossier.status === DossierStatus.Processed
        ? { appointmentAt: dossier.appointmentAt }
        : {}),
      ...(dueDateChange ? { dueDateChange } : {}),
    },
  };
}

/** Creates the dossier as received, with its first history entry, and the facts to announce. */
export function receiveDossier(
  submission: DossierSubmission,
  dossierCode: string,
  clientId: string,
  now: Date,
  schedule: Pick<Dossier, 'dueAt' | 'timeLimit'> & {
    remote?: boolean;
    procedureVersion?: string;
    provinceCode?: string;
  },
): Transition {
  const dossier: Dossier = {
    ...submission,
    dossierCode,
    dueAt: schedule.dueAt,
    timeLimit: schedule.timeLimit,
    ...(schedule.remote !== undefined ? { remote: schedule.remote } : {}),
    ...(schedule.procedureVersion ? { procedureVersion: schedule.procedureVersion } : {}),
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
    version: 2,
    caseSequence: 0,
    matchSequence: 0,
    pausedIntervals: [],
    answeredSupplementRequests: [],
  };
  // Events carry references to the documents (the file store's SHA-256 addresses), never bytes or file names.
  const { externalReference: _ref, documents, ...announced } = submission;
  const clock = submittedClockOf(schedule);
  const submitted: DossierSubmittedData = {
    dossierCode,
    clientId,
    ...announced,
    ...(documents?.length
      ? {
          documents: documents.map(({ kind, mediaType, sizeBytes, sha256 }) => ({
            kind,
            mediaType,
            sizeBytes,
            sha256,
          })),
        }
      : {}),
    ...(clock ? { clock } : {}),
  };
  return {
    dossier,
    events: [{ type: 'dossier.submitted', data: submitted }, statusChanged(dossier, undefined, now.toISOString())],
  };
}

/**
 * The clock `dossier.submitted` carries from the assessment at receipt (ADR 0009): the due date is computed once,
 * here, and the LRO starts its ledger from it. Undefined when the assessment lacks the remote flag or the version.
 */
export function submittedClockOf(
  schedule: Pick<Dossier, 'dueAt' | 'timeLimit'> & {
    remote?: boolean;
    procedureVersion?: string;
    provinceCode?: string;
  },
): SubmittedClock | undefined {
  if (schedule.remote === undefined || !schedule.procedureVersion) return undefined;
  return {
    dueAt: schedule.dueAt,
    timeLimit: { ...schedule.timeLimit },
    remote: schedule.remote,
    procedureVersion: schedule.procedureVersion,
    ...(schedule.provinceCode ? { provinceCode: schedule.provinceCode } : {}),
  };
}
