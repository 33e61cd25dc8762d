import type { EventDataByType } from './generated';

/** Every event type of version 1, `<aggregate>.<past-tense-verb>` (architecture §4). */
export type EventType = keyof EventDataByType;

/** Events of `dossier-intake.dossier.events.v1`. */
export const DossierEventType = {
  Submitted: 'dossier.submitted',
  Supplemented: 'dossier.supplemented',
  Withdrawn: 'dossier.withdrawn',
} as const satisfies Record<string, EventType>;

/** Events of `registration-office.case.events.v1`. */
export const CaseEventType = {
  Received: 'case.received',
  SupplementRequested: 'case.supplement-requested',
  Rejected: 'case.rejected',
  TaxReferred: 'case.tax-referred',
  ObligationMet: 'case.obligation-met',
  Approved: 'case.approved',
  CertificateIssued: 'case.certificate-issued',
  ResultReturned: 'case.result-returned',
  Overdue: 'case.overdue',
  ApologyIssued: 'case.apology-issued',
} as const satisfies Record<string, EventType>;

/** Events of `population-matching.match.events.v1`. */
export const MatchEventType = {
  Completed: 'match.completed',
  ReviewRequired: 'match.review-required',
  Resolved: 'match.resolved',
} as const satisfies Record<string, EventType>;

/** Events of `notification.delivery.events.v1`. */
export const DeliveryEventType = {
  Sent: 'delivery.sent',
  Failed: 'delivery.failed',
} as const satisfies Record<string, EventType>;

/** `dossier.submitted`: a dossier was accepted at a commune (kept for the consumers that import it by this name). */
export const DossierSubmittedType = DossierEventType.Submitted;
/** `case.received`: the LRO opened a case for a dossier. */
export const CaseReceivedType = CaseEventType.Received;

/**
 * The event types each topic carries (contracts/asyncapi.yaml, contracts/kafka/topics.json): one topic per producing
 * aggregate, keyed by dossier code.
 */
export const eventTypesByTopic: Readonly<Record<string, readonly EventType[]>> = {
  'dossier-intake.dossier.events.v1': Object.values(DossierEventType),
  'registration-office.case.events.v1': Object.values(CaseEventType),
  'population-matching.match.events.v1': Object.values(MatchEventType),
  'notification.delivery.events.v1': Object.values(DeliveryEventType),
};
