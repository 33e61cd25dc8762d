import { Injectable } from '@nestjs/common';
import { DeliveryQueue, DeliveryRepository, DeliveryStatus, type DeliveryJob } from '../../domain/delivery.ports';

/**
 * Rebuilds the delivery queue from the database (architecture §5: nothing durable lives only in Redis): every
 * delivery of a recent notice that is neither sent nor given up is queued again under its id. Where its job still
 * exists the add is a no-op; after a Redis loss it runs again, continuing the attempt count it had reached, and the
 * provider's idempotency key covers a message that had in fact been sent.
 */
@Injectable()
export class ReconcileDeliveriesHandler {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly queue: DeliveryQueue,
  ) {}

  /** Re-queues the unsettled deliveries of notices planned since `since`; returns how many were queued. */
  async execute(since: Date): Promise<number> {
    const jobs: DeliveryJob[] = [];
    for (const notice of await this.deliveries.noticesSince(since)) {
      for (const delivery of notice.deliveries) {
        const outcome = await this.deliveries.findOutcome(delivery.deliveryId);
        if (outcome && (outcome.status === DeliveryStatus.Sent || outcome.status === DeliveryStatus.Failed)) continue;
        jobs.push({
          deliveryId: delivery.deliveryId,
          eventId: notice.eventId,
          dossierCode: notice.dossierCode,
          channel: delivery.channel,
          ...(outcome ? { priorAttempts: outcome.attempts } : {}),
        });
      }
    }
    for (let i = 0; i < jobs.length; i += 500) await this.queue.enqueue(jobs.slice(i, i + 500));
    return jobs.length;
  }
}
