import { Transport, type KafkaOptions } from '@nestjs/microservices';
import type { KafkaClientOptions } from './kafka-publisher';

/** Settings for one service's Kafka consumer through `@nestjs/microservices`. */
export interface KafkaConsumerSettings extends KafkaClientOptions {
  /** Exact consumer group name (see `consumerGroup()`); Nest's `-server` suffix is switched off. */
  groupId: string;
  /** Partitions handled in parallel; order is still kept within a partition (i.e. per dossier). */
  partitionsConsumedConcurrently?: number;
  /** A consumer that misses heartbeats this long is removed from the group and its partitions reassigned. */
  sessionTimeoutMs?: number;
}

/**
 * `@nestjs/microservices` Kafka transport options: explicit group name (no silent suffix), no topic auto-creation
 * (topics are declared in contracts/kafka/topics.json), a new group starts from the earliest offset so nothing
 * published before the first deployment is skipped. Offsets are committed by kafkajs only after a handler resolves,
 * so a crash before the effect is durable redelivers the message.
 */
export function kafkaConsumerOptions(settings: KafkaConsumerSettings): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
      postfixId: '',
      client: {
        clientId: settings.clientId,
        brokers: settings.brokers,
        connectionTimeout: settings.connectionTimeoutMs ?? 3_000,
        requestTimeout: settings.requestTimeoutMs ?? 10_000,
        retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
      },
      consumer: {
        groupId: settings.groupId,
        allowAutoTopicCreation: false,
        sessionTimeout: settings.sessionTimeoutMs ?? 30_000,
        heartbeatInterval: 3_000,
        // A fetch waits at most this long for new messages; shutdown waits for the fetch in progress, so short is
        // kinder to deployments, at the cost of a few more idle requests.
        maxWaitTimeInMs: 1_000,
        retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
      },
      producer: { allowAutoTopicCreation: false },
      // Values reach handlers as raw bytes: ReliableConsumer decodes them itself, so non-UTF-8 and invalid JSON are
      // recognised as poison instead of being turned into strings by the framework.
      parser: { keepBinary: true },
      subscribe: { fromBeginning: true },
      run: { partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently ?? 3 },
    },
  };
}
