import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { parseEnvelope, Topics } from '@lienthong/messaging';
import { tagActiveSpan } from '@lienthong/observability';
import { MongoStatusLogRepository } from '../../infrastructure/mongo/mongo-status-log.repository';

/** Records every case status change once, in order, per dossier. */
@Controller()
export class CaseEventsConsumer {
  constructor(private readonly logs: MongoStatusLogRepository) {}

  @EventPattern(Topics.CaseEvents)
  async onCaseEvent(@Payload() message: unknown): Promise<void> {
    const event = parseEnvelope(message);
    tagActiveSpan({ dossierCode: event.subject });
    await this.logs.append(event.subject, {
      type: event.type,
      eventId: event.id,
      sequence: event.sequence,
      at: event.time,
    });
  }
}
