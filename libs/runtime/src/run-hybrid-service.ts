import { Module, type Type } from '@nestjs/common';
import { loadConfig, type ServiceEnv } from '@lienthong/config';
import { consumerGroup, kafkaConsumerOptions, type ServiceName, type Topic } from '@lienthong/messaging';
import { bootstrapHybridService, type HybridServiceOptions } from './bootstrap';
import { ServiceInfrastructureModule } from './service-infrastructure.module';

/** Everything that differs between the four services' entry points. */
export interface HybridServiceSpec<TEnv extends ServiceEnv & { PORT: number }> {
  name: ServiceName;
  /** The service's one env class; validated at start, then injectable by its class. */
  envClass: new () => TEnv;
  /** The service's own database. */
  dbName: string;
  /** The topic its Kafka consumer group reads (group `<service>.<source>-<aggregate>`). */
  consumes: Topic;
  /** The service's composition root (feature modules). */
  appModule: Type<unknown>;
  openApi: HybridServiceOptions['openApi'];
  /** See HybridServiceOptions.ownJsonBodies. */
  ownJsonBodies?: readonly string[];
}

/**
 * The composition root of a service: its validated env (injectable by its class), its infrastructure (database
 * `dbName`, Kafka, Redis, health, metrics, the global authentication guard) and its feature modules.
 */
export function serviceRootModule<TEnv extends ServiceEnv & { PORT: number }>(
  spec: Pick<HybridServiceSpec<TEnv>, 'name' | 'envClass' | 'dbName' | 'appModule'>,
  env: TEnv,
): Type<unknown> {
  const brokers = env.KAFKA_BROKERS.split(',');
  @Module({
    imports: [
      {
        module: class ServiceConfigModule {},
        global: true,
        providers: [{ provide: spec.envClass, useValue: env }],
        exports: [spec.envClass],
      },
      ServiceInfrastructureModule.forRoot({
        service: spec.name,
        dbName: spec.dbName,
        kafkaBrokers: brokers,
        mongoUrl: env.MONGO_URL,
        redisUrl: env.REDIS_URL,
        healthTimeoutMs: env.HEALTH_TIMEOUT_MS,
      }),
      spec.appModule,
    ],
  })
  class RootModule {}
  return RootModule;
}

/**
 * Entry point shared by the services: validates the environment (a bad variable stops the process with the list of
 * problems), composes the app module with its config and infrastructure, and starts HTTP + Kafka with graceful
 * shutdown.
 */
export function runHybridService<TEnv extends ServiceEnv & { PORT: number }>(spec: HybridServiceSpec<TEnv>): void {
  const start = async (): Promise<void> => {
    const env = loadConfig(spec.envClass);
    const brokers = env.KAFKA_BROKERS.split(',');

    await bootstrapHybridService({
      name: spec.name,
      module: serviceRootModule(spec, env),
      host: env.HOST,
      port: env.PORT,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      logLevel: env.LOG_LEVEL,
      openApi: spec.openApi,
      ownJsonBodies: spec.ownJsonBodies,
      hsts: env.HTTP_HSTS,
      kafka: kafkaConsumerOptions({
        clientId: spec.name,
        brokers,
        groupId: consumerGroup(spec.name, spec.consumes),
      }),
    });
  };
  start().catch((error: unknown) => {
    process.stderr.write(`${spec.name} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
