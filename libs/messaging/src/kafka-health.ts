import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { KafkaClientOptions } from './kafka-publisher';

/**
 * Readiness check against the broker: a metadata round trip through an admin client kept connected for the purpose.
 * Resolves with the latency in ms; rejects when the broker does not answer within `timeoutMs`.
 */
export class KafkaHealth {
  private readonly admin: Admin;
  private connecting: Promise<void> | undefined;

  constructor(options: KafkaClientOptions) {
    // A client of its own without retries: a probe must answer "down" at once, not keep reconnecting after it gave up.
    const kafka = new Kafka({
      clientId: `${options.clientId}-health`,
      brokers: options.brokers,
      connectionTimeout: options.connectionTimeoutMs ?? 3_000,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    this.admin = kafka.admin();
  }

  async check(timeoutMs: number): Promise<number> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`kafka did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.describe(), timeout]);
    } catch (error) {
      // Start over on the next probe; a half-open admin client would otherwise be reused.
      this.connecting = undefined;
      await this.admin.disconnect().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return Math.round(performance.now() - started);
  }

  async close(): Promise<void> {
    await this.admin.disconnect();
  }

  private async describe(): Promise<void> {
    this.connecting ??= this.admin.connect();
    await this.connecting;
    const cluster = await this.admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('kafka reports no brokers');
  }
}
