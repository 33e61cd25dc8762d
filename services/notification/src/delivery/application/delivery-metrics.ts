import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { ServiceMetrics } from '@lienthong/runtime';
import type { Channel } from '../domain/delivery';

/**
 * Delivery metrics on the service's registry: `lienthong_notification_attempts_total{channel,outcome}` and
 * `lienthong_notification_deliveries_exhausted_total{channel,code}`, the one to alert on: a delivery given up after
 * its last retry (or at once, for a failure no retry can fix).
 */
@Injectable()
export class DeliveryMetrics {
  private readonly attempts: Counter<'channel' | 'outcome'>;
  private readonly exhausted: Counter<'channel' | 'code'>;

  constructor(metrics: ServiceMetrics) {
    this.attempts = new Counter({
      name: 'lienthong_notification_attempts_total',
      help: 'Delivery attempts by channel and outcome (sent, retrying, failed).',
      labelNames: ['channel', 'outcome'],
      registers: [metrics.registry],
    });
    this.exhausted = new Counter({
      name: 'lienthong_notification_deliveries_exhausted_total',
      help: 'Deliveries given up: retries exhausted, or a failure no retry can fix; by channel and error code.',
      labelNames: ['channel', 'code'],
      registers: [metrics.registry],
    });
  }

  attempt(channel: Channel, outcome: 'sent' | 'retrying' | 'failed'): void {
    this.attempts.inc({ channel, outcome });
  }

  givenUp(channel: Channel, code: string): void {
    this.exhausted.inc({ channel, code });
  }
}
