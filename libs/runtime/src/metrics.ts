import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { DeadLetter, OutboxRelay, OutboxStats } from '@lienthong/messaging';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { OUTBOX_RELAY } from './outbox-sweeper.host';

/** Names of this system's own metrics (architecture §8); Node's default metrics come with them. */
export const MetricNames = {
  /** Gauge: events written to the service's outbox and not yet published (and removed), over all aggregates. */
  OutboxPendingEvents: 'lienthong_outbox_pending_events',
  /** Gauge: seconds since the oldest pending outbox event was written; 0 when nothing is pending. */
  OutboxOldestPendingAge: 'lienthong_outbox_oldest_pending_age_seconds',
  /** Counter: messages this process sent to its dead-letter topic since it started. */
  DeadLetters: 'lienthong_dead_letters_total',
} as const;

/** How long a scrape waits for the outbox reading before serving the previous one. */
const outboxReadTimeoutMs = 3_000;

/**
 * The service's Prometheus registry: default Node.js metrics plus the outbox backlog and the dead-letter count, all
 * labelled `service`. One registry per application (not prom-client's global one), so several applications in one
 * process (tests) do not collide. Feature modules may register their own metrics on `registry`.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly deadLetters: Counter<'service'>;
  private outboxSource: (() => Promise<OutboxStats>) | undefined;
  private lastOutbox: OutboxStats | undefined;

  constructor(
    private readonly service: string,
    private readonly clock: () => number = Date.now,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.deadLetters = new Counter({
      name: MetricNames.DeadLetters,
      help: 'Messages sent to the dead-letter topic <service>.dlq.v1 since the process started.',
      labelNames: ['service'],
      registers: [this.registry],
    });
    // Exposed as 0 from the start, so `increase()` sees the first dead letter.
    this.deadLetters.inc({ service }, 0);
    const readOutbox = (): Promise<OutboxStats | undefined> => this.readOutbox();
    const now = (): number => this.clock();
    new Gauge({
      name: MetricNames.OutboxPendingEvents,
      help: 'Outbox events written but not yet published (no sample for a service without an outbox).',
      labelNames: ['service'],
      registers: [this.registry],
      async collect() {
        const stats = await readOutbox();
        if (stats) this.set({ service }, stats.pendingEvents);
      },
    });
    new Gauge({
      name: MetricNames.OutboxOldestPendingAge,
      help: 'Seconds since the oldest pending outbox event was written (0 when none is pending).',
      labelNames: ['service'],
      registers: [this.registry],
      async collect() {
        const stats = await readOutbox();
        if (!stats) return;
        const oldest = stats.oldestPendingAt?.getTime();
        // Aged to the scrape: a reading served late (database slow or down) still shows the backlog growing older.
        this.set({ service }, oldest === undefined ? 0 : Math.max(0, (now() - oldest) / 1_000));
      },
    });
  }

  /** Counts one dead letter (ReliableConsumer's `onDeadLetter`). */
  recordDeadLetter(letter: Pick<DeadLetter, 'service'>): void {
    this.deadLetters.inc({ service: letter.service || this.service });
  }

  /**
   * Reports the outbox backlog read by `source` (usually `() => relay.measure(maxAgeMs)`) at scrapes. A reading that
   * fails or takes longer than 3 s is replaced by the previous one, so a database outage cannot hang the scrape.
   */
  observeOutbox(source: () => Promise<OutboxStats>): void {
    this.outboxSource = source;
  }

  /** The Prometheus text exposition and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private async readOutbox(): Promise<OutboxStats | undefined> {
    if (!this.outboxSource) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>(
      (resolve) => (timer = setTimeout(() => resolve(undefined), outboxReadTimeoutMs)),
    );
    try {
      this.lastOutbox = (await Promise.race([this.outboxSource(), timeout])) ?? this.lastOutbox;
    } catch {
      // Serve the previous reading; the outbox relay's own errors are logged by the sweeper.
    } finally {
      clearTimeout(timer);
    }
    return this.lastOutbox;
  }
}

/** Outbox readings are reused for this long, so frequent scrapes do not multiply the database scans. */
export const OUTBOX_MEASURE_MAX_AGE_MS = 5_000;

/**
 * Connects the outbox gauges to the service's OutboxRelay, if it has one, measured at scrape time. The relay is provided by a feature module
 * (dossier-intake, registration-office), which this global module cannot inject, hence the non-strict lookup once
 * every module is ready; services without an outbox simply expose no outbox samples.
 */
@Injectable()
export class OutboxMetricsBinder implements OnApplicationBootstrap {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly metrics: ServiceMetrics,
  ) {}

  onApplicationBootstrap(): void {
    let relay: OutboxRelay;
    try {
      relay = this.moduleRef.get<OutboxRelay>(OUTBOX_RELAY, { strict: false });
    } catch {
      return;
    }
    this.metrics.observeOutbox(() => relay.measure(OUTBOX_MEASURE_MAX_AGE_MS));
    new Logger('Metrics').log('outbox gauges bound to the outbox relay');
  }
}
