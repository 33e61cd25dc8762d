import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { DossierSubmittedType, parseDossierSubmittedV1 } from '@lienthong/event-contracts';
import { ReliableConsumer, Topics } from '@lienthong/messaging';
import { tagActiveSpan } from '@lienthong/observability';
import { personsOf, VerificationState } from '../../domain/verification-request';
import { MongoVerificationRequestRepository } from '../../infrastructure/mongo/mongo-verification-request.repository';

/** Records, for every submitted dossier, the persons to verify against the population registry. */
@Controller()
export class DossierEventsConsumer {
  constructor(
    private readonly requests: MongoVerificationRequestRepository,
    private readonly consumer: ReliableConsumer,
  ) {}

  @EventPattern(Topics.DossierEvents)
  async onDossierEvent(@Payload() message: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(context, message, async (event) => {
      if (event.type !== DossierSubmittedType) return;
      const data = parseDossierSubmittedV1(event.data);
      tagActiveSpan({
        dossierCode: event.subject,
        procedureCode: data.procedureCode,
        communeCode: data.receivingUnitCode,
      });
      await this.requests.createIfAbsent({
        dossierCode: event.subject,
        state: VerificationState.AwaitingRegistry,
        persons: personsOf(data),
        requestedAt: new Date().toISOString(),
        intakeSequence: event.sequence,
      });
    });
  }
}
