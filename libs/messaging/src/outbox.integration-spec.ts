import { newId } from '@lienthong/kernel';
import { connectMongo, MongoOutboxStore } from '@lienthong/persistence';
import { KafkaTestConsumer } from '@lienthong/testing';
import type { Connection } from 'mongoose';
import { createEvent } from './event-envelope';
import { KafkaHealth } from './kafka-health';
import { createKafka, KafkaPublisher } from './kafka-publisher';
import { OutboxRelay, toOutboxEntries, type OutboxEntry } from './outbox';
import { Topics } from './topics';

// Real broker and real database: the outbox publishes in order, keyed by subject, and empties itself.
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

describe('outbox relay (real Kafka and FerretDB/MongoDB)', () => {
  let connection: Connection;
  let publisher: KafkaPublisher;
  let consumer: KafkaTestConsumer;

  beforeAll(async () => {
    connection = await connectMongo({ url: mongoUrl, dbName: 'messaging_it' });
    publisher = new KafkaPublisher(createKafka({ clientId: 'messaging-it', brokers }));
    await publisher.connect();
    consumer = new KafkaTestConsumer(brokers, [Topics.DossierEvents]);
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await publisher?.disconnect();
    await connection?.close();
  });

  it('publishes pending events in order with ce_* headers, then removes them from the document', async () => {
    const subject = `IT.${newId()}`;
    const events = [1, 2, 3].map((sequence) =>
      createEvent({ type: 'dossier.submitted', source: '/it', subject, sequence, data: { n: sequence } }),
    );
    const collection = connection.db!.collection('aggregates');
    await collection.insertOne({ code: subject, outbox: toOutboxEntries(events) });
    const relay = new OutboxRelay(new MongoOutboxStore(collection, 'code'), publisher, Topics.DossierEvents);

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
    await new OutboxRelay(store, publisher, Topics.DossierEvents).sweep(1000);
    await consumer.waitForMessage((m) => m.key === subject);
    expect(await store.withPending(1000)).not.toContain(subject);
  });

  it('reports broker health, and an unreachable broker as down', async () => {
    await expect(
      new KafkaHealth(createKafka({ clientId: 'it', brokers })).check(5_000),
    ).resolves.toBeGreaterThanOrEqual(0);
    const nowhere = new KafkaHealth(
      createKafka({ clientId: 'it', brokers: ['127.0.0.1:1'], connectionTimeoutMs: 300 }),
    );
    await expect(nowhere.check(1_500)).rejects.toThrow();
  });
});
