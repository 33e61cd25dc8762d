import { newId } from '@lienthong/kernel';
import { connectMongo, MongoOutboxStore, outboxInsertFields, outboxMarkUpdate } from '@lienthong/persistence';
import { KafkaTestConsumer } from '@lienthong/testing';
import type { Connection, mongo } from 'mongoose';
import { createEvent, type EventEnvelope } from './event-envelope';
import { KafkaHealth } from './kafka-health';
import { createKafka, KafkaPublisher } from './kafka-publisher';
import { OutboxRelay, toOutboxEntries, type OutboxEntry } from './outbox';

// Real broker and real database: the outbox publishes in order, keyed by subject, and empties itself; its lease
// lets one relay at a time work on an aggregate; its backlog is measurable.
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

// A topic and a collection of the test's own, so nothing it publishes reaches the services' consumers and no earlier
// run's leftovers change its counts.
const topic = `it.outbox.${newId()}`;
const collectionName = `aggregates_${newId().replace(/-/g, '')}`;

const events = (subject: string, count: number, firstTime = Date.now()): EventEnvelope[] =>
  Array.from({ length: count }, (_, i) =>
    createEvent({
      type: 'dossier.submitted',
      source: '/it',
      subject,
      sequence: i + 1,
      data: { n: i + 1 },
      time: new Date(firstTime + i),
    }),
  );

/** A publisher whose first send waits for `open()`, to hold a relay inside its lease. */
class GatedPublisher {
  private opened!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.opened = resolve));
  entered = false;
  constructor(private readonly inner: KafkaPublisher) {}
  async publish(target: string, batch: readonly EventEnvelope[]): Promise<void> {
    this.entered = true;
    await this.gate;
    await this.inner.publish(target, batch);
  }
  open(): void {
    this.opened();
  }
}

describe('outbox relay (real Kafka and FerretDB/MongoDB)', () => {
  let connection: Connection;
  let collection: mongo.Collection;
  let store: MongoOutboxStore<OutboxEntry>;
  let publisher: KafkaPublisher;
  let consumer: KafkaTestConsumer;

  const sequencesOf = (subject: string): number[] =>
    consumer.messages.filter((m) => m.key === subject).map((m) => (m.value as { sequence: number }).sequence);
  const insert = (subject: string, outbox: OutboxEntry[], extra: Record<string, unknown> = {}) =>
    collection.insertOne({ code: subject, ...outboxInsertFields(outbox), ...extra });

  beforeAll(async () => {
    const admin = createKafka({ clientId: 'messaging-it', brokers }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    connection = await connectMongo({ url: mongoUrl, dbName: 'messaging_it' });
    collection = connection.db!.collection(collectionName);
    store = new MongoOutboxStore<OutboxEntry>(collection, 'code');
    publisher = new KafkaPublisher(createKafka({ clientId: 'messaging-it', brokers }));
    await publisher.connect();
    consumer = new KafkaTestConsumer(brokers, [topic]);
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await publisher?.disconnect();
    await collection?.drop().catch(() => undefined);
    await connection?.close();
    const admin = createKafka({ clientId: 'messaging-it', brokers }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).finally(() => admin.disconnect());
  });

  it('publishes pending events in order with ce_* headers, then removes them and the lease from the document', async () => {
    const subject = `IT.${newId()}`;
    await insert(subject, toOutboxEntries(events(subject, 3)));
    const relay = new OutboxRelay(store, publisher, topic);

    expect(await relay.relay(subject)).toBe(3);

    await consumer.waitForMessage((m) => m.key === subject && (m.value as { sequence: number }).sequence === 3);
    expect(sequencesOf(subject)).toEqual([1, 2, 3]);
    const received = consumer.messages.filter((m) => m.key === subject);
    expect(received[0]!.headers).toMatchObject({ ce_type: 'dossier.submitted', ce_subject: subject, ce_sequence: '1' });
    const doc = await collection.findOne({ code: subject });
    expect(doc?.outbox).toEqual([]);
    expect(doc).not.toHaveProperty('outboxLease');
    expect(await relay.relay(subject)).toBe(0);
  });

  it('sweeps aggregates that still have pending events', async () => {
    const subject = `IT.${newId()}`;
    await insert(subject, toOutboxEntries(events(subject, 1)));
    expect(await store.withPending(1000)).toContain(subject);
    await new OutboxRelay(store, publisher, topic).sweep(1000);
    await consumer.waitForMessage((m) => m.key === subject);
    expect(await store.withPending(1000)).not.toContain(subject);
  });

  it('lets only the lease holder publish: a second relay on the same aggregate publishes nothing', async () => {
    const subject = `IT.${newId()}`;
    await insert(subject, toOutboxEntries(events(subject, 3)));
    const gated = new GatedPublisher(publisher);
    const holder = new OutboxRelay(store, gated as unknown as KafkaPublisher, topic);
    const other = new OutboxRelay(store, publisher, topic);

    const holding = holder.relay(subject);
    while (!gated.entered) await new Promise((resolve) => setImmediate(resolve));
    expect((await collection.findOne({ code: subject }))?.outboxLease).toMatchObject({ owner: expect.any(String) });
    expect(await store.withPending(1000)).not.toContain(subject); // the sweeper skips a live lease
    expect(await other.relay(subject)).toBe(0);
    expect(await other.sweep(1000)).toBe(0);
    gated.open();
    expect(await holding).toBe(3);

    await consumer.waitForMessage((m) => m.key === subject && (m.value as { sequence: number }).sequence === 3);
    expect(sequencesOf(subject)).toEqual([1, 2, 3]);
  });

  it('publishes each event once, in order, when many relays race for one aggregate', async () => {
    const subject = `IT.${newId()}`;
    await insert(subject, toOutboxEntries(events(subject, 5)));
    const relays = Array.from({ length: 8 }, () => new OutboxRelay(store, publisher, topic));
    const counts = await Promise.all(relays.map((relay) => relay.relay(subject)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5);
    await consumer.waitForMessage((m) => m.key === subject && (m.value as { sequence: number }).sequence === 5);
    // Wait a moment's worth of deliveries for a duplicate that must not come: a marker event published afterwards.
    const marker = `IT.${newId()}`;
    await publisher.publish(topic, events(marker, 1));
    await consumer.waitForMessage((m) => m.key === marker);
    expect(sequencesOf(subject)).toEqual([1, 2, 3, 4, 5]);
  });

  it('takes over the expired lease of a relay that crashed, but not a live one', async () => {
    const expired = `IT.${newId()}`;
    const live = `IT.${newId()}`;
    const past = new Date(Date.now() - 1_000);
    const future = new Date(Date.now() + 60_000);
    await insert(expired, toOutboxEntries(events(expired, 2)), { outboxLease: { owner: 'crashed/1/x', until: past } });
    await insert(live, toOutboxEntries(events(live, 1)), { outboxLease: { owner: 'busy/2/y', until: future } });
    const pending = await store.withPending(1000);
    expect(pending).toContain(expired);
    expect(pending).not.toContain(live);

    const relay = new OutboxRelay(store, publisher, topic);
    expect(await relay.relay(expired)).toBe(2);
    expect(await relay.relay(live)).toBe(0);
    await consumer.waitForMessage((m) => m.key === expired && (m.value as { sequence: number }).sequence === 2);
    expect(sequencesOf(expired)).toEqual([1, 2]);
    expect(await collection.findOne({ code: expired })).not.toHaveProperty('outboxLease');
    expect((await collection.findOne({ code: live }))?.outboxLease).toMatchObject({ owner: 'busy/2/y' });
  });

  it('keeps a lease to its owner: renew and release by anyone else match nothing, removal still pulls', async () => {
    const subject = `IT.${newId()}`;
    const entries = toOutboxEntries(events(subject, 2));
    await insert(subject, entries);
    const now = new Date();
    const leased = await store.acquireLease(subject, 'a', now, new Date(now.getTime() + 30_000));
    expect(leased?.map((e) => e.event.sequence)).toEqual([1, 2]); // the entries come with the lease
    expect(await store.acquireLease(subject, 'b', now, new Date(now.getTime() + 30_000))).toBeNull();
    expect(await store.renewLease(subject, 'b', new Date(now.getTime() + 60_000))).toBe(false);
    expect(await store.renewLease(subject, 'a', new Date(now.getTime() + 60_000))).toBe(true);
    await store.releaseLease(subject, 'b');
    expect((await collection.findOne({ code: subject }))?.outboxLease?.owner).toBe('a');
    // 'b' publishes after a's lease was lost: its entries go, a's lease stays a's.
    const pending = await store.pending(subject);
    expect(await store.remove(subject, pending.slice(0, 1), 'b')).toBe(1); // one entry remains
    let doc = await collection.findOne({ code: subject });
    expect((doc?.outbox as OutboxEntry[]).map((e) => e.event.sequence)).toEqual([2]);
    expect(doc?.outboxLease?.owner).toBe('a');
    expect(await store.remove(subject, pending.slice(1), 'a')).toBe(0);
    doc = await collection.findOne({ code: subject });
    expect(doc?.outbox).toEqual([]);
    expect(doc).not.toHaveProperty('outboxLease');
    // An empty outbox cannot be leased: there is nothing to relay.
    expect(await store.acquireLease(subject, 'a', new Date(), new Date(Date.now() + 1_000))).toBeNull();
  });

  it('works with `_id` as the aggregate id, as the services store their aggregates', async () => {
    const subject = `IT.${newId()}`;
    const byId = new MongoOutboxStore<OutboxEntry>(collection, '_id');
    await collection.insertOne({
      _id: subject as unknown as mongo.ObjectId,
      ...outboxInsertFields(toOutboxEntries(events(subject, 2))),
    });
    expect(await byId.withPending(1000)).toContain(subject);
    expect(await new OutboxRelay(byId, publisher, topic).relay(subject)).toBe(2);
    await consumer.waitForMessage((m) => m.key === subject && (m.value as { sequence: number }).sequence === 2);
    expect(sequencesOf(subject)).toEqual([1, 2]);
    expect(await collection.findOne({ _id: subject as unknown as mongo.ObjectId })).toEqual({
      _id: subject,
      outbox: [],
    });
  });

  it('keeps the pending marker at the oldest entry left when entries were appended during the relay', async () => {
    const subject = `IT.${newId()}`;
    const [first, second, third] = toOutboxEntries(events(subject, 3));
    await insert(subject, [first!, second!]);
    expect((await collection.findOne({ code: subject }))?.['outboxSince']).toBe(first!.event.time);
    const leased = await store.acquireLease(subject, 'relay-a', new Date(), new Date(Date.now() + 10_000));
    expect(leased).toHaveLength(2);
    // A write of the aggregate appends an event while the relay publishes the two it leased.
    await collection.updateOne({ code: subject }, {
      $push: { outbox: third },
      ...outboxMarkUpdate([third!]),
    } as unknown as mongo.UpdateFilter<mongo.Document>);
    expect(await store.remove(subject, leased!, 'relay-a')).toBe(1);
    const doc = await collection.findOne({ code: subject });
    expect(doc?.['outboxSince']).toBe(third!.event.time);
    expect(await store.withPending(10_000)).toContain(subject);
    expect(await store.remove(subject, await store.pending(subject), 'nobody')).toBe(0);
    expect(await collection.findOne({ code: subject })).not.toHaveProperty('outboxSince');
    expect(await store.withPending(10_000)).not.toContain(subject);
  });

  it('measures the backlog: pending events and the write time of the oldest', async () => {
    const relay = new OutboxRelay(store, publisher, topic);
    const before = await relay.measure();
    const a = `IT.${newId()}`;
    const b = `IT.${newId()}`;
    const oldest = Date.now() - 3_600_000;
    // Held by a live lease, so that no other test's sweep publishes them while this one counts.
    const held = { outboxLease: { owner: 'metrics-it', until: new Date(Date.now() + 60_000) } };
    await insert(a, toOutboxEntries(events(a, 3, oldest + 1_000)), held);
    await insert(b, toOutboxEntries(events(b, 2, oldest)), held);

    const stats = await relay.measure();
    expect(stats.pendingEvents).toBe(before.pendingEvents + 5);
    expect(stats.oldestPendingAt).toEqual(new Date(oldest));
    expect(relay.stats).toBe(stats);

    await collection.updateMany({ code: { $in: [a, b] } }, { $unset: { outboxLease: '' } });
    await relay.relay(b);
    expect((await relay.measure()).oldestPendingAt).toEqual(new Date(oldest + 1_000));
    await relay.relay(a);
    const after = await relay.measure();
    expect(after.pendingEvents).toBe(before.pendingEvents);
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
