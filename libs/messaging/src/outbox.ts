import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import type { EventEnvelope } from './event-envelope';
import type { KafkaPublisher } from './kafka-publisher';

/**
 * An event waiting in its aggregate document's `outbox` array, written in the same atomic update as the state
 * change that produced it (architecture §5). `trace` holds the W3C trace context of the request that caused it.
 */
export interface OutboxEntry {
  event: EventEnvelope;
  /** `traceparent`/`tracestate` captured at write time; restored when the event is published. */
  trace: Record<string, string>;
}

/** Wraps events for the outbox, capturing the active trace context. */
export function toOutboxEntries(events: readonly EventEnvelope[]): OutboxEntry[] {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return events.map((event) => ({ event, trace: { ...carrier } }));
}

/** Storage side of the outbox: reading and removing pending entries of one aggregate (one document each). */
export interface OutboxStore {
  /** Pending entries of the aggregate, oldest first. */
  pending(aggregateId: string): Promise<OutboxEntry[]>;
  /** Removes published entries (as returned by `pending`). */
  remove(aggregateId: string, entries: OutboxEntry[]): Promise<void>;
  /** Aggregates that still have pending entries, at most `limit`. */
  withPending(limit: number): Promise<string[]>;
}

/**
 * Publishes an aggregate's pending events in order, then removes them. Called right after a write, and periodically
 * by `sweep()` for events left behind by a crash or a broker outage. A crash between publish and removal publishes
 * an event again; consumers absorb duplicates by `sequence`.
 */
export class OutboxRelay {
  constructor(
    private readonly store: OutboxStore,
    private readonly publisher: KafkaPublisher,
    private readonly topic: string,
  ) {}

  /** Publishes the aggregate's pending events; returns how many were published. */
  async relay(aggregateId: string): Promise<number> {
    const entries = await this.store.pending(aggregateId);
    if (entries.length === 0) return 0;
    // Each event is sent in the trace of the request that produced it, so the consumer's span joins that trace.
    for (const entry of entries) {
      const parent = propagation.extract(ROOT_CONTEXT, entry.trace);
      await context.with(parent, () => this.publisher.publish(this.topic, [entry.event]));
    }
    await this.store.remove(aggregateId, entries);
    return entries.length;
  }

  /** Relays every aggregate with pending events (bounded per call); returns how many events were published. */
  async sweep(limit = 100): Promise<number> {
    let published = 0;
    for (const aggregateId of await this.store.withPending(limit)) published += await this.relay(aggregateId);
    return published;
  }
}

/**
 * Runs `relay.sweep()` every `intervalMs`, never two at once, so events left behind by a crash or a broker outage
 * are published without anybody restarting anything. Errors are reported and retried on the next tick.
 */
export class OutboxSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      if (this.running) return;
      this.running = this.relay
        .sweep()
        .catch(this.onError)
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
