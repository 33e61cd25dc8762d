import type { Admin, Kafka } from 'kafkajs';

/**
 * Readiness check against the broker: a metadata round trip through an admin client kept connected for the purpose.
 * Resolves with the latency in ms; rejects when the broker does not answer within `timeoutMs`.
 */
export class KafkaHealth {
  private readonly admin: Admin;
  private connecting: Promise<void> | undefined;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin({ retry: { retries: 0 } });
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
      this.connecting = undefined;
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
