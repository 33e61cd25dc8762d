import type { Channel, PlannedDelivery } from './delivery';
import type { DossierContacts, WebhookSubscription } from './status-change';

/** Outcome of one attempt, as the delivery log keeps it. */
export const DeliveryStatus = {
  /** Planned, not attempted yet (or its first attempt is in flight). */
  Pending: 'PENDING',
  /** The provider accepted it. */
  Sent: 'SENT',
  /** An attempt failed; another one is scheduled. */
  Retrying: 'RETRYING',
  /** Given up: retries exhausted or a failure no retry can fix. */
  Failed: 'FAILED',
} as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

/** A failed attempt: stable code, and a message that never holds personal data or a response body. */
export class DeliveryError extends Error {
  constructor(
    /** e.g. `PROVIDER_TIMEOUT`, `PROVIDER_ERROR`, `TARGET_FORBIDDEN`, `REDIRECT_REFUSED`, `NO_SUBSCRIPTION`. */
    readonly code: string,
    message: string,
    /** True when no retry can succeed (bad address, refused target): the delivery is given up at once. */
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** What a provider answered when it accepted a message. */
export interface SendReceipt {
  /** The provider that took it (`primary`, `secondary`, `zalo-zns`, `smtp`, the client id). */
  provider: string;
  providerMessageId?: string;
}

/** The result of one delivery attempt, recorded in the log. */
export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  at: string;
  status: Exclude<DeliveryStatus, 'PENDING'>;
  receipt?: SendReceipt;
  error?: { code: string; message: string };
  /** When the next attempt is due (RETRYING only). */
  nextAttemptAt?: string;
}

/** One entry of the delivery log of a dossier: addresses masked. */
export interface DeliveryLogEntry {
  deliveryId: string;
  eventId: string;
  channel: Channel;
  recipient: string;
  template: string;
  status: DeliveryStatus;
  attempts: number;
  plannedAt: string;
  lastAttemptAt?: string;
  provider?: string;
  lastError?: { code: string; message: string };
}

/** The decisions taken for one status event (one document per event, `_id` = event id). */
export interface Notice {
  eventId: string;
  dossierCode: string;
  /** The intake system the dossier belongs to: the only client that may read its delivery log. */
  clientId: string;
  plannedAt: string;
  deliveries: PlannedDelivery[];
}

/** Sends one delivery over its channel; throws DeliveryError. `deliveryId` is the provider's idempotency key. */
export abstract class ChannelSender {
  abstract readonly channel: Channel;
  abstract send(delivery: PlannedDelivery, subscription?: WebhookSubscription): Promise<SendReceipt>;
}

/** Contacts and webhook subscriptions learnt from dossier-intake. */
export abstract class DirectoryRepository {
  /** Stores the contacts once (the first `dossier.submitted` wins; a redelivery changes nothing). */
  abstract saveContacts(contacts: DossierContacts): Promise<void>;
  abstract findContacts(dossierCode: string): Promise<DossierContacts | null>;
  /** Stores the subscription unless a newer one (higher sequence) is stored; returns whether it was applied. */
  abstract saveSubscription(subscription: WebhookSubscription): Promise<boolean>;
  abstract findSubscription(clientId: string): Promise<WebhookSubscription | null>;
}

/** Notices and the outcome of every delivery, with the `delivery.*` events in the same writes (outbox). */
export abstract class DeliveryRepository {
  /** Stores the notice unless one exists for the event; returns the stored one (the first decision stands). */
  abstract saveNotice(notice: Notice): Promise<Notice>;
  abstract findNotice(eventId: string): Promise<Notice | null>;
  /** The recorded outcome of a delivery; null before its first attempt ended. */
  abstract findOutcome(deliveryId: string): Promise<{ status: DeliveryStatus; attempts: number } | null>;
  /**
   * Records one attempt and its `delivery.*` event (`event`, opaque here) in one write; a repeated attempt number or
   * anything after a settled outcome changes nothing (returns false).
   */
  abstract recordAttempt(
    notice: Notice,
    delivery: PlannedDelivery,
    attempt: AttemptRecord,
    event: unknown,
  ): Promise<boolean>;
  /** The deliveries of a dossier of `clientId`, oldest status first; empty when there are none or it is another's. */
  abstract logOf(dossierCode: string, clientId: string): Promise<DeliveryLogEntry[]>;
  /** Notices planned at or after `since` (the reconciler's scan). */
  abstract noticesSince(since: Date): Promise<Notice[]>;
}

/** Publishes a delivery's pending `delivery.*` events (port; the outbox relay). */
export abstract class DeliveryEventsRelay {
  abstract relay(deliveryId: string): Promise<number>;
}

/** Work for the delivery queue: one job per delivery, its id the delivery id. */
export interface DeliveryJob {
  deliveryId: string;
  eventId: string;
  dossierCode: string;
  channel: Channel;
  /** Correlation id of the status event's flow, carried onto `delivery.*` events. */
  correlationId?: string;
  /** W3C trace context of the status event's processing (`traceparent`), so the send joins its trace. */
  trace?: Record<string, string>;
  /** Attempts recorded before this job existed (a job re-queued by the reconciler); 0 when absent. */
  priorAttempts?: number;
}

/** The delivery queue (BullMQ); adding a job whose id exists is a no-op. */
export abstract class DeliveryQueue {
  abstract enqueue(jobs: DeliveryJob[]): Promise<void>;
}
