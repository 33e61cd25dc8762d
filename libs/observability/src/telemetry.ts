import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { MongooseInstrumentation } from '@opentelemetry/instrumentation-mongoose';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { NodeSDK } from '@opentelemetry/sdk-node';

let sdk: NodeSDK | undefined;

/**
 * Starts the OpenTelemetry Node SDK for `serviceName`. Must run before NestJS, kafkajs, mongoose or ioredis are
 * loaded (each service's `instrumentation.ts` is the first import of its `main.ts`), because instrumentations patch
 * modules as they are required.
 *
 * Exporters come from the standard variables: `OTEL_TRACES_EXPORTER` (`otlp` by default, `zipkin` locally, `none`
 * to switch tracing off), `OTEL_EXPORTER_OTLP_*`, `OTEL_EXPORTER_ZIPKIN_ENDPOINT`; `OTEL_SERVICE_NAME` overrides the
 * service name. Metrics and logs exporters default to `none` until a collector is configured.
 */
export function startTelemetry(serviceName: string): void {
  if (sdk) return;
  process.env.OTEL_SERVICE_NAME ??= serviceName;
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  if (process.env.OTEL_LOG_LEVEL === 'debug') diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.DEBUG);
  sdk = new NodeSDK({
    instrumentations: [
      new HttpInstrumentation({
        // Probes and the trace UI's own polling would drown the traces that matter.
        ignoreIncomingRequestHook: (req) => /^\/(health|metrics)/.test(req.url ?? ''),
      }),
      new ExpressInstrumentation(),
      new NestInstrumentation(),
      new KafkaJsInstrumentation(),
      new MongoDBInstrumentation({ enhancedDatabaseReporting: false }),
      new MongooseInstrumentation(),
      new IORedisInstrumentation(),
    ],
  });
  sdk.start();
}

/** Flushes pending spans and stops the SDK; called last during graceful shutdown. */
export async function stopTelemetry(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}
