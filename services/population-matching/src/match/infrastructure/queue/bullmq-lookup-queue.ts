import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { type Job, Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { CircuitBreaker, type BreakerOptions } from '../../application/circuit-breaker';
import type { VerifyDossierHandler } from '../../application/verify-dossier.handler';
import type { LookupPurpose, RegistryQuery } from '../../domain/matching/registry-record';
import {
  LookupScheduler,
  type RegistryAnswer,
  RegistryThrottledError,
  RegistryUnavailableError,
} from '../../domain/match.ports';

/** BullMQ queues of registry lookups (`population-matching.<work>`): dossiers', and the bulk campaign's. */
export const RegistryLookupQueueName = 'population-matching.registry-lookup';
export const CampaignLookupQueueName = 'population-matching.campaign-lookup';

export interface LookupJobData {
  dossierCode: string;
  round: number;
  /** W3C trace context (`traceparent`, `tracestate`) of the event that queued the job. */
  trace: Record<string, string>;
}

/** A batch lookup queued by a campaign: the answers are the job's return value. */
export interface BatchJobData {
  queries: RegistryQuery[];
  purpose: LookupPurpose;
}

/** Performs one registry batch request and writes it to the lookup log (for campaign jobs). */
export type BatchLookup = (queries: readonly RegistryQuery[], purpose: LookupPurpose) => Promise<RegistryAnswer[]>;

export interface LookupQueueOptions {
  /** Queue name; RegistryLookupQueueName unless given. */
  queueName?: string;
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
  readonly queue: Queue<LookupJobData | BatchJobData>;
  private worker: Worker<LookupJobData | BatchJobData> | undefined;
  private events: QueueEvents | undefined;
  private eventsConnection: Redis | undefined;

  constructor(
    private readonly options: LookupQueueOptions,
    private readonly handler: Pick<VerifyDossierHandler, 'verify'>,
    private readonly batchLookup: BatchLookup,
  ) {
    super();
    this.breaker = new CircuitBreaker(options.breaker, Date.now());
    this.queueConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    this.queue = new Queue<LookupJobData | BatchJobData>(this.name, {
      connection: this.queueConnection,
      prefix: options.prefix,
    });
  }

  get name(): string {
    return this.options.queueName ?? RegistryLookupQueueName;
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
    this.worker = new Worker<LookupJobData | BatchJobData>(this.name, (job) => this.process(job), {
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

  /**
   * Queues one batch lookup under the same global rate limit as the dossiers' lookups and waits for its answers.
   * `jobId` comes from the business key (campaign and batch number), so a resumed campaign finds a batch that was
   * already answered instead of asking again.
   */
  async lookupBatch(jobId: string, queries: RegistryQuery[], purpose: LookupPurpose): Promise<RegistryAnswer[]> {
    if (!this.events) {
      this.eventsConnection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
      this.events = new QueueEvents(this.name, {
        connection: this.eventsConnection,
        prefix: this.options.prefix,
      });
      // Every waiting caller listens for its job's end: a campaign keeps many batches in flight.
      this.events.setMaxListeners(0);
    }
    await this.events.waitUntilReady();
    const job = await this.queue.add(
      'registry-batch',
      { queries, purpose },
      {
        jobId,
        attempts: 10,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: { age: 6 * 3600, count: 5000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
    return (await job.waitUntilFinished(this.events)) as RegistryAnswer[];
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.events?.close();
    this.eventsConnection?.disconnect();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.queueConnection.disconnect();
  }

  /** Jobs waiting, delayed or active (for the status endpoint and tests). */
  async backlog(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  private async process(job: Job<LookupJobData | BatchJobData>): Promise<unknown> {
    const wait = this.breaker.waitMs(Date.now());
    if (wait > 0) {
      await this.queue.rateLimit(wait);
      throw Worker.RateLimitError();
    }
    const data = job.data;
    const tracer = trace.getTracer('population-matching');
    try {
      if ('queries' in data) {
        const answers = await this.batchLookup(data.queries, data.purpose);
        this.breaker.success(Date.now());
        return answers;
      }
      const parent = propagation.extract(ROOT_CONTEXT, data.trace ?? {});
      const outcome = await context.with(parent, () =>
        tracer.startActiveSpan(`lookup ${this.name}`, async (span) => {
          span.setAttribute('dossier.code', data.dossierCode);
          try {
            return await this.handler.verify(data.dossierCode, data.round);
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
