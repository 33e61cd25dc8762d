import { Injectable } from '@nestjs/common';
import { DossierEventType, parseEventData } from '@lienthong/event-contracts';
import type { EventEnvelope } from '@lienthong/messaging';
import { tagActiveSpan } from '@lienthong/observability';
import { planDeliveries } from '../../domain/delivery';
import { DeliveryQueue, DeliveryRepository, DirectoryRepository } from '../../domain/delivery.ports';
import type { StatusChange } from '../../domain/status-change';

/**
 * Decides whom to tell about a status change, stores the decision (one notice per event, so a redelivered event
 * finds the first decision), and queues one job per delivery under the delivery's id. Resolves only once both are
 * durable, so the Kafka offset is committed after that: a crash in between redelivers the event, and the same
 * ids make the second pass a no-op.
 */
@Injectable()
export class PlanNotificationsHandler {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly queue: DeliveryQueue,
  ) {}

  async execute(event: EventEnvelope): Promise<number> {
    const data = parseEventData(DossierEventType.StatusChanged, event.data);
    tagActiveSpan({
      dossierCode: data.dossierCode,
      procedureCode: data.procedureCode,
      communeCode: data.receivingUnitCode,
    });
    // The LRO opening a case imported from the backlog changes nothing for the citizen or the intake system (they
    // knew the dossier before go-live): no message, no webhook. Later steps of the case are announced as usual.
    if (data.imported) return 0;
    const existing = await this.deliveries.findNotice(event.id);
    let notice = existing;
    if (!notice) {
      const change: StatusChange = { eventId: event.id, ...data };
      const [contacts, subscription] = await Promise.all([
        this.directory.findContacts(data.dossierCode),
        this.directory.findSubscription(data.clientId),
      ]);
      notice = await this.deliveries.saveNotice({
        eventId: event.id,
        dossierCode: data.dossierCode,
        clientId: data.clientId,
        plannedAt: new Date().toISOString(),
        deliveries: planDeliveries(change, contacts, subscription !== null),
      });
    }
    await this.queue.enqueue(
      notice.deliveries.map((d) => ({
        deliveryId: d.deliveryId,
        eventId: notice.eventId,
        dossierCode: notice.dossierCode,
        channel: d.channel,
        correlationId: event.correlationId,
      })),
    );
    return notice.deliveries.length;
  }
}
