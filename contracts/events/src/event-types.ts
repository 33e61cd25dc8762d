import type { EventDataByType } from './generated';

/** Every event type of version 1, `<aggregate>.<past-tense-verb>` (architecture §4). */
export type EventType = keyof EventDataByType;

/** Events of `dossier-intake.dossier.events.v1`. */
export const DossierEventType = {
  Submitted: 'dossier.submitted',
  /** An open dossier received before go-live, from the backlog import (never followed by `dossier.submitted`). */
  Imported: 'dossier.imported',
  Supplemented: 'dossier.supplemented',
  Withdrawn: 'dossier.withdrawn',
  StatusChanged: 'dossier.status-changed',
} as const satisfies Record<string, EventType>;

/** Events of `dossier-intake.client.events.v1` (key and subject = client id). */
export const ClientEventType = {
  WebhookSubscribed: 'client.webhook-subscribed',
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
  StateChanged: 'case.state-changed',
  DueSoon: 'case.due-soon',
  Moved: 'case.moved',
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
 * aggregate, keyed by dossier code (the client topic by client id).
 */
export const eventTypesByTopic: Readonly<Record<string, readonly EventType[]>> = {
  'dossier-intake.dossier.events.v1': Object.values(DossierEventType),
  'dossier-intake.client.events.v1': Object.values(ClientEventType),
  'registration-office.case.events.v1': Object.values(CaseEventType),
  'population-matching.match.events.v1': Object.values(MatchEventType),
  'notification.delivery.events.v1': Object.values(DeliveryEventType),
};
