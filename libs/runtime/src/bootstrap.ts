import { Logger, type DynamicModule, type INestApplication, type LoggerService, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { KafkaOptions } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request } from 'express';
import type { IncomingMessage } from 'node:http';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { KafkaServer } from '@lienthong/messaging';
import { JsonLogger, stopTelemetry } from '@lienthong/observability';
import { ProcessState } from './health';
import { refuseForbiddenKeys, securityHeaders } from './http-hardening';
import { createValidationPipe, ProblemDetailsFilter } from './problem-details';

/** The parts of @nestjs/microservices' Kafka server used to rebuild its consumer. */
interface RestartableServer {
  close(): Promise<void>;
  listen(callback: (error?: unknown) => void): Promise<void>;
}

/** What a service hands to bootstrapHybridService. */
export interface HybridServiceOptions {
  /** Service name, for logs. */
  name: string;
  /** The composition root. It must provide ProcessState (RuntimeModule does). */
  module: Type<unknown> | DynamicModule;
  host: string;
  port: number;
  /** The Kafka transport options (see kafkaConsumerOptions in @lienthong/messaging). */
  kafka: KafkaOptions;
  /** Upper bound on graceful shutdown before the process exits anyway. */
  shutdownTimeoutMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Title and version of the OpenAPI document served at /docs (UI) and /docs-json. */
  openApi: { title: string; description: string; version: string };
  /** Maximum JSON request body. */
  bodyLimit?: string;
  /**
   * Paths (exact, without query) whose JSON body the service reads itself, with its own limit and admission (e.g.
   * the VBDLIS route, whose attachments come base64-encoded inside the body); the shared parser leaves them alone.
   */
  ownJsonBodies?: readonly string[];
  /** Whether responses carry Strict-Transport-Security (the service is reached over TLS; env HTTP_HSTS). */
  hsts?: boolean;
}

/**
 * Options of the shared JSON body parser: `limit` for every JSON body except those of `ownJsonBodies` (exact paths),
 * which the service reads itself (HybridServiceOptions.ownJsonBodies).
 */
export function jsonBodyParserOptions(
  limit: string,
  ownJsonBodies: readonly string[] = [],
): { limit: string; type: (request: IncomingMessage) => boolean } {
  const own = new Set(ownJsonBodies);
  return {
    limit,
    type: (request) =>
      !own.has((request as Request).path) &&
      Boolean((request as Request).is(['application/json', 'application/*+json'])),
  };
}

/**
 * Starts a hybrid NestJS service: HTTP API plus a Kafka consumer through `@nestjs/microservices`, global validation
 * and RFC 9457 errors, the OpenAPI document, and graceful shutdown on SIGTERM/SIGINT:
 * readiness turns 503 (draining), the consumer stops fetching and finishes its in-flight message (kafkajs waits for
 * it before leaving the group, so its offset is committed), the HTTP server stops accepting and finishes open
 * requests, module hooks close producers and connections, spans are flushed, and the process exits. If that takes
 * longer than `shutdownTimeoutMs`, the process exits with code 1 and the broker redelivers what was not committed.
 */
export async function bootstrapHybridService(options: HybridServiceOptions): Promise<INestApplication> {
  const logger = new JsonLogger(options.name, options.logLevel);
  const app = await createServiceHttpApp(options, logger);

  const state = app.get(ProcessState);
  // Nest's Kafka server, with each topic's route resolved once instead of per message (KafkaServer).
  const microservice = app.connectMicroservice(
    { strategy: new KafkaServer(options.kafka.options ?? {}) },
    { inheritAppConfig: true },
  );
  // kafkajs restarts a crashed consumer only for errors it deems retriable; after a broker restart it can stop for
  // good (e.g. "Failed to find group coordinator"). Recover here: rebuild the consumer until it runs again.
  const server = (microservice as unknown as { serverInstance: RestartableServer }).serverInstance;
  let recovering = false;
  const recover = async (): Promise<void> => {
    if (recovering) return;
    recovering = true;
    for (let attempt = 1; !state.draining; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000 * attempt, 15_000)));
      if (state.draining) break;
      try {
        await server.close();
        await new Promise<void>((resolve, reject) => {
          void server.listen((error?: unknown) =>
            error ? reject(error instanceof Error ? error : new Error('kafka consumer did not start')) : resolve(),
          );
        });
        logger.log(`kafka consumer restarted after a crash (attempt ${attempt})`, 'Kafka');
        break;
      } catch (error) {
        logger.warn(`kafka consumer restart failed (attempt ${attempt}): ${String(error)}`, 'Kafka');
      }
    }
    recovering = false;
  };
  microservice.status.subscribe((status) => {
    state.consumerStatus = String(status);
    if (status === 'crashed' && !state.draining) {
      logger.error('kafka consumer crashed; readiness reports not-ready until it is restarted', 'Kafka');
      void recover();
    }
  });

  let shuttingDown = false;
  const shutdown = (signal: string): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    state.draining = true;
    logger.log(`${signal} received: draining`, 'Shutdown');
    const force = setTimeout(() => {
      logger.error(`shutdown exceeded ${options.shutdownTimeoutMs} ms; exiting`, 'Shutdown');
      process.exit(1);
    }, options.shutdownTimeoutMs);
    force.unref();
    void (async () => {
      try {
        await app.close();
        await stopTelemetry();
        logger.log('stopped', 'Shutdown');
        process.exit(0);
      } catch (error) {
        logger.error(error instanceof Error ? error : String(error), 'Shutdown');
        process.exit(1);
      }
    })();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));

  await app.startAllMicroservices();
  await app.listen(options.port, options.host);
  new Logger('Bootstrap').log(`${options.name} listening on http://${options.host}:${options.port} (docs at /docs)`);
  return app;
}

/**
 * The HTTP side of a service, configured as it runs (not listening, no Kafka consumer): security headers, the
 * shared JSON body parser, refusal of prototype keys, validation, problem details and the OpenAPI document. The
 * security suite composes the services in-process through this.
 */
export async function createServiceHttpApp(
  options: Pick<HybridServiceOptions, 'module' | 'openApi' | 'bodyLimit' | 'ownJsonBodies' | 'hsts'>,
  logger: LoggerService | false,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(options.module, {
    logger,
    bodyParser: false,
    abortOnError: false,
  });
  app.use(securityHeaders({ hsts: options.hsts ?? false }));
  app.useBodyParser('json', jsonBodyParserOptions(options.bodyLimit ?? '1mb', options.ownJsonBodies));
  app.use(refuseForbiddenKeys(options.ownJsonBodies));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.disable('x-powered-by');

  SwaggerModule.setup('docs', app, openApiDocument(app, options.openApi), {
    jsonDocumentUrl: 'docs-json',
  });
  return app;
}

/** The OpenAPI document of an application, as served at /docs-json. */
export function openApiDocument(app: INestApplication, openApi: HybridServiceOptions['openApi']): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(openApi.title)
      .setDescription(openApi.description)
      .setVersion(openApi.version)
      .addBearerAuth()
      .build(),
  );
}
