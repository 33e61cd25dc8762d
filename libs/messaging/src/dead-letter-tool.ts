import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import {
  classifyRecord,
  collateDeadLetters,
  formatLetterRef,
  planReplay,
  replayMarkerMessage,
  replayMessage,
  type DeadLetterEntry,
  type DeadLetterRecord,
  type LetterRef,
  type ReplayMarker,
  type ReplayPlan,
} from './dead-letter-replays';
import { deadLetterTopic, type ServiceName } from './topics';

/** Settings of a DeadLetterTool. */
export interface DeadLetterToolOptions {
  kafka: Kafka;
  /** The DLQ topic of a service; `<service>.dlq.v1` unless a test points it at topics of its own. */
  topicOf?: (service: string) => string;
  /** Upper bound on reading a DLQ topic to its end, in ms (default 30 s). */
  readTimeoutMs?: number;
  /** Recorded in replay markers; `<user>@<host>` by default. */
  actor?: string;
}

/** What happened to one letter in a replay. */
export interface ReplayOutcome {
  entry: DeadLetterEntry;
  status: 'replayed' | 'already-replayed' | 'not-a-dead-letter';
  /** Set when replayed. */
  marker?: ReplayMarker;
}

/**
 * Lists, shows and replays the dead letters of services (architecture §5): reads a DLQ topic from its beginning up to
 * its high-water mark as of the start (with a throwaway consumer group, deleted afterwards, committing nothing), and
 * replays a letter by sending its original key, value and headers to the original topic, then writing a replay marker
 * to the DLQ topic. Consumers are idempotent by `sequence`, so a replay that crashes before its marker is written
 * and is repeated does no harm; the marker makes a repeat a no-op unless forced.
 */
export class DeadLetterTool {
  private readonly topicOf: (service: string) => string;
  private readonly readTimeoutMs: number;
  private readonly actor: string;
  private producer: Producer | undefined;

  constructor(private readonly options: DeadLetterToolOptions) {
    this.topicOf = options.topicOf ?? ((service) => deadLetterTopic(service as ServiceName));
    this.readTimeoutMs = options.readTimeoutMs ?? 30_000;
    this.actor = options.actor ?? `${safeUser()}@${hostname()}`;
  }

  /** Every dead letter of `service`, oldest first, with its replays. */
  async list(service: string): Promise<DeadLetterEntry[]> {
    return collateDeadLetters(service, await this.readToEnd(this.topicOf(service)));
  }

  /** One dead letter, or undefined if there is none at `ref`. */
  async show(service: string, ref: LetterRef): Promise<DeadLetterEntry | undefined> {
    return (await this.list(service)).find((e) => e.ref.partition === ref.partition && e.ref.offset === ref.offset);
  }

  /**
   * Replays the letters at `refs` (all letters of the service when `refs` is 'all'); letters already replayed are
   * skipped unless `force`. Throws before sending anything if a ref names no record.
   */
  async replay(
    service: string,
    refs: readonly LetterRef[] | 'all',
    options: { force?: boolean } = {},
  ): Promise<ReplayOutcome[]> {
    const entries = await this.list(service);
    let chosen = entries;
    if (refs !== 'all') {
      chosen = refs.map((ref) => {
        const entry = entries.find((e) => e.ref.partition === ref.partition && e.ref.offset === ref.offset);
        if (!entry) throw new Error(`${this.topicOf(service)} has no record at ${formatLetterRef(ref)}`);
        return entry;
      });
    }
    const plan: ReplayPlan = planReplay(chosen, { force: options.force ?? false });
    const outcomes: ReplayOutcome[] = plan.skipped.map(({ entry, reason }) => ({ entry, status: reason }));
    const dlqTopic = this.topicOf(service);
    const producer = await this.connectedProducer();
    for (const entry of plan.replay) {
      const letter = entry.letter!;
      const [sent] = await producer.send({
        topic: letter.originalTopic,
        acks: -1,
        messages: [replayMessage(letter, dlqTopic, entry.ref)],
      });
      const marker: ReplayMarker = {
        replayOf: entry.ref,
        republishedTo: {
          topic: letter.originalTopic,
          partition: sent?.partition ?? -1,
          offset: sent?.baseOffset ?? '',
        },
        replayedAt: new Date().toISOString(),
        replayedBy: this.actor,
        forced: entry.replays.length > 0,
      };
      await producer.send({ topic: dlqTopic, acks: -1, messages: [replayMarkerMessage(marker)] });
      outcomes.push({ entry: { ...entry, replays: [...entry.replays, marker] }, status: 'replayed', marker });
    }
    return outcomes;
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
    this.producer = undefined;
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      // Same partitioner as the services (murmur2 on the key), so a replayed event lands on its dossier's partition.
      const producer = this.options.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  /** Reads `topic` from its first retained offset to its high-water mark as of now, within `readTimeoutMs`. */
  private async readToEnd(topic: string): Promise<DeadLetterRecord[]> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    const groupId = `dlq-tool.${randomUUID()}`;
    try {
      const remaining = new Map<number, bigint>();
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(high) > BigInt(low)) remaining.set(partition, BigInt(high) - 1n);
      }
      if (remaining.size === 0) return [];
      const records: DeadLetterRecord[] = [];
      const consumer = this.options.kafka.consumer({ groupId, allowAutoTopicCreation: false });
      let timer: NodeJS.Timeout | undefined;
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          timer = setTimeout(
            () => reject(new Error(`reading ${topic} did not reach its end within ${this.readTimeoutMs} ms`)),
            this.readTimeoutMs,
          );
          consumer
            .run({
              autoCommit: false,
              eachMessage: ({ partition, message }) => {
                const last = remaining.get(partition);
                if (last !== undefined && BigInt(message.offset) <= last) {
                  records.push(
                    classifyRecord(
                      { partition, offset: message.offset },
                      message.value === null ? null : message.value.toString('utf8'),
                      message.headers,
                    ),
                  );
                  if (BigInt(message.offset) >= last) remaining.delete(partition);
                  if (remaining.size === 0) resolve();
                }
                return Promise.resolve();
              },
            })
            .catch(reject);
        });
      } finally {
        clearTimeout(timer);
        await consumer.disconnect().catch(() => undefined);
      }
      return records.sort((a, b) =>
        a.ref.partition !== b.ref.partition
          ? a.ref.partition - b.ref.partition
          : Number(BigInt(a.ref.offset) - BigInt(b.ref.offset)),
      );
    } finally {
      // The group committed nothing; deleting it keeps the broker's group list free of one-off tool runs.
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    }
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
