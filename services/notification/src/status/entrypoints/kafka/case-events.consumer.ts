import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { ReliableConsumer, Topics } from '@lienthong/messaging';
import { tagActiveSpan } from '@lienthong/observability';
import { MongoStatusLogRepository } from '../../infrastructure/mongo/mongo-status-log.repository';

/** Records every case status change once, in order, per dossier. */
@Controller()
export class CaseEventsConsumer {
  constructor(
    private readonly logs: MongoStatusLogRepository,
    private readonly consumer: ReliableConsumer,
  ) {}

  @EventPattern(Topics.CaseEvents)
  async onCaseEvent(@Payload() message: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(context, message, async (event) => {
      tagActiveSpan({ dossierCode: event.subject });
      await this.logs.append(event.subject, {
        type: event.type,
        eventId: event.id,
        sequence: event.sequence,
        at: event.time,
      });
    });
  }
}
