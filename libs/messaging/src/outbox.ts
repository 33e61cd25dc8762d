import { hostname } from 'node:os';
import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { newId } from '@lienthong/kernel';
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

/**
 * Storage side of the outbox. Every method is one single-document operation (or a read), because FerretDB has no
 * multi-document transactions. The lease (`owner`, expiry) lives in the aggregate document next to its outbox, so
 * only one relay publishes an aggregate's events at a time and their order is kept; it expires so that a relay that
 * crashed while holding it blocks nobody for longer than the lease.
 */
export interface OutboxStore {
  /**
   * Takes the aggregate's relay lease for `owner` until `until`, if the aggregate has pending entries and nobody
   * holds a lease that is still valid at `now`. Resolves with the pending entries, oldest first, read in the same
   * atomic step when taken; null when not.
   */
  acquireLease(aggregateId: string, owner: string, now: Date, until: Date): Promise<OutboxEntry[] | null>;
  /** Moves the expiry of a lease `owner` still holds; resolves false when it has lost it (expired and taken over). */
  renewLease(aggregateId: string, owner: string, until: Date): Promise<boolean>;
  /** Gives the lease up if `owner` still holds it. */
  releaseLease(aggregateId: string, owner: string): Promise<void>;
  /** Pending entries of the aggregate, oldest first. */
  pending(aggregateId: string): Promise<OutboxEntry[]>;
  /**
   * Removes published entries (as returned by `acquireLease`) and, in the same update, releases the lease if `owner`
   * still holds it. Entries are removed even when the lease was lost: they are published, and removal is idempotent.
   * Resolves with the number of entries still pending (written meanwhile).
   */
  remove(aggregateId: string, entries: OutboxEntry[], owner: string): Promise<number>;
  /** Aggregates that have pending entries and no lease valid at `now`, at most `limit`. */
  withPending(limit: number, now?: Date): Promise<string[]>;
  /** Number of pending entries over all aggregates. */
  countPending(): Promise<number>;
  /** `time` of the oldest pending event over all aggregates; null when nothing is pending. */
  oldestPending(): Promise<Date | null>;
}

/** A snapshot of an outbox's backlog, taken by `OutboxRelay.measure()`. */
export interface OutboxStats {
  /** Events written but not yet published and removed. */
  pendingEvents: number;
  /** Write time (`event.time`) of the oldest pending event; null when nothing is pending. */
  oldestPendingAt: Date | null;
  /** When the snapshot was taken. */
  measuredAt: Date;
}

/** Tuning of an OutboxRelay. */
export interface OutboxRelayOptions {
  /**
   * How long a relay holds an aggregate's lease before another relay may take it over, in ms (default 30 s). Must
   * exceed one publish's worst case: the lease is renewed between events, not during a send.
   */
  leaseMs?: number;
  /** Source of "now"; the lease compares clocks of different processes, so keep their skew well below `leaseMs`. */
  now?: () => Date;
  /**
   * How often `sweep()` scans the whole collection for pending events, in ms (default 60 s; the first sweep always
   * scans). Between scans a sweep only revisits the aggregates this process knows to be behind: those whose relay
   * failed, found another relay's lease, or were left over by a scan. On FerretDB a scan reads every document (about
   * 1 ms each), so scanning at every tick would cost the database more than the traffic itself; the scan is needed
   * only for what other processes left behind when they crashed.
   */
  fullSweepIntervalMs?: number;
}

// A `now` after every lease's expiry: the scan's view of "pending, whoever holds the lease".
const endOfTime = new Date(8.64e15);
// Aggregates one scan remembers at most; a sweep works through them `limit` at a time.
const scanLimit = 10_000;

// Rounds of lease-publish-release per relay() call: entries written while a relay held the lease were skipped by
// their writer's own relay call, so the holder looks again after releasing. Bounded so that a hot aggregate cannot
// keep one caller busy forever; the sweeper takes over the rest.
const maxRoundsPerRelay = 5;

/**
 * Publishes an aggregate's pending events in order under its lease, then removes them. Called right after a write,
 * and periodically by `sweep()` for events left behind by a crash or a broker outage. A relay that finds the lease
 * taken returns at once: the holder publishes those events (or, if it crashed, the sweeper does once the lease
 * expires). A crash between publish and removal publishes an event again; consumers absorb duplicates by `sequence`.
 */
export class OutboxRelay {
  private readonly leaseMs: number;
  private readonly now: () => Date;
  // Identifies this process in leases, so an operator can tell who holds one (docs/operations).
  private readonly ownerPrefix = `${hostname()}/${process.pid}`;
  private lastStats: OutboxStats | undefined;
  private measuring: Promise<OutboxStats> | undefined;
  // Aggregates whose last sweep failed: skipped until `until` (ms since the epoch).
  private readonly failures = new Map<string, { count: number; until: number }>();
  // Aggregates that may still have pending events: the sweeper's work list between scans.
  private readonly behind = new Set<string>();
  private readonly fullSweepIntervalMs: number;
  private lastScanAt: number | undefined;

  constructor(
    private readonly store: OutboxStore,
    private readonly publisher: KafkaPublisher,
    private readonly topic: string,
    options: OutboxRelayOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.now = options.now ?? (() => new Date());
    this.fullSweepIntervalMs = options.fullSweepIntervalMs ?? 60_000;
  }

  /** Publishes the aggregate's pending events; returns how many were published (0 if another relay holds it). */
  async relay(aggregateId: string): Promise<number> {
    let published = 0;
    // Whether the aggregate may still hold events when this call returns; if so the sweeper comes back to it.
    let behind = true;
    try {
      for (let round = 0; round < maxRoundsPerRelay; round += 1) {
        const result = await this.relayUnderLease(aggregateId);
        if (!result) {
          // Not taken: nothing pending, or another relay at work (which may crash: its lease then expires).
          behind = (await this.store.pending(aggregateId)).length > 0;
          break;
        }
        published += result.published;
        if (result.leaseLost) break;
        // Entries written while we held the lease were skipped by their writer's own relay call: go round again.
        if (result.remaining === 0) {
          behind = false;
          break;
        }
      }
    } finally {
      if (behind) this.behind.add(aggregateId);
      else this.behind.delete(aggregateId);
    }
    return published;
  }

  /**
   * Relays aggregates with pending events, at most `limit` per call; returns how many events were published. The
   * first call, and then one every `fullSweepIntervalMs`, scans the collection for every aggregate with pending events
   * (also those under a lease, which may belong to a crashed process); the calls between revisit only the aggregates
   * known to be behind. Stops at the first failure (during a broker outage every aggregate would fail, each after the
   * publisher's retries) and rethrows it naming the aggregate. A failed aggregate is skipped by the next sweeps for a
   * growing while (2 s up to 10 s), so that one aggregate whose events cannot be published does not hold up all the
   * others; the cap is short because after an outage every aggregate has failed, and the broker's return should not
   * wait long for any.
   */
  async sweep(limit = 100): Promise<number> {
    let published = 0;
    const now = this.now().getTime();
    for (const [id, backoff] of this.failures) if (backoff.until < now - 600_000) this.failures.delete(id);
    if (this.lastScanAt === undefined || now - this.lastScanAt >= this.fullSweepIntervalMs) {
      for (const id of await this.store.withPending(scanLimit, endOfTime)) this.behind.add(id);
      this.lastScanAt = now;
    }
    const due = [...this.behind].filter((id) => !((this.failures.get(id)?.until ?? 0) > now)).slice(0, limit);
    for (const aggregateId of due) {
      const backoff = this.failures.get(aggregateId);
      try {
        published += await this.relay(aggregateId);
        this.failures.delete(aggregateId);
      } catch (error) {
        const count = (backoff?.count ?? 0) + 1;
        this.failures.set(aggregateId, { count, until: now + Math.min(1_000 * 2 ** count, 10_000) });
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`relay of ${aggregateId} failed: ${reason}`, { cause: error });
      }
    }
    return published;
  }

  /**
   * Reads the backlog (pending count, oldest pending event). A reading younger than `maxAgeMs` is reused and one in
   * progress is shared, so that scrapes cost the database at most one pair of scans per `maxAgeMs`: on FerretDB
   * each is a collection scan (about 0.7 s per 3,000 documents), too dear to repeat on every sweep.
   */
  async measure(maxAgeMs = 0): Promise<OutboxStats> {
    const last = this.lastStats;
    if (last && this.now().getTime() - last.measuredAt.getTime() < maxAgeMs) return last;
    this.measuring ??= (async () => {
      const [pendingEvents, oldestPendingAt] = await Promise.all([
        this.store.countPending(),
        this.store.oldestPending(),
      ]);
      this.lastStats = { pendingEvents, oldestPendingAt, measuredAt: this.now() };
      return this.lastStats;
    })().finally(() => (this.measuring = undefined));
    return this.measuring;
  }

  /** The last reading taken by `measure()`; undefined before the first. */
  get stats(): OutboxStats | undefined {
    return this.lastStats;
  }

  /** One round: undefined when the lease was not taken (nothing pending, or another relay is at work). */
  private async relayUnderLease(
    aggregateId: string,
  ): Promise<{ published: number; leaseLost: boolean; remaining: number } | undefined> {
    // A fresh owner per round: two calls in one process must exclude each other as much as two processes do.
    const owner = `${this.ownerPrefix}/${newId()}`;
    let until = this.leaseUntil();
    const entries = await this.store.acquireLease(aggregateId, owner, this.now(), until);
    if (!entries) return undefined;
    let removed = false;
    try {
      const published: OutboxEntry[] = [];
      let leaseLost = false;
      for (const entry of entries) {
        if (until.getTime() - this.now().getTime() < this.leaseMs / 2) {
          until = this.leaseUntil();
          // Lost: another relay took over after our lease expired and publishes from the start, so stop here; what
          // we sent meanwhile reaches consumers as duplicates of events it sends again, never out of order.
          if (!(await this.store.renewLease(aggregateId, owner, until))) {
            leaseLost = true;
            break;
          }
        }
        // Each event is sent in the trace of the request that produced it, so the consumer's span joins that trace.
        const parent = propagation.extract(ROOT_CONTEXT, entry.trace);
        await context.with(parent, () => this.publisher.publish(this.topic, [entry.event]));
        published.push(entry);
      }
      const remaining = await this.store.remove(aggregateId, published, owner);
      removed = true;
      return { published: published.length, leaseLost, remaining };
    } finally {
      // After a failed publish, let the next attempt (the sweeper) start at once instead of waiting for expiry.
      if (!removed) await this.store.releaseLease(aggregateId, owner).catch(() => undefined);
    }
  }

  private leaseUntil(): Date {
    return new Date(this.now().getTime() + this.leaseMs);
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
