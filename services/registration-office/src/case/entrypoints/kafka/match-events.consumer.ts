import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { MatchEventType, parseEventData } from '@lienthong/event-contracts';
import { ReliableConsumer, Topics } from '@lienthong/messaging';
import { RecordMatchHandler } from '../../application/record-match/record-match.handler';

/** Consumes population-matching's verdicts so the case shows them and approval can be blocked. */
@Controller()
export class MatchEventsConsumer {
  constructor(
    private readonly record: RecordMatchHandler,
    private readonly consumer: ReliableConsumer,
  ) {}

  @EventPattern(Topics.MatchEvents)
  async onMatchEvent(@Payload() message: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(context, message, async (event) => {
      if (event.type === MatchEventType.Completed) {
        const data = parseEventData(MatchEventType.Completed, event.data);
        await this.record.execute(event, data.persons);
      } else if (event.type === MatchEventType.Resolved) {
        const data = parseEventData(MatchEventType.Resolved, event.data);
        const { role, maskedPersonalId, verdict, resolvedBy, at, note, reasons } = data;
        const resolution = {
          verdict,
          by: resolvedBy.userId ?? resolvedBy.unitCode,
          unitCode: resolvedBy.unitCode,
          at,
          ...(note !== undefined ? { reason: note } : {}),
        };
        await this.record.execute(event, [
          { role, maskedPersonalId, verdict, resolution, ...(reasons !== undefined ? { reasons } : {}) },
        ]);
      }
    });
  }
}
