import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { parseEnvelope, Topics } from '@lienthong/messaging';
import { tagActiveSpan } from '@lienthong/observability';
import { personsOf, VerificationState, type PersonToVerify } from '../../domain/verification-request';
import { MongoVerificationRequestRepository } from '../../infrastructure/mongo/mongo-verification-request.repository';

/** Records, for every submitted dossier, the persons to verify against the population registry. */
@Controller()
export class DossierEventsConsumer {
  constructor(private readonly requests: MongoVerificationRequestRepository) {}

  @EventPattern(Topics.DossierEvents)
  async onDossierEvent(@Payload() message: unknown): Promise<void> {
    const event = parseEnvelope(message);
    if (event.type !== 'dossier.submitted') return;
    tagActiveSpan({ dossierCode: event.subject });
    const data = event.data as { applicant: Omit<PersonToVerify, 'role'>; parties: PersonToVerify[] };
    await this.requests.createIfAbsent({
      dossierCode: event.subject,
      state: VerificationState.AwaitingRegistry,
      persons: personsOf(data),
      requestedAt: new Date().toISOString(),
      intakeSequence: event.sequence,
    });
  }
}
