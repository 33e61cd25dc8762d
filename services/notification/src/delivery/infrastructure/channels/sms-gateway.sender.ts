import { Injectable } from '@nestjs/common';
import { Channel, type PlannedDelivery } from '../../domain/delivery';
import { ChannelSender, DeliveryError, type SendReceipt } from '../../domain/delivery.ports';

/** An SMS provider (brand-name aggregator) endpoint. */
export interface SmsProvider {
  name: string;
  url: string;
}

/**
 * SMS through the configured providers in order: an attempt that the first provider cannot take (error, timeout,
 * unreachable) goes to the next within the same attempt; a request a provider rejects as invalid (4xx) is not
 * retried anywhere. The delivery id is the client message id, which providers use to absorb resends. A timeout is
 * ambiguous (the provider may have sent it), so falling back after one can, rarely, send the SMS twice from two
 * providers: the price of not leaving the citizen uninformed.
 */
@Injectable()
export class SmsGatewaySender extends ChannelSender {
  readonly channel = Channel.Sms;

  constructor(
    private readonly providers: readonly SmsProvider[],
    private readonly timeoutMs: number,
  ) {
    super();
  }

  async send(delivery: PlannedDelivery): Promise<SendReceipt> {
    if (delivery.content.channel !== 'SMS') throw new DeliveryError('INVALID_CONTENT', 'not an SMS', true);
    const failures: string[] = [];
    let timedOut = false;
    for (const provider of this.providers) {
      let response: Response;
      try {
        response = await fetch(provider.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            to: delivery.address,
            text: delivery.content.text,
            clientMessageId: delivery.deliveryId,
          }),
          signal: AbortSignal.timeout(this.timeoutMs),
          redirect: 'manual',
        });
      } catch (error) {
        const timeout = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        timedOut ||= timeout;
        failures.push(`${provider.name} ${timeout ? 'timed out' : 'unreachable'}`);
        continue;
      }
      if (response.status >= 200 && response.status < 300) {
        const answer = (await response.json().catch(() => ({}))) as { messageId?: unknown };
        return {
          provider: provider.name,
          ...(typeof answer.messageId === 'string' ? { providerMessageId: answer.messageId } : {}),
        };
      }
      await response.body?.cancel();
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
        throw new DeliveryError(
          'PROVIDER_REJECTED',
          `${provider.name} rejected the message (${response.status})`,
          true,
        );
      }
      failures.push(`${provider.name} answered ${response.status}`);
    }
    throw new DeliveryError(
      timedOut ? 'PROVIDER_TIMEOUT' : 'PROVIDER_UNAVAILABLE',
      `no SMS provider took it: ${failures.join(', ')}`,
    );
  }
}
