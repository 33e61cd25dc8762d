import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { parseEnvelope, Topics } from '@lienthong/messaging';
import { RecordCaseEventHandler } from '../../application/record-case-event/record-case-event.handler';

/** Consumes the LRO's case events so the front desk sees what happens to its dossiers. */
@Controller()
export class CaseEventsConsumer {
  constructor(private readonly record: RecordCaseEventHandler) {}

  @EventPattern(Topics.CaseEvents)
  async onCaseEvent(@Payload() message: unknown): Promise<void> {
    await this.record.execute(parseEnvelope(message));
  }
}
