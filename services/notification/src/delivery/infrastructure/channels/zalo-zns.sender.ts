import { Injectable } from '@nestjs/common';
import { Channel, type PlannedDelivery } from '../../domain/delivery';
import { ChannelSender, DeliveryError, type SendReceipt } from '../../domain/delivery.ports';

// ZNS error codes that no retry can fix (Zalo OpenAPI): invalid phone, user not on Zalo or blocked the OA,
// template not approved or its data invalid.
const permanentErrors = new Set([-108, -118, -119, -124, -1123, -1124]);

/** Vietnamese phone in the international form ZNS expects: `0905123456` → `84905123456`. */
export function toZaloPhone(phone: string): string {
  return phone.startsWith('0') ? `84${phone.slice(1)}` : phone;
}

/**
 * Zalo ZNS template messages. ZNS answers HTTP 200 with `error` 0 on success and a negative code otherwise; the
 * delivery id is the `tracking_id`, which ZNS uses to recognise resends.
 */
@Injectable()
export class ZaloZnsSender extends ChannelSender {
  readonly channel = Channel.Zalo;

  constructor(
    private readonly url: string,
    private readonly accessToken: string,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  async send(delivery: PlannedDelivery): Promise<SendReceipt> {
    if (delivery.content.channel !== 'ZALO') throw new DeliveryError('INVALID_CONTENT', 'not a ZNS message', true);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', access_token: this.accessToken },
        body: JSON.stringify({
          phone: toZaloPhone(delivery.address),
          template_id: delivery.content.templateId,
          template_data: delivery.content.templateData,
          tracking_id: delivery.deliveryId,
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'manual',
      });
    } catch (error) {
      const timeout = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new DeliveryError(
        timeout ? 'PROVIDER_TIMEOUT' : 'PROVIDER_UNREACHABLE',
        `ZNS ${timeout ? 'timed out' : 'unreachable'}`,
      );
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new DeliveryError('PROVIDER_UNAVAILABLE', `ZNS answered ${response.status}`);
    }
    const answer = (await response.json().catch(() => ({}))) as { error?: unknown; data?: { msg_id?: unknown } };
    if (answer.error === 0) {
      return {
        provider: 'zalo-zns',
        ...(typeof answer.data?.msg_id === 'string' ? { providerMessageId: answer.data.msg_id } : {}),
      };
    }
    const code = typeof answer.error === 'number' ? answer.error : Number.NaN;
    throw new DeliveryError('PROVIDER_REJECTED', `ZNS error ${code}`, permanentErrors.has(code));
  }
}
