import { randomUUID } from 'node:crypto';
// The benchmark measures the service's own queue wrappers in this process, so it imports them by path (services
// export no library); nothing else in test/ does.
/* eslint-disable @nx/enforce-module-boundaries */
import type { SendDeliveryHandler } from '../../../../services/notification/src/delivery/application/send-delivery/send-delivery.handler';
import { SendDeliveryProcessor } from '../../../../services/notification/src/delivery/entrypoints/jobs/send-delivery.processor';
import { BullmqDeliveryQueue } from '../../../../services/notification/src/delivery/infrastructure/queue/bullmq-delivery.queue';
/* eslint-enable @nx/enforce-module-boundaries */
import { bullmqBaseline } from '../baselines/bullmq';
import { sized, type BenchContext, type BenchRecord } from '../context';

// S5: notification's delivery queue as the service runs it (BullmqDeliveryQueue: job ids from the delivery,
// retry options, retention, trace context in the data; SendDeliveryProcessor: attempts, trace restore, outcome
// mapping) with a handler that does nothing, against Q1's bare BullMQ no-op worker in the same run.

export async function jobScenarios(ctx: BenchContext): Promise<BenchRecord[]> {
  const q1 = await bullmqBaseline(ctx);
  const count = sized(ctx, 20000, 1000);
  const queueName = `bench.${ctx.run}.deliveries`;
  const policy = { queueName, attempts: 5, backoffMs: 1000 };
  const queue = new BullmqDeliveryQueue(ctx.redisUrl, policy);
  let done = 0;
  let finish: () => void = () => undefined;
  const drained = new Promise<void>((resolve) => (finish = resolve));
  const handler = {
    execute: () => {
      if (++done === count) finish();
      return Promise.resolve('sent' as const);
    },
  } as unknown as SendDeliveryHandler;
  const processor = new SendDeliveryProcessor(handler, {
    ...policy,
    redisUrl: ctx.redisUrl,
    concurrency: 100,
    lockMs: 30_000,
  });
  try {
    const run = randomUUID().slice(0, 8);
    const t0 = performance.now();
    for (let s = 0; s < count; s += 50) {
      await queue.enqueue(
        Array.from({ length: Math.min(50, count - s) }, (_, j) => ({
          deliveryId: `${run}-${s + j}`,
          eventId: `${run}-e${s + j}`,
          dossierCode: `000.00.56.H42-261201-${String((s + j) % 10000).padStart(4, '0')}`,
          channel: 'SMS' as const,
        })),
      );
    }
    const addMs = performance.now() - t0;
    const t1 = performance.now();
    processor.onApplicationBootstrap();
    await drained;
    const processMs = performance.now() - t1;
    const processPerSec = Math.round(count / (processMs / 1000));
    const baseline = (q1.figures['bullmq'] as { processPerSec: number }).processPerSec;
    const r5 = Math.round((processPerSec / baseline) * 100) / 100;
    return [
      q1,
      {
        id: 'S5',
        title:
          "notification's delivery queue and worker wrappers with a no-op handler (bulk add of 50, concurrency 100)",
        headline: { value: processPerSec, unit: 'jobs/s' },
        ratio: { name: 'R5', baseline: 'Q1 BullMQ worker-concurrent, same run', value: r5 },
        verdict: { target: 'R5 ≥ 0.7', floor: 'R5 ≥ 0.5', floorHolds: r5 >= 0.5 },
        figures: {
          count,
          addPerSec: Math.round(count / (addMs / 1000)),
          processPerSec,
          baselineProcessPerSec: baseline,
        },
      },
    ];
  } finally {
    await processor.onApplicationShutdown();
    await queue.queue.obliterate({ force: true }).catch(() => undefined);
    await queue.onApplicationShutdown();
  }
}
