import { Kafka, logLevel, Partitioners, type Message, type Producer } from 'kafkajs';
import { envelopeHeaders, type EventEnvelope } from './event-envelope';

/** Connection settings shared by producers, consumers and admin clients of one service. */
export interface KafkaClientOptions {
  clientId: string;
  /** Bootstrap servers. */
  brokers: string[];
  /** Connection and request timeouts in ms; short, so a broker outage surfaces as an error instead of a hang. */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** Creates a kafkajs client with this system's defaults (quiet logs, bounded retries). */
export function createKafka(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
  });
}

/**
 * Publishes event envelopes, keyed by subject (the dossier code) so one dossier's events keep their order. Uses the
 * idempotent producer (acks = all, one request in flight per partition): a send that resolves is on every in-sync
 * replica, and broker-side retries cannot duplicate or reorder it.
 */
export class KafkaPublisher {
  private readonly producer: Producer;

  constructor(kafka: Kafka) {
    // The default (murmur2) partitioner places a key where Java clients would, so every tool agrees on a dossier's partition.
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }

  /** Sends `events` to `topic` in the given order; resolves when all are acknowledged by every in-sync replica. */
  async publish(topic: string, events: readonly EventEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    await this.producer.send({
      topic,
      acks: -1,
      messages: events.map((event) => ({
        key: event.subject,
        value: JSON.stringify(event),
        headers: envelopeHeaders(event),
      })),
    });
  }

  /** Sends prepared messages (e.g. dead letters) to `topic`; resolves when every in-sync replica has them. */
  async send(topic: string, messages: Message[]): Promise<void> {
    await this.producer.send({ topic, acks: -1, messages });
  }
}
