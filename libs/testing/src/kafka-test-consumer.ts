import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type IHeaders } from 'kafkajs';
import { waitFor } from './wait-for';

/** A message recorded by KafkaTestConsumer, value parsed as JSON when possible. */
export interface RecordedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: unknown;
  headers: Record<string, string>;
  /** When this consumer received it (epoch ms), e.g. for end-to-end latencies. */
  receivedAt: number;
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(String).join(',') : String(v ?? '')]),
  );
}

/**
 * Records every message on the given topics for assertions. Each instance joins its own, unique consumer group, so
 * tests never steal messages from services or from each other. Starts at the latest offset unless `fromBeginning`.
 */
export class KafkaTestConsumer {
  readonly messages: RecordedMessage[] = [];
  private readonly consumer: Consumer;
  private readonly kafka: Kafka;

  constructor(
    brokers: string[],
    private readonly topics: string[],
    private readonly fromBeginning = false,
  ) {
    this.kafka = new Kafka({ clientId: 'test-consumer', brokers, logLevel: logLevel.NOTHING });
    this.consumer = this.kafka.consumer({ groupId: `test.${randomUUID()}`, allowAutoTopicCreation: false });
  }

  /**
   * Connects and joins the group. Without `fromBeginning`, only messages at or after each partition's end offset as
   * read before joining are recorded: every message published after start() begins, none before. (The group reads
   * from the beginning and skips the older ones; a seek before the group has formed would throw.)
   */
  async start(): Promise<void> {
    const startOffsets = this.fromBeginning ? new Map<string, bigint>() : await this.endOffsets();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    const joined = new Promise<void>((resolve) => this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()));
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        if (BigInt(message.offset) < (startOffsets.get(`${topic}/${partition}`) ?? 0n)) return;
        const raw = message.value?.toString('utf8') ?? null;
        let value: unknown = raw;
        try {
          value = raw === null ? null : JSON.parse(raw);
        } catch {
          // not JSON: keep the text
        }
        this.messages.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value,
          headers: headersToStrings(message.headers),
          receivedAt: Date.now(),
        });
        return Promise.resolve();
      },
    });
    await joined;
  }

  /** Waits until a recorded message satisfies `predicate` and returns it. */
  async waitForMessage(
    predicate: (message: RecordedMessage) => boolean,
    timeoutMs = 15_000,
    description = 'a matching Kafka message',
  ): Promise<RecordedMessage> {
    return waitFor(() => this.messages.find(predicate), { timeoutMs, description });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  /** The end offset of every partition of the topics, by `topic/partition`. */
  private async endOffsets(): Promise<Map<string, bigint>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const positions = new Map<string, bigint>();
      for (const topic of this.topics) {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
          positions.set(`${topic}/${partition}`, BigInt(high));
        }
      }
      return positions;
    } finally {
      await admin.disconnect();
    }
  }
}
