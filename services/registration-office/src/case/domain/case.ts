/** The LRO's case (hồ sơ tại Văn phòng đăng ký đất đai) for one dossier. Pure TypeScript. */

export const CaseState = {
  /** Received from the commune, waiting to be assigned. */
  Received: 'RECEIVED',
} as const;
export type CaseState = (typeof CaseState)[keyof typeof CaseState];

/** A person on the case; the identification number is kept masked (data minimisation, domain.md §6). */
export interface CasePerson {
  role: string;
  fullName: string;
  maskedPersonalId: string;
  dateOfBirth: string;
  gender: string;
}

export interface CaseParcel {
  communeCode: string;
  mapSheetNumber: string;
  parcelNumber: string;
  areaM2: number;
  landUseCode: string;
}

export interface CaseHistoryEntry {
  state: CaseState;
  at: string;
  by: string;
  note?: string;
}

export interface Case {
  dossierCode: string;
  procedureCode: string;
  caseCode?: string;
  communeCode: string;
  /** LRO branch serving the commune; undefined when no branch is configured for it (visible, never dropped). */
  branchCode?: string;
  /** When the commune received the dossier (RFC 3339). */
  receivedAt: string;
  /** When the LRO got it. */
  arrivedAt: string;
  state: CaseState;
  persons: CasePerson[];
  parcels: CaseParcel[];
  history: CaseHistoryEntry[];
  version: number;
  /** Highest `sequence` of the dossier-intake stream applied to this case. */
  intakeSequence: number;
}

/** Data of the `case.received` event. */
export interface CaseReceivedData {
  dossierCode: string;
  branchCode?: string;
  procedureCode: string;
  communeCode: string;
  receivedAt: string;
}
