import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { ClientEventType, DossierEventType } from '@lienthong/event-contracts';
import { ReliableConsumer, Topics } from '@lienthong/messaging';
import { tagActiveSpan } from '@lienthong/observability';
import { PlanNotificationsHandler } from '../../application/plan-notifications/plan-notifications.handler';
import { RecordContactsHandler } from '../../application/record-contacts/record-contacts.handler';
import { RecordSubscriptionHandler } from '../../application/record-subscription/record-subscription.handler';

/**
 * dossier-intake's events: the applicant's contacts from `dossier.submitted`, the front desk's status changes (what
 * to tell whom), and the intake systems' webhook subscriptions. One dossier's events share a partition, so its
 * contacts are stored before its first status change is planned.
 */
@Controller()
export class DossierEventsConsumer {
  constructor(
    private readonly consumer: ReliableConsumer,
    private readonly contacts: RecordContactsHandler,
    private readonly plan: PlanNotificationsHandler,
    private readonly subscriptions: RecordSubscriptionHandler,
  ) {}

  @EventPattern(Topics.DossierEvents)
  async onDossierEvent(@Payload() message: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(context, message, async (event) => {
      tagActiveSpan({ dossierCode: event.subject });
      // An imported backlog dossier gives its contacts too, for the later steps of its case (its opening is silent).
      if (event.type === DossierEventType.Submitted || event.type === DossierEventType.Imported)
        await this.contacts.execute(event);
      else if (event.type === DossierEventType.StatusChanged) await this.plan.execute(event);
      // Supplements and withdrawals reach citizens through the status change they cause.
    });
  }

  @EventPattern(Topics.ClientEvents)
  async onClientEvent(@Payload() message: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(context, message, async (event) => {
      if (event.type === ClientEventType.WebhookSubscribed) await this.subscriptions.execute(event);
    });
  }
}
