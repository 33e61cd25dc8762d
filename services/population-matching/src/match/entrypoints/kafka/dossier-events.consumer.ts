import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { DossierEventType, parseDossierSubmittedV1, parseEventData } from '@lienthong/event-contracts';
import { ReliableConsumer, Topics } from '@lienthong/messaging';
import { tagActiveSpan } from '@lienthong/observability';
import { RecordDossierHandler } from '../../application/record-dossier.handler';

/**
 * Starts a verification round for every submitted dossier (its persons) and every supplemented one (the persons not
 * yet matched). The lookups themselves run from the queue, so a slow or absent registry never holds the partition.
 */
@Controller()
export class DossierEventsConsumer {
  constructor(
    private readonly handler: RecordDossierHandler,
    private readonly consumer: ReliableConsumer,
  ) {}

  @EventPattern(Topics.DossierEvents)
  async onDossierEvent(@Payload() message: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(context, message, async (event) => {
      const facts = {
        dossierCode: event.subject,
        sequence: event.sequence,
        eventId: event.id,
        correlationId: event.correlationId,
      };
      if (event.type === DossierEventType.Submitted) {
        const data = parseDossierSubmittedV1(event.data);
        tagActiveSpan({
          dossierCode: event.subject,
          procedureCode: data.procedureCode,
          communeCode: data.receivingUnitCode,
        });
        await this.handler.submitted(facts, data);
      } else if (event.type === DossierEventType.Imported) {
        // A backlog dossier's persons are verified only when the import asked for it: every lookup spends the
        // population registry's quota, and the dossier was accepted long ago.
        const data = parseEventData(DossierEventType.Imported, event.data);
        tagActiveSpan({
          dossierCode: event.subject,
          procedureCode: data.procedureCode,
          communeCode: data.receivingUnitCode,
        });
        await this.handler.imported(facts, data);
      } else if (event.type === DossierEventType.Supplemented) {
        const data = parseEventData(DossierEventType.Supplemented, event.data);
        tagActiveSpan({ dossierCode: event.subject, communeCode: data.receivingUnitCode });
        await this.handler.supplemented(facts);
      }
    });
  }
}
