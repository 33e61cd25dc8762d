import { randomUUID } from 'node:crypto';
import { Topics } from '@lienthong/messaging';
import { KafkaTestConsumer, type ServiceProcess } from '@lienthong/testing';
import type { Admin } from 'kafkajs';
import mongoose from 'mongoose';
import { benchKafka } from '../baselines/kafka';
import { mongooseSaveLoop } from '../baselines/mongo';
import { sized, type BenchContext, type BenchRecord } from '../context';
import { closedLoop, infrastructureProcesses, openLoop, percentiles, ProcessMeter, type ProcessSet } from '../measure';
import { benchServices, pidOf, submitDossier, type BenchService } from './stack';

// S2 (ingest only), O1 (tracing on vs off) and S1 (the online path end to end at open-loop rates).

const tracingOn = {
  OTEL_TRACES_EXPORTER: 'zipkin',
  OTEL_EXPORTER_ZIPKIN_ENDPOINT: `http://127.0.0.1:${process.env['ZIPKIN_PORT'] ?? '9411'}/api/v2/spans`,
};
const tracingOff = { OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'none' };

async function withServices<T>(
  ctx: BenchContext,
  names: readonly BenchService[],
  env: Record<string, string>,
  body: (services: Record<string, ServiceProcess>, processes: ProcessSet) => Promise<T>,
): Promise<T> {
  const services = benchServices(ctx, names, env);
  try {
    await Promise.all(Object.values(services).map((s) => s.start(120_000)));
    const processes: ProcessSet = { ...infrastructureProcesses(ctx.runDir), bench: process.pid };
    for (const [name, service] of Object.entries(services)) processes[name] = pidOf(service);
    return await body(services, processes);
  } finally {
    await Promise.allSettled(Object.values(services).map((s) => s.stop()));
  }
}

/** Closed-loop submissions to dossier-intake alone: dossiers per second, latency, CPU per dossier. */
async function ingest(ctx: BenchContext, env: Record<string, string>, count: number, concurrency: number) {
  return withServices(ctx, ['dossier-intake'], env, async (services, processes) => {
    const url = services['dossier-intake']!.baseUrl;
    const run = randomUUID().slice(0, 8);
    await closedLoop(
      Math.max(10, Math.round(count / 10)),
      concurrency,
      async (i) => void (await submitDossier(url, `warm-${run}-${i}`)),
    );
    const meter = new ProcessMeter(processes);
    meter.start();
    const latencies = await closedLoop(
      count,
      concurrency,
      async (i) => void (await submitDossier(url, `s2-${run}-${i}`)),
    );
    const usage = meter.stop();
    return {
      perSec: Math.round((count / usage.wallMs) * 1000 * 10) / 10,
      latency: percentiles(latencies),
      cpuMsPerDossier: Math.round((usage.totalCpuMs / count) * 10) / 10,
      usage,
    };
  });
}

export async function ingestScenarios(ctx: BenchContext): Promise<BenchRecord[]> {
  const count = sized(ctx, 200, 40);
  const concurrency = 16;
  const on = await ingest(ctx, tracingOn, count, concurrency);
  const off = await ingest(ctx, tracingOff, count, concurrency);
  const connection = await mongoose.createConnection(ctx.mongoUrl, { dbName: `bench_${ctx.run}_s2` }).asPromise();
  let save: number;
  try {
    save = await mongooseSaveLoop(connection, count, concurrency, 's2');
  } finally {
    await connection.db?.dropDatabase().catch(() => undefined);
    await connection.close();
  }
  const r2 = Math.round((on.perSec / save) * 100) / 100;
  const r8 = Math.round((on.perSec / off.perSec) * 100) / 100;
  return [
    {
      id: 'S2',
      title: `ingest only: POST /v1/dossiers (validated, stored, outbox → Kafka), closed loop, concurrency ${concurrency}, tracing on`,
      headline: { value: on.perSec, unit: 'dossiers/s' },
      ratio: { name: 'R2', baseline: `M2 mongoose Model.create loop, concurrency ${concurrency}`, value: r2 },
      verdict: { target: 'R2 ≥ 0.6', floor: 'R2 ≥ 0.4', floorHolds: r2 >= 0.4 },
      cpuMsPerDossier: on.cpuMsPerDossier,
      processes: { cpuMs: on.usage.cpuMs, rssMiB: on.usage.rssMiB, wallMs: on.usage.wallMs },
      figures: { count, concurrency, perSec: on.perSec, latency: on.latency, mongooseSavePerSec: save },
    },
    {
      id: 'O1',
      title: 'tracing on (OpenTelemetry SDK, 100 % sampling, Zipkin exporter) vs off (OTEL_SDK_DISABLED), on S2',
      headline: { value: r8, unit: 'throughput on ÷ off' },
      ratio: { name: 'R8', baseline: 'S2 with the SDK disabled, same run', value: r8 },
      verdict: { target: 'R8 ≥ 0.9', floor: 'R8 ≥ 0.8', floorHolds: r8 >= 0.8 },
      cpuMsPerDossier: on.cpuMsPerDossier,
      figures: {
        on: { perSec: on.perSec, latency: on.latency, cpuMsPerDossier: on.cpuMsPerDossier },
        off: { perSec: off.perSec, latency: off.latency, cpuMsPerDossier: off.cpuMsPerDossier },
        cpuMsPerDossierDelta: Math.round((on.cpuMsPerDossier - off.cpuMsPerDossier) * 10) / 10,
      },
      notes: [
        'Measured on S2 closed-loop throughput: S1 steps are too coarse on FerretDB to resolve a 10 % difference.',
      ],
    },
  ];
}

/** When each dossier's downstream events were seen, by event type. */
function arrivalTimes(consumer: KafkaTestConsumer, since: number): Map<string, Map<string, number>> {
  const byType = new Map<string, Map<string, number>>();
  for (const message of consumer.messages.slice(since)) {
    const type = message.headers['ce_type'];
    if (!type || !message.key) continue;
    const seen = byType.get(type) ?? new Map<string, number>();
    if (!seen.has(message.key)) seen.set(message.key, message.receivedAt);
    byType.set(type, seen);
  }
  return byType;
}

export async function onlineScenario(ctx: BenchContext, rates: readonly number[]): Promise<BenchRecord> {
  const seconds = ctx.scale < 1 ? 4 : 20;
  return withServices(
    ctx,
    ['dossier-intake', 'registration-office', 'population-matching', 'notification'],
    tracingOn,
    async (services, processes) => {
      const events = new KafkaTestConsumer(ctx.brokers, [Topics.DossierEvents, Topics.CaseEvents, Topics.MatchEvents]);
      await events.start();
      // k of the plan: messages the services published on all their topics, per dossier submitted.
      const admin = benchKafka(ctx, 'bench-s1-offsets').admin();
      await admin.connect();
      const publishedBefore = await messagesOnServiceTopics(admin);
      let submittedTotal = 0;
      const url = services['dossier-intake']!.baseUrl;
      const steps: Record<string, unknown>[] = [];
      let msr = 0;
      try {
        for (const rate of rates) {
          const run = randomUUID().slice(0, 8);
          const submittedAt = new Map<string, number>();
          const from = events.messages.length;
          const meter = new ProcessMeter(processes);
          meter.start();
          const http = await openLoop(rate, seconds, async (i) => {
            const t0 = Date.now();
            const code = await submitDossier(url, `s1-${run}-${i}`);
            submittedAt.set(code, t0);
          });
          // Downstream work still running after the last request is part of the step: wait (bounded) for it.
          const deadline = Date.now() + 60_000;
          const complete = () => {
            const arrived = arrivalTimes(events, from);
            return [...submittedAt.keys()].every(
              (code) => arrived.get('dossier.status-changed')?.has(code) && arrived.get('case.received')?.has(code),
            );
          };
          while (!complete() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
          const usage = meter.stop();
          const arrived = arrivalTimes(events, from);
          const after = (type: string) =>
            percentiles(
              [...submittedAt].flatMap(([code, t0]) =>
                arrived.get(type)?.has(code) ? [arrived.get(type)!.get(code)! - t0] : [],
              ),
            );
          const step = {
            rate,
            seconds,
            submitted: submittedAt.size,
            errors: http.errors,
            generatorLateStarts: http.lateStarts,
            http: percentiles(http.latencies),
            caseAtLro: after('case.received'),
            matchCompleted: after('match.completed'),
            finalStatusAtIntake: after('dossier.status-changed'),
            cpuMsPerDossier: submittedAt.size ? Math.round((usage.totalCpuMs / submittedAt.size) * 10) / 10 : undefined,
            cpuMs: usage.cpuMs,
            rssMiB: usage.rssMiB,
          };
          steps.push(step);
          submittedTotal += step.submitted;
          // The plan's SLO for the maximum sustainable rate: no errors, HTTP p99 ≤ 100 ms, final status p99 ≤ 1 s, all done.
          const holds =
            step.errors === 0 &&
            step.http.p99 <= 100 &&
            step.finalStatusAtIntake.count === step.submitted &&
            step.finalStatusAtIntake.p99 <= 1000;
          if (!holds) break;
          msr = rate;
        }
      } finally {
        await events.stop();
      }
      const published = (await messagesOnServiceTopics(admin)) - publishedBefore;
      await admin.disconnect();
      const last = steps[steps.length - 1] as { cpuMsPerDossier?: number } | undefined;
      return {
        id: 'S1',
        title: `online path end to end at open-loop rates (${rates.join(', ')} dossiers/s, ${seconds} s each, stops at the first step that misses the SLO)`,
        headline: { value: msr, unit: 'dossiers/s maximum sustainable rate (0 = below the first step)' },
        verdict: {
          target: 'MSR ≥ 300/s',
          floor: 'MSR ≥ 100/s; at 50/s HTTP p99 ≤ 50 ms, final status p99 ≤ 500 ms',
          floorHolds: msr >= 100,
        },
        cpuMsPerDossier: last?.cpuMsPerDossier,
        figures: {
          steps,
          slo: 'errors 0, HTTP p99 ≤ 100 ms, final status at intake p99 ≤ 1 s',
          messagesPublished: published,
          messagesPerDossier: submittedTotal > 0 ? Math.round((published / submittedTotal) * 100) / 100 : undefined,
        },
      };
    },
  );
}

/** Messages on the services' topics (every topic but Kafka's own and the benchmarks'), summed over partitions. */
async function messagesOnServiceTopics(admin: Admin): Promise<number> {
  const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__') && !t.startsWith('bench.'));
  let total = 0;
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high) - Number(p.low);
  }
  return total;
}
