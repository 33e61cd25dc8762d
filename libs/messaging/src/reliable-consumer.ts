import type { KafkaContext } from '@nestjs/microservices';
import { DomainError } from '@lienthong/kernel';
import { InvalidPayloadError } from '@lienthong/event-contracts';
import type { EventEnvelope } from './event-envelope';
import type { KafkaPublisher } from './kafka-publisher';
import { decodeEvent, PoisonMessageError } from './message-decoding';
import { deadLetterTopic, type ServiceName } from './topics';

/** Retry policy of a consumer; defaults suit handlers that write one document. */
export interface RetryPolicy {
  /** Attempts before a message is dead-lettered (first try included). */
  maxAttempts: number;
  /** Backoff before the second attempt; doubles each time up to `maxBackoffMs`. */
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 6, initialBackoffMs: 200, maxBackoffMs: 5_000 };

/** What a dead letter carries, as JSON, on `<service>.dlq.v1`. */
export interface DeadLetter {
  service: string;
  originalTopic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** The original value: UTF-8 text, or base64 when it was not valid UTF-8 (it may hold personal data: show it masked). */
  value: string | null;
  valueEncoding: 'utf8' | 'base64';
  headers: Record<string, string>;
  error: { class: string; message: string };
  attempts: number;
  deadLetteredAt: string;
}

/** Errors that no retry can fix: malformed messages and broken business rules. */
function isPermanent(error: unknown): boolean {
  return error instanceof PoisonMessageError || error instanceof InvalidPayloadError || error instanceof DomainError;
}

/**
 * Runs a consumer's handler for one Kafka message with this system's delivery rules: the raw value is decoded and
 * the envelope validated on receipt (size, UTF-8, JSON, attributes, known type, schema version; see decodeEvent); transient failures are retried in place with capped exponential backoff (heartbeating so the consumer
 * keeps its group membership); a malformed message, a permanent error or an exhausted retry budget goes to the
 * service's dead-letter topic with the original coordinates, and the partition moves on. The returned promise
 * resolves only once the effect or the dead letter is durable, so the offset is committed after that and never
 * before. If even the dead letter cannot be written, it rejects and Kafka redelivers.
 */
export class ReliableConsumer {
  constructor(
    private readonly service: ServiceName,
    private readonly publisher: KafkaPublisher,
    private readonly onDeadLetter: (letter: DeadLetter) => void = () => undefined,
    private readonly policy: RetryPolicy = defaultRetryPolicy,
  ) {}

  /**
   * `payload` is the raw message value: the transport is configured with `keepBinary` (kafkaConsumerOptions), so
   * this code, not the framework, decides what is valid.
   */
  async consume(
    context: KafkaContext,
    payload: unknown,
    handler: (event: EventEnvelope) => Promise<void>,
  ): Promise<void> {
    let event: EventEnvelope;
    try {
      event = decodeEvent(context.getTopic(), payload as Buffer | string | null);
    } catch (error) {
      return this.deadLetter(context, error, 1);
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        await handler(event);
        return;
      } catch (error) {
        if (isPermanent(error) || attempt >= this.policy.maxAttempts) return this.deadLetter(context, error, attempt);
        const backoff = Math.min(this.policy.initialBackoffMs * 2 ** (attempt - 1), this.policy.maxBackoffMs);
        await new Promise((resolve) => setTimeout(resolve, backoff));
        await context.getHeartbeat()();
      }
    }
  }

  private async deadLetter(context: KafkaContext, error: unknown, attempts: number): Promise<void> {
    const message = context.getMessage();
    const raw = message.value as Buffer | string | null;
    const bytes =
      raw === null || raw === undefined ? null : Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw), 'utf8');
    const isUtf8 = bytes !== null && Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
    const letter: DeadLetter = {
      service: this.service,
      originalTopic: context.getTopic(),
      partition: context.getPartition(),
      offset: message.offset,
      key: message.key === null || message.key === undefined ? null : String(message.key),
      value: bytes === null ? null : bytes.toString(isUtf8 ? 'utf8' : 'base64'),
      valueEncoding: isUtf8 ? 'utf8' : 'base64',
      headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
      error: {
        class: error instanceof Error ? error.name : typeof error,
        message: error instanceof Error ? error.message : String(error),
      },
      attempts,
      deadLetteredAt: new Date().toISOString(),
    };
    await this.publisher.send(deadLetterTopic(this.service), [
      { key: letter.key, value: JSON.stringify(letter), headers: { dlq_error_class: letter.error.class } },
    ]);
    this.onDeadLetter(letter);
  }
}
