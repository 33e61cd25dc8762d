import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { CircuitBreaker, type BreakerOptions } from '../../application/circuit-breaker';
import type { VerifyDossierHandler } from '../../application/verify-dossier.handler';
import { LookupScheduler, RegistryThrottledError, RegistryUnavailableError } from '../../domain/match.ports';

/** BullMQ queue of registry lookups (`population-matching.<work>`). */
export const RegistryLookupQueueName = 'population-matching.registry-lookup';

export interface LookupJobData {
  dossierCode: string;
  round: number;
  /** W3C trace context (`traceparent`, `tracestate`) of the event that queued the job. */
  trace: Record<string, string>;
}

export interface LookupQueueOptions {
  redisUrl: string;
  /** Redis key prefix of the queue (BullMQ `prefix`). */
  prefix: string;
  /** The registry's quota: requests per window. */
  quota: number;
  quotaWindowMs: number;
  /** Added to the spacing between two requests, for clock and network jitter. */
  guardMs: number;
  concurrency: number;
  breaker: BreakerOptions;
  /** Pause after a registry failure while the breaker is still closed. */
  retryMs: number;
  /** Start the worker (off in processes that only enqueue). */
  work: boolean;
}

/** Job id from the business key: one job per dossier and round. BullMQ ids may not contain `:`. */
export function lookupJobId(dossierCode: string, round: number): string {
  return `${dossierCode}#${round}`;
}

/** Spacing of requests that keeps any window of `windowMs` within `quota` requests. */
export function requestSpacingMs(quota: number, windowMs: number, guardMs: number): number {
  return Math.ceil(windowMs / quota) + guardMs;
}

/**
 * The registry lookup queue and its worker. The worker's limiter is global (kept in Redis, shared by every process
 * of the service): at most one lookup per `windowMs / quota` (+ guard), so no window of the registry ever sees more
 * than its quota. A 429 pauses the whole queue for its Retry-After; a failure counts in the circuit breaker, and
 * while it is open the queue pauses and jobs wait (they are put back without using an attempt): the dossiers stay
 * IDENTITY_PENDING and resume by themselves when the registry answers again.
 */
export class BullmqLookupQueue extends LookupScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly breaker: CircuitBreaker;
  private readonly logger = new Logger('RegistryLookupQueue');
  private readonly queueConnection: Redis;
  private workerConnection: Redis | undefined;
  readonly queue: Queue<LookupJobData>;
  private worker: Worker<LookupJobData> | undefined;

  constructor(
    private readonly options: LookupQueueOptions,
    private readonly handler: VerifyDossierHandler,
  ) {
    super();
    this.breaker = new CircuitBreaker(options.breaker, Date.now());
    this.queueConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    this.queue = new Queue<LookupJobData>(RegistryLookupQueueName, {
      connection: this.queueConnection,
      prefix: options.prefix,
    });
  }

  override async schedule(dossierCode: string, round: number): Promise<void> {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    await this.queue.add(
      'verify-dossier',
      { dossierCode, round, trace: carrier },
      {
        jobId: lookupJobId(dossierCode, round),
        attempts: 10,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: { age: 24 * 3600, count: 100_000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  }

  onApplicationBootstrap(): void {
    if (!this.options.work) return;
    this.workerConnection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.worker = new Worker<LookupJobData>(RegistryLookupQueueName, (job) => this.process(job), {
      connection: this.workerConnection,
      prefix: this.options.prefix,
      concurrency: this.options.concurrency,
      limiter: {
        max: 1,
        duration: requestSpacingMs(this.options.quota, this.options.quotaWindowMs, this.options.guardMs),
      },
    });
    this.worker.on('failed', (job, error) =>
      this.logger.warn(`lookup job ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`),
    );
    this.worker.on('error', (error) => this.logger.warn(`lookup worker: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.queueConnection.disconnect();
  }

  /** Jobs waiting, delayed or active (for the status endpoint and tests). */
  async backlog(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  private async process(job: Job<LookupJobData>): Promise<string> {
    const wait = this.breaker.waitMs(Date.now());
    if (wait > 0) {
      await this.queue.rateLimit(wait);
      throw Worker.RateLimitError();
    }
    const parent = propagation.extract(ROOT_CONTEXT, job.data.trace ?? {});
    const tracer = trace.getTracer('population-matching');
    try {
      const outcome = await context.with(parent, () =>
        tracer.startActiveSpan(`lookup ${RegistryLookupQueueName}`, async (span) => {
          span.setAttribute('dossier.code', job.data.dossierCode);
          try {
            return await this.handler.verify(job.data.dossierCode, job.data.round);
          } finally {
            span.end();
          }
        }),
      );
      if (outcome === 'COMPLETED') this.breaker.success(Date.now());
      else this.breaker.release();
      return outcome;
    } catch (error) {
      const now = Date.now();
      if (error instanceof RegistryThrottledError) {
        // The registry answered: it is up, only busy. Everybody waits for its Retry-After.
        this.breaker.success(now);
        await this.queue.rateLimit(error.retryAfterMs);
        throw Worker.RateLimitError();
      }
      if (error instanceof RegistryUnavailableError) {
        this.breaker.failure(now);
        const pause = this.breaker.status(now).retryInMs || this.options.retryMs;
        this.logger.warn(`registry unavailable (${error.message}); lookups paused for ${pause} ms`);
        await this.queue.rateLimit(pause);
        throw Worker.RateLimitError();
      }
      this.breaker.release();
      throw error;
    }
  }
}
