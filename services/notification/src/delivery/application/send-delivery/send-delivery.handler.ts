import { Injectable, Logger } from '@nestjs/common';
import { tagActiveSpan } from '@lienthong/observability';
import type { PlannedDelivery } from '../../domain/delivery';
import {
  ChannelSender,
  DeliveryError,
  DeliveryEventsRelay,
  DeliveryRepository,
  DeliveryStatus,
  DirectoryRepository,
  type AttemptRecord,
  type DeliveryJob,
} from '../../domain/delivery.ports';
import { DeliveryMetrics } from '../delivery-metrics';
import { deliveryEvent } from './delivery-event';

/** Where an attempt left the delivery; the queue retries `retry` after its backoff. */
export type AttemptOutcome = 'sent' | 'settled' | 'retry' | 'failed';

/** The attempt being made and the retry policy around it. */
export interface AttemptContext {
  /** 1 for the first attempt. */
  attempt: number;
  maxAttempts: number;
  /** Delay before the next attempt, if there is one. */
  nextDelayMs: number;
}

/** The senders of every channel, one per channel (multi-provider injection token). */
export abstract class ChannelSenders {
  abstract readonly all: readonly ChannelSender[];
}

/**
 * Makes one attempt of one delivery. A delivery already settled (sent, or given up) is not sent again, so a job
 * that a crashed worker had finished is harmless when it runs again. The provider gets the delivery id as its
 * idempotency key (SMS client message id, ZNS tracking id, Message-ID, webhook-id): if a worker dies after the
 * provider accepted a message and before the outcome was recorded, the resend is recognised by the provider.
 * Each outcome and its `delivery.*` event are one write (outbox), then relayed.
 */
@Injectable()
export class SendDeliveryHandler {
  private readonly logger = new Logger(SendDeliveryHandler.name);

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly directory: DirectoryRepository,
    private readonly senders: ChannelSenders,
    private readonly relay: DeliveryEventsRelay,
    private readonly metrics: DeliveryMetrics,
  ) {}

  async execute(job: DeliveryJob, context: AttemptContext): Promise<AttemptOutcome> {
    tagActiveSpan({ dossierCode: job.dossierCode });
    const outcome = await this.deliveries.findOutcome(job.deliveryId);
    if (outcome && (outcome.status === DeliveryStatus.Sent || outcome.status === DeliveryStatus.Failed))
      return 'settled';
    const notice = await this.deliveries.findNotice(job.eventId);
    const delivery = notice?.deliveries.find((d) => d.deliveryId === job.deliveryId);
    if (!notice || !delivery) throw new Error(`delivery ${job.deliveryId} has no notice ${job.eventId}`);

    let record: AttemptRecord;
    try {
      const receipt = await this.send(delivery);
      record = {
        deliveryId: delivery.deliveryId,
        attempt: context.attempt,
        at: new Date().toISOString(),
        status: 'SENT',
        receipt,
      };
    } catch (error) {
      const failure =
        error instanceof DeliveryError
          ? error
          : new DeliveryError('INTERNAL_ERROR', error instanceof Error ? error.name : 'unexpected failure');
      const final = failure.permanent || context.attempt >= context.maxAttempts;
      record = {
        deliveryId: delivery.deliveryId,
        attempt: context.attempt,
        at: new Date().toISOString(),
        status: final ? 'FAILED' : 'RETRYING',
        error: { code: failure.code, message: failure.message },
        ...(final ? {} : { nextAttemptAt: new Date(Date.now() + context.nextDelayMs).toISOString() }),
      };
    }
    await this.deliveries.recordAttempt(notice, delivery, record, deliveryEvent(delivery, record, job));
    await this.relay.relay(delivery.deliveryId).catch((error: unknown) => {
      // The outcome is stored with its event; the sweeper publishes it.
      this.logger.warn(`relay of delivery ${delivery.deliveryId} deferred: ${String(error)}`);
    });
    if (record.status === 'SENT') {
      this.metrics.attempt(delivery.channel, 'sent');
      return 'sent';
    }
    if (record.status === 'RETRYING') {
      this.metrics.attempt(delivery.channel, 'retrying');
      return 'retry';
    }
    this.metrics.attempt(delivery.channel, 'failed');
    this.metrics.givenUp(delivery.channel, record.error!.code);
    this.logger.warn(
      `delivery ${delivery.deliveryId} (${delivery.channel} to ${delivery.recipient}) for ${delivery.dossierCode} given up after attempt ${context.attempt}: ${record.error!.code}`,
    );
    return 'failed';
  }

  private async send(delivery: PlannedDelivery) {
    const sender = this.senders.all.find((s) => s.channel === delivery.channel);
    if (!sender) throw new DeliveryError('CHANNEL_UNAVAILABLE', `no sender for ${delivery.channel}`, true);
    if (delivery.channel !== 'WEBHOOK') return sender.send(delivery);
    const subscription = await this.directory.findSubscription(delivery.address);
    if (!subscription) throw new DeliveryError('NO_SUBSCRIPTION', `client ${delivery.address} has no webhook`, true);
    return sender.send(delivery, subscription);
  }
}
