import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { newId } from '@lienthong/kernel';
import { createEvent, createKafka, KafkaPublisher, OutboxRelay, toOutboxEntries } from '@lienthong/messaging';
import { MongoOutboxStore, outboxInsertFields } from '@lienthong/persistence';
import { waitFor } from '@lienthong/testing';
import type { Connection, mongo } from 'mongoose';
import { openApiDocument } from './bootstrap';
import { MetricNames } from './metrics';
import { OUTBOX_RELAY, OUTBOX_SWEEP_INTERVAL_MS, OutboxSweeperHost } from './outbox-sweeper.host';
import { MONGO_CONNECTION, ServiceInfrastructureModule } from './service-infrastructure.module';

// GET /metrics of an application composed like a service's (real Kafka, FerretDB, Redis), whose outbox lives in a
// collection and publishes to a topic of the test's own.
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const topic = `it.metrics.${newId()}`;
const collectionName = `aggregates_${newId().replace(/-/g, '')}`;

@Module({
  providers: [
    { provide: OUTBOX_SWEEP_INTERVAL_MS, useValue: 200 },
    {
      provide: OUTBOX_RELAY,
      useFactory: (connection: Connection, publisher: KafkaPublisher) =>
        new OutboxRelay(new MongoOutboxStore(connection.db!.collection(collectionName), 'code'), publisher, topic),
      inject: [MONGO_CONNECTION, KafkaPublisher],
    },
    OutboxSweeperHost,
  ],
})
class FeatureWithOutbox {}

async function startApp(feature: unknown[]): Promise<{ app: INestApplication; url: string }> {
  @Module({
    imports: [
      ServiceInfrastructureModule.forRoot({
        service: 'notification',
        dbName: 'runtime_it',
        kafkaBrokers: brokers,
        mongoUrl,
        redisUrl,
        healthTimeoutMs: 2_000,
      }),
      ...(feature as []),
    ],
  })
  class Root {}
  const app = await NestFactory.create(Root, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

/** The value of `name{service="notification"}` in the exposition, undefined when absent. */
function sample(body: string, name: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${name}{service="notification"} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

describe('GET /metrics (real Kafka, FerretDB, Redis)', () => {
  let app: INestApplication | undefined;

  beforeAll(async () => {
    const admin = createKafka({ clientId: 'runtime-it', brokers }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(async () => {
    const admin = createKafka({ clientId: 'runtime-it', brokers }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).finally(() => admin.disconnect());
  });

  it('reports the outbox backlog and its age, and 0 once the sweeper has published it', async () => {
    let url: string;
    ({ app, url } = await startApp([FeatureWithOutbox]));
    const scrape = async (): Promise<string> => {
      const response = await fetch(`${url}/metrics`);
      expect(response.status).toBe(200);
      // Prometheus text format 0.0.4 (Express reorders the parameters, which Prometheus does not mind).
      expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
      return response.text();
    };
    const collection: mongo.Collection = app.get<Connection>(MONGO_CONNECTION).db!.collection(collectionName);
    try {
      const written = Date.now() - 120_000;
      // A live lease of somebody else keeps the sweeper off these events while the gauges are read.
      const held = { outboxLease: { owner: 'it-holder', until: new Date(Date.now() + 60_000) } };
      for (const [code, count, time] of [
        ['M1', 2, written],
        ['M2', 1, written + 60_000],
      ] as const) {
        const events = Array.from({ length: count }, (_, i) =>
          createEvent({
            type: 'dossier.submitted',
            source: '/it',
            subject: code,
            sequence: i + 1,
            data: {},
            time: new Date(time + i),
          }),
        );
        await collection.insertOne({ code, ...outboxInsertFields(toOutboxEntries(events)), ...held });
      }

      const body = await waitFor(
        async () => {
          const text = await scrape();
          return sample(text, MetricNames.OutboxPendingEvents) === 3 ? text : undefined;
        },
        { description: 'pending events = 3' },
      );
      expect(sample(body, MetricNames.OutboxOldestPendingAge)).toBeGreaterThanOrEqual(120);
      expect(sample(body, MetricNames.OutboxOldestPendingAge)).toBeLessThan(180);
      expect(sample(body, MetricNames.DeadLetters)).toBe(0);
      expect(body).toContain('nodejs_heap_size_used_bytes');

      await collection.updateMany({}, { $unset: { outboxLease: '' } });
      await waitFor(
        async () => {
          const text = await scrape();
          return (
            sample(text, MetricNames.OutboxPendingEvents) === 0 &&
            sample(text, MetricNames.OutboxOldestPendingAge) === 0
          );
        },
        { description: 'the backlog to be published' },
      );
    } finally {
      await collection.drop().catch(() => undefined);
    }
  });

  it('serves /metrics without outbox samples in a service without outbox, and keeps it out of the OpenAPI document', async () => {
    let url: string;
    ({ app, url } = await startApp([]));
    const body = await (await fetch(`${url}/metrics`)).text();
    expect(sample(body, MetricNames.DeadLetters)).toBe(0);
    expect(sample(body, MetricNames.OutboxPendingEvents)).toBeUndefined();
    const document = openApiDocument(app, { title: 't', description: 'd', version: '1' }) as { paths: object };
    expect(Object.keys(document.paths)).not.toContain('/metrics');
  });
});
