import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { parseEnvelope, Topics, type OutboxRelay } from '@lienthong/messaging';
import { OUTBOX_RELAY } from '@lienthong/runtime';
import { ReceiveCaseHandler } from '../../application/receive-case/receive-case.handler';

/** Consumes the communes' dossier events: every submitted dossier becomes a case, with no re-entry. */
@Controller()
export class DossierEventsConsumer {
  private readonly logger = new Logger(DossierEventsConsumer.name);

  constructor(
    private readonly receive: ReceiveCaseHandler,
    @Inject(OUTBOX_RELAY) private readonly relay: OutboxRelay,
  ) {}

  @EventPattern(Topics.DossierEvents)
  async onDossierEvent(@Payload() message: unknown): Promise<void> {
    const event = parseEnvelope(message);
    if (event.type !== 'dossier.submitted') return;
    const created = await this.receive.execute(event);
    if (created) {
      // The case is durable; publishing now is an optimisation, the sweeper covers a failure here.
      await this.relay
        .relay(created.dossierCode)
        .catch((e: unknown) => this.logger.warn(`relay deferred: ${String(e)}`));
    }
  }
}
