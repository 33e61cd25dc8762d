import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Clock, ConflictError, ValidationError } from '@lienthong/kernel';
import { createEvent, ServiceNames, toOutboxEntries } from '@lienthong/messaging';
import { ClientEventsRelay, ClientRepository } from '../domain/client.ports';
import { webhookUrlProblems, type WebhookSubscription } from '../domain/webhook-subscription';

/** Whether callback URLs may name loopback or private hosts over http (local development only). */
export abstract class WebhookPolicy {
  abstract readonly allowPrivateHosts: boolean;
}

/**
 * Sets (or replaces) the intake system's status-change webhook and announces it with `client.webhook-subscribed`
 * for notification, which signs and sends the callbacks. Without a secret in the request one is generated; the
 * answer is the only place it is shown.
 */
@Injectable()
export class SubscribeWebhookHandler {
  private readonly logger = new Logger(SubscribeWebhookHandler.name);

  constructor(
    private readonly clients: ClientRepository,
    private readonly relay: ClientEventsRelay,
    private readonly policy: WebhookPolicy,
    private readonly clock: Clock,
  ) {}

  async execute(clientId: string, request: { url: string; secret?: string }): Promise<WebhookSubscription> {
    const problems = webhookUrlProblems(request.url, this.policy.allowPrivateHosts);
    if (problems.length > 0) throw new ValidationError('The webhook cannot be registered.', problems);
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const current = await this.clients.find(clientId);
      const version = current?.version ?? 0;
      const now = this.clock.now();
      const webhook: WebhookSubscription = {
        clientId,
        url: request.url,
        secret: request.secret ?? `whsec_${randomBytes(32).toString('base64')}`,
        subscribedAt: now.toISOString(),
      };
      const event = createEvent({
        type: 'client.webhook-subscribed',
        source: `/${ServiceNames.DossierIntake}`,
        subject: clientId,
        sequence: version + 1,
        data: webhook,
        time: now,
      });
      if (await this.clients.save({ clientId, webhook, version: version + 1 }, version, toOutboxEntries([event]))) {
        this.relay.relay(clientId).catch((e: unknown) => {
          this.logger.warn(`webhook of ${clientId} stored; event publish deferred to the sweeper: ${String(e)}`);
        });
        return webhook;
      }
    }
    throw new ConflictError('The webhook subscription is being changed concurrently; retry.', 1);
  }

  /** The subscription in force, without its secret; null when there is none. */
  async current(clientId: string): Promise<Omit<WebhookSubscription, 'secret'> | null> {
    const webhook = (await this.clients.find(clientId))?.webhook;
    if (!webhook) return null;
    const { secret: _secret, ...shown } = webhook;
    return shown;
  }
}
