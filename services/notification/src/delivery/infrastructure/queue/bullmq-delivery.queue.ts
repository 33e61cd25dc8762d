import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { context, propagation } from '@opentelemetry/api';
import { Queue } from 'bullmq';
import { DeliveryQueue, type DeliveryJob } from '../../domain/delivery.ports';
import { closeWithin } from './close-within';

/** Retry policy of the delivery jobs, and the queue they are in. */
export interface DeliveryRetryPolicy {
  /** BullMQ queue name (`notification.deliveries`; no `:`). */
  queueName: string;
  attempts: number;
  /** First backoff, doubled at each further attempt. */
  backoffMs: number;
}

/**
 * Adds one job per delivery with the delivery id as job id: BullMQ ignores an add whose id exists, so a redelivered
 * status event does not queue a delivery twice. Finished jobs are kept (7 days, 100,000 at most) for that check;
 * past it, the delivery log (a settled outcome is never sent again) is what prevents a second send.
 */
@Injectable()
export class BullmqDeliveryQueue extends DeliveryQueue implements OnApplicationShutdown {
  readonly queue: Queue<DeliveryJob>;

  constructor(
    redisUrl: string,
    private readonly policy: DeliveryRetryPolicy,
  ) {
    super();
    this.queue = new Queue<DeliveryJob>(policy.queueName, {
      connection: { url: redisUrl, maxRetriesPerRequest: null },
    });
  }

  async enqueue(jobs: DeliveryJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const trace: Record<string, string> = {};
    propagation.inject(context.active(), trace);
    await this.queue.addBulk(
      jobs.map((job) => ({
        name: job.channel,
        data: { ...job, trace },
        opts: {
          jobId: job.deliveryId,
          attempts: this.policy.attempts,
          backoff: { type: 'exponential', delay: this.policy.backoffMs },
          removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
          removeOnFail: { age: 30 * 24 * 3600 },
        },
      })),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await closeWithin(this.queue, 2_000);
  }
}
