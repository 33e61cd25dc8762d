import { Injectable } from '@nestjs/common';
import { Channel, type PlannedDelivery } from '../../domain/delivery';
import { ChannelSender, DeliveryError, type SendReceipt } from '../../domain/delivery.ports';
import type { WebhookSubscription } from '../../domain/status-change';
import { signWebhook } from '../../domain/webhook-signature';
import { postToTarget, RequestFailedError } from '../http/guarded-http.client';
import { TargetGuard, TargetRefusedError } from '../http/target-guard';

/**
 * Signed webhooks to the intake system's registered URL (Standard Webhooks: `webhook-id` = delivery id, the same on
 * every retry; `webhook-timestamp` of the attempt; `webhook-signature` v1 HMAC-SHA256). Only the URL from the
 * client's subscription is used; the target guard refuses internal addresses before any connection; redirects are
 * failures, not followed; the answer's body is never read into logs or events, only its status.
 */
@Injectable()
export class WebhookSender extends ChannelSender {
  readonly channel = Channel.Webhook;

  constructor(
    private readonly guard: TargetGuard,
    private readonly timeoutMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
  }

  async send(delivery: PlannedDelivery, subscription?: WebhookSubscription): Promise<SendReceipt> {
    if (delivery.content.channel !== 'WEBHOOK' || !subscription) {
      throw new DeliveryError('NO_SUBSCRIPTION', `client ${delivery.address} has no webhook`, true);
    }
    let target;
    try {
      target = await this.guard.check(subscription.url);
    } catch (error) {
      if (error instanceof TargetRefusedError) throw new DeliveryError(error.code, error.message, true);
      throw error;
    }
    const body = JSON.stringify(delivery.content.payload);
    const signature = signWebhook(
      subscription.secret,
      delivery.deliveryId,
      Math.floor(this.now().getTime() / 1000),
      body,
    );
    let response;
    try {
      response = await postToTarget(
        target,
        { 'content-type': 'application/json', 'user-agent': 'lienthong-notification/1', ...signature },
        body,
        this.timeoutMs,
      );
    } catch (error) {
      if (error instanceof RequestFailedError) {
        throw new DeliveryError(error.code === 'TIMEOUT' ? 'PROVIDER_TIMEOUT' : 'PROVIDER_UNREACHABLE', error.message);
      }
      throw error;
    }
    if (response.status >= 200 && response.status < 300) return { provider: subscription.clientId };
    if (response.status >= 300 && response.status < 400) {
      throw new DeliveryError(
        'REDIRECT_REFUSED',
        `the receiver answered ${response.status}; redirects are not followed`,
        true,
      );
    }
    // 410 Gone: the receiver says the endpoint is retired (Standard Webhooks); anything else may pass.
    throw new DeliveryError('RECEIVER_ERROR', `the receiver answered ${response.status}`, response.status === 410);
  }
}
