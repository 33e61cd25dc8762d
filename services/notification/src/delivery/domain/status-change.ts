/**
 * What notification learns from dossier-intake: the front desk's status of a dossier, and the contacts it may use
 * to tell people about it. Pure TypeScript.
 */

/** Front-desk statuses of dossier-intake, each mapped 1:1 to the national portal's TrangThaiHoSo (domain.md §2.1). */
export const DossierStatus = {
  /** 1 Mới đăng ký */
  Submitted: 'SUBMITTED',
  /** 2 Được tiếp nhận */
  Received: 'RECEIVED',
  /** 3 Không được tiếp nhận */
  RejectedAtIntake: 'REJECTED_AT_INTAKE',
  /** 4 Đang xử lý */
  InProgress: 'IN_PROGRESS',
  /** 5 Yêu cầu bổ sung giấy tờ */
  SupplementRequested: 'SUPPLEMENT_REQUESTED',
  /** 6 Yêu cầu thực hiện nghĩa vụ tài chính */
  AwaitingFinancialObligation: 'AWAITING_FINANCIAL_OBLIGATION',
  /** 7 Công dân yêu cầu rút hồ sơ */
  WithdrawalRequested: 'WITHDRAWAL_REQUESTED',
  /** 8 Dừng xử lý */
  Stopped: 'STOPPED',
  /** 9 Đã xử lý xong */
  Processed: 'PROCESSED',
  /** 10 Đã trả kết quả */
  ResultReturned: 'RESULT_RETURNED',
} as const;
export type DossierStatus = (typeof DossierStatus)[keyof typeof DossierStatus];

/** A `dossier.status-changed` event, as notification uses it. */
export interface StatusChange {
  /** Id of the event; with the channel and the recipient it identifies a delivery. */
  eventId: string;
  dossierCode: string;
  procedureCode: string;
  receivingUnitCode: string;
  /** The intake system that submitted the dossier: the webhook's addressee. */
  clientId: string;
  status: DossierStatus;
  /** TrangThaiHoSo 1–10. */
  portalStatusCode: number;
  previousStatus?: DossierStatus;
  /** Legal due date, RFC 3339 +07:00. */
  dueAt: string;
  changedAt: string;
  /**
   * Free text from the LRO or the desk (supplement request, rejection reason). Free text may name people, so it
   * goes to the intake system's webhook only, never into a citizen message (domain.md §6 rule 3).
   */
  reason?: string;
  /** When the result can be collected. */
  appointmentAt?: string;
  /**
   * Present when the LRO moved the due date with an apology letter (form 04): `dueAt` is the new date and the status
   * may be unchanged. The citizen is told the new date (ADR 0009).
   */
  dueDateChange?: { previousDueAt: string; letterNumber: string };
}

/** The applicant's contacts, from `dossier.submitted`: the only personal data notification keeps. */
export interface ApplicantContact {
  fullName: string;
  phone?: string;
  email?: string;
}

/** Contacts of one dossier. */
export interface DossierContacts {
  dossierCode: string;
  procedureCode: string;
  clientId?: string;
  applicant: ApplicantContact;
}

/** An intake system's registered webhook (from `client.webhook-subscribed`). */
export interface WebhookSubscription {
  clientId: string;
  url: string;
  /** Standard Webhooks secret, `whsec_<base64>`. */
  secret: string;
  subscribedAt: string;
  /** Sequence of the event that set it; a stale one never overwrites a newer one. */
  sequence: number;
}
