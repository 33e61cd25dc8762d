import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { Channel, type PlannedDelivery } from '../../domain/delivery';
import { ChannelSender, DeliveryError, type SendReceipt } from '../../domain/delivery.ports';

/** SMTP settings. */
export interface SmtpSettings {
  host: string;
  port: number;
  from: string;
  timeoutMs: number;
}

/**
 * E-mail over SMTP (nodemailer). The Message-ID is derived from the delivery id, so a resend after a crash is the
 * same message to the receiving server. 5xx answers are permanent (mailbox unknown, rejected); 4xx and connection
 * failures are retried.
 */
@Injectable()
export class SmtpSender extends ChannelSender implements OnApplicationShutdown {
  readonly channel = Channel.Email;
  private readonly transport: Transporter;

  constructor(private readonly settings: SmtpSettings) {
    super();
    this.transport = createTransport({
      host: settings.host,
      port: settings.port,
      secure: false,
      // Opportunistic STARTTLS when the server offers it (the local sandbox does not).
      pool: true,
      maxConnections: 4,
      connectionTimeout: settings.timeoutMs,
      greetingTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs,
    });
  }

  async send(delivery: PlannedDelivery): Promise<SendReceipt> {
    if (delivery.content.channel !== 'EMAIL') throw new DeliveryError('INVALID_CONTENT', 'not an e-mail', true);
    try {
      const info = (await this.transport.sendMail({
        from: this.settings.from,
        to: delivery.address,
        subject: delivery.content.message.subject,
        text: delivery.content.message.text,
        messageId: `<${delivery.deliveryId}@notification.lienthong>`,
      })) as { messageId?: string };
      return { provider: 'smtp', ...(info.messageId ? { providerMessageId: info.messageId } : {}) };
    } catch (error) {
      const { responseCode, code } = error as { responseCode?: number; code?: string };
      if (typeof responseCode === 'number') {
        throw new DeliveryError(
          responseCode >= 500 ? 'PROVIDER_REJECTED' : 'PROVIDER_UNAVAILABLE',
          `SMTP server answered ${responseCode}`,
          responseCode >= 500,
        );
      }
      const timeout = code === 'ETIMEDOUT';
      throw new DeliveryError(
        timeout ? 'PROVIDER_TIMEOUT' : 'PROVIDER_UNREACHABLE',
        `SMTP ${code ?? 'connection failed'}`,
      );
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
