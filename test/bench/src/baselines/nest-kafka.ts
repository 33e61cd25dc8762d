import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload, Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { KafkaServer } from '@lienthong/messaging';
import { sized, type BenchContext, type BenchRecord } from '../context';
import { cpuProfileSummary } from '../measure';
import { benchKafka, benchTopic, consume, produce } from './kafka';

// K3: the same pre-filled topic read by a minimal Nest Kafka microservice (@EventPattern, Nest's JSON deserialiser,
// handler does nothing else) and by raw kafkajs eachMessage with JSON.parse: the transport's overhead. After the
// measured passes (raw, the services' KafkaServer, and Nest's stock ServerKafka for comparison), each is run once more
// under V8's CPU profiler (this process, new consumer groups) so the record says where the Nest passes spend their
// time; the profiled passes' rates are not the figures.

const counter = { seen: 0, first: 0, last: 0, target: 0, done: () => undefined as void };

function nestModule(topic: string) {
  @Controller()
  class CountingController {
    @EventPattern(topic)
    handle(@Payload() value: unknown): void {
      if (typeof value !== 'object') throw new Error('not deserialised');
      if (counter.seen++ === 0) counter.first = performance.now();
      if (counter.seen === counter.target) {
        counter.last = performance.now();
        counter.done();
      }
    }
  }
  @Module({ controllers: [CountingController] })
  class CountingModule {}
  return CountingModule;
}

export async function nestKafkaBaseline(ctx: BenchContext): Promise<BenchRecord> {
  const kafka = benchKafka(ctx, 'bench-k3');
  const admin = kafka.admin();
  await admin.connect();
  const topic = await benchTopic(admin, ctx, 'k3');
  const count = sized(ctx, 30000, 1000);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let app: INestMicroservice | undefined;
  // One Nest microservice reading the whole topic under a consumer group of its own; its rate in msg/s.
  // `stock`: Nest's own ServerKafka; `ours`: the services' KafkaServer (@lienthong/messaging, routes resolved once).
  const nestPass = async (group: string, server: 'stock' | 'ours'): Promise<number> => {
    Object.assign(counter, { seen: 0, target: count });
    const finished = new Promise<void>((resolve) => (counter.done = resolve));
    const options = {
      client: { clientId: 'bench-k3', brokers: ctx.brokers, logLevel: 0 },
      consumer: { groupId: `bench.${topic}.${group}` },
      subscribe: { fromBeginning: true },
      postfixId: '',
    };
    app = await NestFactory.createMicroservice<MicroserviceOptions>(
      nestModule(topic),
      server === 'ours'
        ? { logger: false, strategy: new KafkaServer(options) }
        : { logger: false, transport: Transport.KAFKA, options },
    );
    await app.listen();
    await finished;
    await app.close();
    app = undefined;
    return Math.round((count - 1) / ((counter.last - counter.first) / 1000));
  };
  const profileDir = path.join(ctx.runDir, 'bench-profiles', `K3-${ctx.run}`);
  try {
    await produce(producer, topic, count, 100);
    const raw = await consume(kafka, topic, count, 'eachMessage');
    const stock = await nestPass('nest', 'stock');
    const nest = await nestPass('ours', 'ours');
    mkdirSync(profileDir, { recursive: true });
    await profiled(path.join(profileDir, 'raw-eachMessage.cpuprofile'), () =>
      consume(kafka, topic, count, 'eachMessage'),
    );
    await profiled(path.join(profileDir, 'nest-stock.cpuprofile'), () => nestPass('stock-profiled', 'stock'));
    await profiled(path.join(profileDir, 'nest-ours.cpuprofile'), () => nestPass('ours-profiled', 'ours'));
    const toRaw = (rate: number) => Math.round((rate / raw) * 100) / 100;
    const ratio = toRaw(nest);
    return {
      id: 'K3',
      title:
        'Nest Kafka transport (@EventPattern) as the services run it (KafkaServer) vs raw kafkajs eachMessage, JSON handler only',
      headline: { value: nest, unit: 'msg/s' },
      ratio: { name: 'R6', baseline: 'K2b eachMessage (same run, same topic)', value: ratio },
      verdict: { target: 'R6 ≥ 0.8', floor: 'R6 ≥ 0.6', floorHolds: ratio >= 0.6 },
      figures: {
        nest,
        nestStock: stock,
        ratioStock: toRaw(stock),
        rawEachMessage: raw,
        count,
        profiles: cpuProfileSummary(profileDir, 12),
      },
    };
  } finally {
    await app?.close();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Runs `task` under V8's CPU profiler of this process and writes the profile to `file`. */
async function profiled<T>(file: string, task: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await task();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}
