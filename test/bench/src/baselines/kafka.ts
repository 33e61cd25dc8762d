import { CompressionTypes, Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { sized, dossierPayload, type BenchContext, type BenchRecord } from '../context';
import { openLoop, percentiles } from '../measure';

// K2: raw kafkajs on the broker of deploy/local, 4 KB JSON records, acks=-1, 6 partitions: the ceiling the services'
// messaging is compared with.

export function benchKafka(ctx: BenchContext, clientId: string): Kafka {
  return new Kafka({ clientId, brokers: ctx.brokers, logLevel: logLevel.NOTHING });
}

/** Creates a 6-partition topic of the run's own; returns its name. */
export async function benchTopic(admin: Admin, ctx: BenchContext, name: string): Promise<string> {
  const topic = `bench.${ctx.run}.${name}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  return topic;
}

/** Produces `count` 4 KB records in sends of `perSend`; returns messages per second. */
export async function produce(
  producer: Producer,
  topic: string,
  count: number,
  perSend: number,
  gzip = false,
): Promise<number> {
  const value = JSON.stringify(dossierPayload(0));
  const t0 = performance.now();
  for (let sent = 0; sent < count; sent += perSend) {
    const n = Math.min(perSend, count - sent);
    await producer.send({
      topic,
      acks: -1,
      compression: gzip ? CompressionTypes.GZIP : CompressionTypes.None,
      messages: Array.from({ length: n }, (_, j) => ({ key: `k${sent + j}`, value })),
    });
  }
  return Math.round(count / ((performance.now() - t0) / 1000));
}

/**
 * Consumes `count` records of `topic` from the beginning with a fresh group, JSON-parsing each value; the rate is
 * taken from the first record to the last, so the group join does not count.
 */
export async function consume(
  kafka: Kafka,
  topic: string,
  count: number,
  mode: 'eachMessage' | 'eachBatch',
  concurrency = 1,
): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench.${topic}.${mode}.${concurrency}.${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let first = 0;
  let last = 0;
  const done = new Promise<void>((resolve) => {
    const record = (value: Buffer | null) => {
      JSON.parse(value?.toString('utf8') ?? 'null');
      if (seen++ === 0) first = performance.now();
      if (seen === count) {
        last = performance.now();
        resolve();
      }
    };
    void consumer.run({
      partitionsConsumedConcurrently: concurrency,
      ...(mode === 'eachMessage'
        ? { eachMessage: ({ message }) => Promise.resolve(record(message.value)) }
        : {
            eachBatch: ({ batch }) => {
              for (const message of batch.messages) record(message.value);
              return Promise.resolve();
            },
          }),
    });
  });
  await done;
  await consumer.disconnect();
  return Math.round((count - 1) / ((last - first) / 1000));
}

export async function kafkaBaselines(ctx: BenchContext): Promise<BenchRecord[]> {
  const kafka = benchKafka(ctx, 'bench-k2');
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const records: BenchRecord[] = [];
  const topics: string[] = [];
  try {
    const single = await benchTopic(admin, ctx, 'k2-single');
    const batched = await benchTopic(admin, ctx, 'k2-batched');
    topics.push(single, batched);
    const nSingle = sized(ctx, 5000, 200);
    const nBatched = sized(ctx, 60000, 2000);
    const perSec1 = await produce(producer, single, nSingle, 1);
    const perSec100 = await produce(producer, batched, nBatched, 100);
    const perSec100Gzip = await produce(producer, batched, sized(ctx, 20000, 1000), 100, true);
    records.push({
      id: 'K2a',
      title: 'raw kafkajs produce, 4 KB records, acks=-1',
      headline: { value: perSec100, unit: 'msg/s (100 per send)' },
      figures: {
        perSend1: perSec1,
        perSend100: perSec100,
        perSend100Gzip: perSec100Gzip,
        counts: { nSingle, nBatched },
      },
    });
    const each = await consume(kafka, batched, nBatched, 'eachMessage');
    const each3 = await consume(kafka, batched, nBatched, 'eachMessage', 3);
    const batch = await consume(kafka, batched, nBatched, 'eachBatch');
    records.push({
      id: 'K2b',
      title: 'raw kafkajs consume with JSON.parse of each value',
      headline: { value: each, unit: 'msg/s (eachMessage)' },
      figures: { eachMessage: each, eachMessageConcurrency3: each3, eachBatch: batch, count: nBatched },
    });

    // K2c: produce→consume latency at a fixed rate, one record per send, stamped at send time.
    const latencyTopic = await benchTopic(admin, ctx, 'k2-latency');
    topics.push(latencyTopic);
    const rate = 200;
    const seconds = ctx.scale < 1 ? 3 : 15;
    const arrivals = new Map<string, number>();
    const consumer = kafka.consumer({ groupId: `bench.${latencyTopic}` });
    await consumer.connect();
    await consumer.subscribe({ topic: latencyTopic, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    void consumer.run({
      eachMessage: ({ message }) => Promise.resolve(void arrivals.set(message.key!.toString(), performance.now())),
    });
    await joined;
    const sentAt = new Map<string, number>();
    const value = JSON.stringify(dossierPayload(0));
    const sendResult = await openLoop(rate, seconds, async (i) => {
      sentAt.set(`l${i}`, performance.now());
      await producer.send({ topic: latencyTopic, acks: -1, messages: [{ key: `l${i}`, value }] });
    });
    const deadline = Date.now() + 30_000;
    while (arrivals.size < sentAt.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await consumer.disconnect();
    const e2e = [...sentAt].flatMap(([key, t]) => (arrivals.has(key) ? [arrivals.get(key)! - t] : []));
    records.push({
      id: 'K2c',
      title: `raw kafkajs produce→consume latency at ${rate} msg/s`,
      headline: { value: percentiles(e2e).p99, unit: 'ms p99' },
      figures: {
        rate,
        seconds,
        endToEnd: percentiles(e2e),
        send: percentiles(sendResult.latencies),
        lost: sentAt.size - e2e.length,
      },
    });
  } finally {
    await producer.disconnect();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }
  return records;
}
