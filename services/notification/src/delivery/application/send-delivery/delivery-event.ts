import { DeliveryEventType, type DeliveryFailedV1, type DeliverySentV1 } from '@lienthong/event-contracts';
import { createEvent, ServiceNames, type EventEnvelope } from '@lienthong/messaging';
import type { PlannedDelivery } from '../../domain/delivery';
import type { AttemptRecord, DeliveryJob } from '../../domain/delivery.ports';

/**
 * The `delivery.sent` / `delivery.failed` event of one attempt, in the flow of the status event that caused it.
 * `sequence` is the attempt number: it increases per delivery (`deliveryId`), which is what consumers deduplicate
 * by; the subject is the dossier code, so a dossier's deliveries stay on one partition.
 */
export function deliveryEvent(
  delivery: PlannedDelivery,
  record: AttemptRecord,
  job: DeliveryJob,
): EventEnvelope<DeliverySentV1 | DeliveryFailedV1> {
  const common = {
    dossierCode: delivery.dossierCode,
    deliveryId: delivery.deliveryId,
    channel: delivery.channel,
    recipient: delivery.recipient,
    template: delivery.template,
    attempt: record.attempt,
    at: record.at,
  };
  const data: DeliverySentV1 | DeliveryFailedV1 =
    record.status === 'SENT'
      ? common
      : {
          ...common,
          error: record.error!,
          final: record.status === 'FAILED',
          ...(record.nextAttemptAt ? { nextAttemptAt: record.nextAttemptAt } : {}),
        };
  return createEvent({
    type: record.status === 'SENT' ? DeliveryEventType.Sent : DeliveryEventType.Failed,
    source: `/${ServiceNames.Notification}`,
    subject: delivery.dossierCode,
    sequence: record.attempt,
    data,
    causationId: job.eventId,
    ...(job.correlationId ? { correlationId: job.correlationId } : {}),
    time: new Date(record.at),
  });
}
