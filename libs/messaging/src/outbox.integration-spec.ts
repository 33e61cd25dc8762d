import { newId } from '@lienthong/kernel';
import { connectMongo, MongoOutboxStore } from '@lienthong/persistence';
import { KafkaTestConsumer } from '@lienthong/testing';
import type { Connection } from 'mongoose';
import { createEvent } from './event-envelope';
import { KafkaHealth } from './kafka-health';
import { createKafka, KafkaPublisher } from './kafka-publisher';
import { OutboxRelay, toOutboxEntries, type OutboxEntry } from './outbox';

// Real broker and real database: the outbox publishes in order, keyed by subject, and empties itself.
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

// A topic of the test's own, so nothing it publishes reaches the services' consumers.
const topic = `it.outbox.${newId()}`;

describe('outbox relay (real Kafka and FerretDB/MongoDB)', () => {
  let connection: Connection;
  let publisher: KafkaPublisher;
  let consumer: KafkaTestConsumer;

  beforeAll(async () => {
    const admin = createKafka({ clientId: 'messaging-it', brokers }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    connection = await connectMongo({ url: mongoUrl, dbName: 'messaging_it' });
    publisher = new KafkaPublisher(createKafka({ clientId: 'messaging-it', brokers }));
    await publisher.connect();
    consumer = new KafkaTestConsumer(brokers, [topic]);
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await publisher?.disconnect();
    await connection?.close();
    const admin = createKafka({ clientId: 'messaging-it', brokers }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).finally(() => admin.disconnect());
  });

  it('publishes pending events in order with ce_* headers, then removes them from the document', async () => {
    const subject = `IT.${newId()}`;
    const events = [1, 2, 3].map((sequence) =>
      createEvent({ type: 'dossier.submitted', source: '/it', subject, sequence, data: { n: sequence } }),
    );
    const collection = connection.db!.collection('aggregates');
    await collection.insertOne({ code: subject, outbox: toOutboxEntries(events) });
    const relay = new OutboxRelay(new MongoOutboxStore(collection, 'code'), publisher, topic);

    expect(await relay.relay(subject)).toBe(3);

    await consumer.waitForMessage((m) => m.key === subject && (m.value as { sequence: number }).sequence === 3);
    const received = consumer.messages.filter((m) => m.key === subject);
    expect(received.map((m) => (m.value as { sequence: number }).sequence)).toEqual([1, 2, 3]);
    expect(received[0]!.headers).toMatchObject({ ce_type: 'dossier.submitted', ce_subject: subject, ce_sequence: '1' });
    expect((await collection.findOne({ code: subject }))?.outbox).toEqual([]);
    expect(await relay.relay(subject)).toBe(0);
  });

  it('sweeps aggregates that still have pending events', async () => {
    const subject = `IT.${newId()}`;
    const collection = connection.db!.collection('aggregates');
    const event = createEvent({ type: 'dossier.submitted', source: '/it', subject, sequence: 1, data: {} });
    await collection.insertOne({ code: subject, outbox: toOutboxEntries([event]) });
    const store = new MongoOutboxStore<OutboxEntry>(collection, 'code');
    expect(await store.withPending(1000)).toContain(subject);
    await new OutboxRelay(store, publisher, topic).sweep(1000);
    await consumer.waitForMessage((m) => m.key === subject);
    expect(await store.withPending(1000)).not.toContain(subject);
  });

  it('reports broker health, and an unreachable broker as down', async () => {
    const health = new KafkaHealth({ clientId: 'it', brokers });
    const nowhere = new KafkaHealth({ clientId: 'it', brokers: ['127.0.0.1:1'], connectionTimeoutMs: 300 });
    try {
      await expect(health.check(5_000)).resolves.toBeGreaterThanOrEqual(0);
      await expect(nowhere.check(1_500)).rejects.toThrow();
    } finally {
      await Promise.allSettled([health.close(), nowhere.close()]);
    }
  });
});
