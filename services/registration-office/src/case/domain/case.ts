/** The LRO's case (hồ sơ tại Văn phòng đăng ký đất đai) for one dossier. Pure TypeScript. */
import type { ClockLedgerSnapshot } from '@lienthong/statutory-clock';
import type { AuditEntry } from './audit-chain';
import type { CaseAttachment } from './case-attachments';

/**
 * Where a case stands (domain.md §2.4, issue 5). Paused states stop the statutory clock; terminal states close the
 * case. The English ids are the ones the case events carry.
 */
export const CaseState = {
  /** Received from the commune (tiếp nhận), nobody has taken it yet. */
  Received: 'RECEIVED',
  /** An officer holds it (phân công): claimed or assigned by a supervisor. */
  Assigned: 'ASSIGNED',
  /** The officer checks the conditions (thẩm định hồ sơ). */
  InReview: 'IN_REVIEW',
  /** Field check or measurement (kiểm tra thực địa, đo đạc). */
  FieldCheck: 'FIELD_CHECK',
  /** Public posting at the commune (niêm yết công khai); the clock is paused. */
  PublicPosting: 'PUBLIC_POSTING',
  /** Waiting for the citizen's supplement (chờ bổ sung, form 02); the clock is paused. */
  SupplementRequested: 'SUPPLEMENT_REQUESTED',
  /** Cadastral information sent to tax; waiting for the obligation to be met (chờ nghĩa vụ tài chính); paused. */
  AwaitingFinancialObligation: 'AWAITING_FINANCIAL_OBLIGATION',
  /** The tax authority confirmed payment or exemption. */
  ObligationMet: 'OBLIGATION_MET',
  /** The competent officer signed (phê duyệt). */
  Approved: 'APPROVED',
  /** The certificate is printed and the records updated (portal status 9). */
  CertificateIssued: 'CERTIFICATE_ISSUED',
  /** The result went back to the commune and the citizen (portal status 10). Terminal. */
  ResultReturned: 'RESULT_RETURNED',
  /** Refused with a reason (form 03). Terminal. */
  Rejected: 'REJECTED',
  /** The citizen withdrew the dossier at the commune. Terminal. */
  Withdrawn: 'WITHDRAWN',
  /** Processing stopped (dừng xử lý) with a reason. Terminal. */
  Stopped: 'STOPPED',
} as const;
export type CaseState = (typeof CaseState)[keyof typeof CaseState];

export const TERMINAL_STATES: readonly CaseState[] = [
  CaseState.ResultReturned,
  CaseState.Rejected,
  CaseState.Withdrawn,
  CaseState.Stopped,
];

/** The national portal's TrangThaiHoSo code each case state shows (domain.md §2.1; mapped 1:1, §2.4). */
export const portalStatusOf: Readonly<Record<CaseState, number>> = {
  RECEIVED: 4,
  ASSIGNED: 4,
  IN_REVIEW: 4,
  FIELD_CHECK: 4,
  PUBLIC_POSTING: 4,
  SUPPLEMENT_REQUESTED: 5,
  AWAITING_FINANCIAL_OBLIGATION: 6,
  OBLIGATION_MET: 4,
  APPROVED: 4,
  CERTIFICATE_ISSUED: 9,
  RESULT_RETURNED: 10,
  REJECTED: 8,
  WITHDRAWN: 8,
  STOPPED: 8,
};

/** Population-matching verdicts (match.completed / match.resolved). */
export type MatchVerdict = 'MATCHED' | 'MISMATCH' | 'NOT_FOUND' | 'NEEDS_REVIEW';

/** A verdict for one person, identified by role and masked id (events never carry the full number). */
export interface PersonVerdict {
  role: string;
  maskedPersonalId: string;
  verdict: MatchVerdict;
  mismatchedFields?: string[];
  /** population-matching's reason codes for the automatic verdict (`DOB_DAY_MONTH_SWAPPED`, ...); absent in old events. */
  reasons?: string[];
  /** Present when an officer decided the verdict in population-matching's review queue (match.resolved). */
  resolution?: MatchResolution;
}

/** A population-matching officer's decision on a person the registry could not confirm (match.resolved). */
export interface MatchResolution {
  verdict: 'MATCHED' | 'MISMATCH';
  /** The officer's user id (the unit's code when the event names none). */
  by: string;
  unitCode: string;
  at: string;
  /** The officer's reason (`note` of match.resolved), when given. */
  reason?: string;
}

/** Verdicts that arrived before their case (population-matching reads dossier.submitted too), kept until it opens. */
export interface ParkedVerdicts {
  sequence: number;
  type: string;
  verdicts: PersonVerdict[];
  eventId: string;
  correlationId: string;
}

/** An officer's decision to go on despite a verdict that blocks approval. */
export interface MatchOverride {
  by: string;
  at: string;
  reason: string;
}

/** A person on the case; the identification number is kept masked (data minimisation, domain.md §6). */
export interface CasePerson {
  role: string;
  fullName: string;
  maskedPersonalId: string;
  dateOfBirth: string;
  gender: string;
  /** Absent until population-matching reports. */
  verdict?: MatchVerdict;
  mismatchedFields?: string[];
  /**
   * Why population-matching gave its automatic verdict, as its closed list of codes (services/population-matching
   * README, `Reason codes`): e.g. `DOB_DAY_MONTH_SWAPPED`, `NAME_DIACRITICS_ONLY`. Kept after an officer's resolution.
   */
  reasons?: string[];
  /** How population-matching's review queue decided the verdict, when an officer did. */
  resolution?: MatchResolution;
  override?: MatchOverride;
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
  /** The action that led here (absent for the receipt). */
  action?: string;
  note?: string;
}

/** A document the LRO produced for the case (supplement request form 02, apology letter form 04...). */
export interface CaseDocument {
  kind: 'SUPPLEMENT_REQUEST' | 'APOLOGY_LETTER' | 'TAX_NOTICE' | 'CERTIFICATE';
  /** Form of Circular 01/2018/TT-VPCP, when there is one. */
  form?: string;
  number: string;
  issuedAt: string;
  /** Text of the document; never a full identification number. */
  content: string;
}

/** The worker holding the case and until when (an expiring lease). */
export interface CaseClaim {
  userId: string;
  until: string;
}

/** An Idempotency-Key already used on the case, with the fingerprint of its request and what it answered. */
export interface AppliedKey {
  key: string;
  userId: string;
  hash: string;
  state: CaseState;
  version: number;
}

export interface Case {
  dossierCode: string;
  procedureCode: string;
  caseCode?: string;
  communeCode: string;
  /**
   * LRO branch with jurisdiction over the land (the first parcel's commune a branch serves, ADR 0008), or the one a
   * supervisor moved the case to; undefined when no branch serves the land (visible, never dropped).
   */
  branchCode?: string;
  /** Other branches holding parcels of the dossier (a multi-branch case, ADR 0008); absent when none. */
  otherBranchCodes?: string[];
  /** When the commune received the dossier (RFC 3339); the statutory clock counts from it. */
  receivedAt: string;
  /** When the LRO got it. */
  arrivedAt: string;
  state: CaseState;
  /** Optional steps of the procedure (from the catalogue at receipt). */
  steps: CaseSteps;
  /** Steps already done. */
  progress: CaseProgress;
  /** The statutory clock ledger (pauses included). */
  clock: ClockLedgerSnapshot;
  /** The due date as of the last change, UTC ISO: the worklist's sort key (exact for cases whose clock runs). */
  dueAt: string;
  /** Whether the clock is paused (as of the last change). */
  paused: boolean;
  /** False once the case reached a terminal state. */
  open: boolean;
  claim?: CaseClaim;
  persons: CasePerson[];
  parcels: CaseParcel[];
  /** The letters the LRO issued. */
  documents: CaseDocument[];
  /**
   * The dossier's files by reference (submission, supplements, LRO results); see case-attachments.ts. Absent on
   * cases opened before attachments were kept.
   */
  attachments?: CaseAttachment[];
  history: CaseHistoryEntry[];
  /** Due dates for which the due-soon and overdue alerts fired (fire once per case and threshold). */
  alerts: { dueSoonFor?: string; overdueFor?: string };
  appliedKeys: AppliedKey[];
  audit: AuditEntry[];
  version: number;
  /** Correlation id of the dossier's journey (from dossier.submitted), carried by every case event. */
  correlationId?: string;
  /** Highest `sequence` of the dossier-intake stream applied to this case. */
  intakeSequence: number;
  /** Highest `sequence` of the population-matching stream applied to this case. */
  matchSequence: number;
}

/** Which optional steps the procedure has (domain.md §9). */
export interface CaseSteps {
  /** Public posting is part of the procedure and must be done before tax and approval. */
  publicPosting: boolean;
  /** Financial obligations apply: tax must be referred and the obligation met before approval. */
  financialObligation: boolean;
}

export interface CaseProgress {
  posted?: boolean;
  fieldChecked?: boolean;
  obligationMet?: boolean;
  supplementRequests: number;
}

/** Data of the `case.received` event. */
export interface CaseReceivedData {
  dossierCode: string;
  branchCode?: string;
  procedureCode: string;
  communeCode: string;
  receivedAt: string;
  /** The due date the ledger starts from, +07:00 (ADR 0009). */
  dueAt: string;
  /** Opened from `dossier.imported` (a backlog dossier): notification tells nobody about this opening. */
  imported?: boolean;
  /** The state it opened in, for an imported case (RECEIVED otherwise). */
  state?: CaseState;
  /** The portal status the opened case shows, for an imported case (4 otherwise). */
  portalStatusCode?: number;
  /** The reconstructed pauses of an imported case, oldest first. */
  pausedIntervals?: { state: string; from: string; to?: string }[];
}
