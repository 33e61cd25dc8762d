import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule, GlobalAuthGuard, SERVICE_AUDIENCE } from '@lienthong/auth';
import { createKafka, KafkaHealth, KafkaPublisher, ReliableConsumer, type ServiceName } from '@lienthong/messaging';
import { connectMongo, pingMongo } from '@lienthong/persistence';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { DEPENDENCY_CHECKS, HEALTH_SETTINGS, HealthController, ProcessState, type DependencyCheck } from './health';
import { OutboxMetricsBinder, ServiceMetrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { RedisHealth } from './redis-health';

/** DI token of the service's mongoose Connection (its own database). */
export const MONGO_CONNECTION = Symbol('MONGO_CONNECTION');
/** DI token of the service's kafkajs client. */
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');

/** Connection settings, taken from the service's env class. */
export interface ServiceInfrastructureOptions {
  service: ServiceName;
  /** The service's own database name, e.g. `dossier_intake`. */
  dbName: string;
  kafkaBrokers: string[];
  mongoUrl: string;
  redisUrl: string;
  healthTimeoutMs: number;
}

/** Closes connections after the HTTP server and the consumer have finished their in-flight work. */
@Injectable()
class ConnectionsCloser implements OnApplicationShutdown {
  constructor(
    @Inject(MONGO_CONNECTION) private readonly mongo: Connection,
    private readonly publisher: KafkaPublisher,
    private readonly kafkaHealth: KafkaHealth,
    private readonly redisHealth: RedisHealth,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.publisher.disconnect(), this.kafkaHealth.close(), this.redisHealth.close()]);
    await this.mongo.close();
  }
}

/**
 * The connections every service holds: its database, a Kafka producer, Redis, the readiness checks over all
 * three (`/health/live`, `/health/ready`) and the Prometheus metrics (`/metrics`: Node.js, outbox backlog, dead
 * letters), and the global authentication guard (GlobalAuthGuard: every route needs a token unless `@Public`). Global, so feature modules inject MONGO_CONNECTION, KafkaPublisher and ServiceMetrics
 * without importing it again. Connecting fails start-up with a clear error if a dependency is unreachable.
 */
@Module({})
export class ServiceInfrastructureModule {
  static forRoot(options: ServiceInfrastructureOptions): DynamicModule {
    return {
      module: ServiceInfrastructureModule,
      global: true,
      imports: [AuthModule],
      controllers: [HealthController, MetricsController],
      providers: [
        // Every route of the service needs a token unless marked @Public (ADR 0010).
        { provide: SERVICE_AUDIENCE, useValue: options.service },
        { provide: APP_GUARD, useClass: GlobalAuthGuard },
        ProcessState,
        ConnectionsCloser,
        { provide: ServiceMetrics, useFactory: () => new ServiceMetrics(options.service) },
        OutboxMetricsBinder,
        { provide: HEALTH_SETTINGS, useValue: { timeoutMs: options.healthTimeoutMs } },
        {
          provide: MONGO_CONNECTION,
          useFactory: () => connectMongo({ url: options.mongoUrl, dbName: options.dbName }),
        },
        {
          provide: KAFKA_CLIENT,
          useFactory: () => createKafka({ clientId: options.service, brokers: options.kafkaBrokers }),
        },
        {
          provide: KafkaPublisher,
          useFactory: async (kafka: Kafka) => {
            const publisher = new KafkaPublisher(kafka);
            await publisher.connect();
            return publisher;
          },
          inject: [KAFKA_CLIENT],
        },
        {
          provide: KafkaHealth,
          useFactory: () => new KafkaHealth({ clientId: options.service, brokers: options.kafkaBrokers }),
        },
        { provide: RedisHealth, useFactory: () => new RedisHealth(options.redisUrl) },
        {
          provide: ReliableConsumer,
          useFactory: (publisher: KafkaPublisher, metrics: ServiceMetrics) => {
            const logger = new Logger('DeadLetters');
            return new ReliableConsumer(options.service, publisher, (letter) => {
              metrics.recordDeadLetter(letter);
              logger.error(
                `dead-lettered ${letter.originalTopic}/${letter.partition}@${letter.offset} after ${letter.attempts} attempt(s): ${letter.error.class}: ${letter.error.message}`,
              );
            });
          },
          inject: [KafkaPublisher, ServiceMetrics],
        },
        {
          provide: DEPENDENCY_CHECKS,
          useFactory: (mongo: Connection, kafka: KafkaHealth, redis: RedisHealth): DependencyCheck[] => [
            { name: 'kafka', check: (timeoutMs) => kafka.check(timeoutMs) },
            { name: 'database', check: (timeoutMs) => pingMongo(mongo, timeoutMs) },
            redis,
          ],
          inject: [MONGO_CONNECTION, KafkaHealth, RedisHealth],
        },
      ],
      exports: [
        SERVICE_AUDIENCE,
        ProcessState,
        MONGO_CONNECTION,
        KAFKA_CLIENT,
        KafkaPublisher,
        ReliableConsumer,
        ServiceMetrics,
      ],
    };
  }
}
