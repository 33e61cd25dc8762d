import { Injectable, Logger } from '@nestjs/common';
import { ClientEventType, parseEventData } from '@lienthong/event-contracts';
import type { EventEnvelope } from '@lienthong/messaging';
import { DirectoryRepository } from '../../domain/delivery.ports';

/** Registers an intake system's webhook (the latest subscription per client is the one in force). */
@Injectable()
export class RecordSubscriptionHandler {
  private readonly logger = new Logger(RecordSubscriptionHandler.name);

  constructor(private readonly directory: DirectoryRepository) {}

  async execute(event: EventEnvelope): Promise<void> {
    const data = parseEventData(ClientEventType.WebhookSubscribed, event.data);
    const applied = await this.directory.saveSubscription({
      clientId: data.clientId,
      url: data.url,
      secret: data.secret,
      subscribedAt: data.subscribedAt,
      sequence: event.sequence,
    });
    // The secret is never logged; the URL is the client's own configuration.
    if (applied) this.logger.log(`webhook of client ${data.clientId} registered`);
  }
}
