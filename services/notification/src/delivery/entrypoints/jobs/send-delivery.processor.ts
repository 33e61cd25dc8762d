import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { SendDeliveryHandler } from '../../application/send-delivery/send-delivery.handler';
import type { DeliveryJob } from '../../domain/delivery.ports';
import { type DeliveryRetryPolicy } from '../../infrastructure/queue/bullmq-delivery.queue';
import { closeWithin } from '../../infrastructure/queue/close-within';

/** Settings of the delivery worker. */
export interface DeliveryWorkerSettings extends DeliveryRetryPolicy {
  redisUrl: string;
  concurrency: number;
  /** Lock on a running job; a crashed worker's job is taken over after it (stalled check at the same interval). */
  lockMs: number;
}

/** DI token of the worker settings. */
export const DELIVERY_WORKER_SETTINGS = Symbol('DELIVERY_WORKER_SETTINGS');

/**
 * Runs delivery jobs. An attempt that failed and may be retried throws, so BullMQ schedules the next one after
 * the exponential backoff; a delivery given up ends as UnrecoverableError. A job whose worker died is "stalled":
 * after the lock expires it runs again, up to 10 times, because a crash is not the delivery's fault.
 */
@Injectable()
export class SendDeliveryProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SendDeliveryProcessor.name);
  private worker: Worker<DeliveryJob> | undefined;

  constructor(
    private readonly handler: SendDeliveryHandler,
    @Inject(DELIVERY_WORKER_SETTINGS) private readonly settings: DeliveryWorkerSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker<DeliveryJob>(this.settings.queueName, (job) => this.process(job), {
      connection: { url: this.settings.redisUrl, maxRetriesPerRequest: null },
      concurrency: this.settings.concurrency,
      lockDuration: this.settings.lockMs,
      stalledInterval: this.settings.lockMs,
      maxStalledCount: 10,
    });
    this.worker.on('error', (error) => this.logger.warn(`delivery worker: ${error.message}`));
  }

  async process(job: Job<DeliveryJob>): Promise<string> {
    // A job re-queued by the reconciler continues the count its delivery had reached, with a fresh budget.
    const prior = job.data.priorAttempts ?? 0;
    const attempt = prior + job.attemptsMade + 1;
    const maxAttempts = prior + (job.opts.attempts ?? this.settings.attempts);
    const parent = propagation.extract(ROOT_CONTEXT, job.data.trace ?? {});
    const outcome = await context.with(parent, () =>
      this.handler.execute(job.data, {
        attempt,
        maxAttempts,
        nextDelayMs: this.settings.backoffMs * 2 ** job.attemptsMade,
      }),
    );
    if (outcome === 'retry') throw new Error(`attempt ${attempt} of delivery ${job.data.deliveryId} failed`);
    if (outcome === 'failed') throw new UnrecoverableError(`delivery ${job.data.deliveryId} given up`);
    return outcome;
  }

  async onApplicationShutdown(): Promise<void> {
    // Waits for the jobs in progress (their outcome is recorded before the process exits), but not on a Redis that
    // does not answer.
    if (this.worker) await closeWithin(this.worker, 5_000);
  }
}
