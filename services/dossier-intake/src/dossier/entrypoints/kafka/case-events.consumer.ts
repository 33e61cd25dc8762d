import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { ReliableConsumer, Topics } from '@lienthong/messaging';
import { RecordCaseEventHandler } from '../../application/record-case-event/record-case-event.handler';

/**
 * Consumes the LRO's case events and population matching's results so the front desk sees what happens to its
 * dossiers. Both topics are read by the service's one consumer group (`dossier-intake.registration-office-case`).
 */
@Controller()
export class CaseEventsConsumer {
  constructor(
    private readonly record: RecordCaseEventHandler,
    private readonly consumer: ReliableConsumer,
  ) {}

  @EventPattern(Topics.CaseEvents)
  async onCaseEvent(@Payload() message: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(context, message, (event) => this.record.execute(event));
  }

  @EventPattern(Topics.MatchEvents)
  async onMatchEvent(@Payload() message: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(context, message, (event) => this.record.execute(event));
  }
}
