import { createEvent, type EventEnvelope } from './event-envelope';
import type { KafkaPublisher } from './kafka-publisher';
import { OutboxRelay, type OutboxEntry, type OutboxStore } from './outbox';

// The relay's lease protocol against an in-memory store with the same single-document semantics as MongoOutboxStore.
class MemoryOutboxStore implements OutboxStore {
  readonly docs = new Map<string, { outbox: OutboxEntry[]; lease?: { owner: string; until: Date } }>();
  acquisitions = 0;
  scans = 0;

  add(id: string, ...events: EventEnvelope[]): void {
    const doc = this.docs.get(id) ?? { outbox: [] };
    doc.outbox.push(...events.map((event) => ({ event, trace: {} })));
    this.docs.set(id, doc);
  }
  acquireLease(id: string, owner: string, now: Date, until: Date): Promise<OutboxEntry[] | null> {
    const doc = this.docs.get(id);
    const free = !doc?.lease || doc.lease.until < now;
    if (!doc || doc.outbox.length === 0 || !free) return Promise.resolve(null);
    doc.lease = { owner, until };
    this.acquisitions += 1;
    return Promise.resolve([...doc.outbox]);
  }
  renewLease(id: string, owner: string, until: Date): Promise<boolean> {
    const doc = this.docs.get(id);
    if (doc?.lease?.owner !== owner) return Promise.resolve(false);
    doc.lease.until = until;
    return Promise.resolve(true);
  }
  releaseLease(id: string, owner: string): Promise<void> {
    const doc = this.docs.get(id);
    if (doc?.lease?.owner === owner) delete doc.lease;
    return Promise.resolve();
  }
  pending(id: string): Promise<OutboxEntry[]> {
    return Promise.resolve([...(this.docs.get(id)?.outbox ?? [])]);
  }
  remove(id: string, entries: OutboxEntry[], owner: string): Promise<number> {
    const doc = this.docs.get(id)!;
    doc.outbox = doc.outbox.filter((e) => !entries.includes(e));
    if (doc.lease?.owner === owner) delete doc.lease;
    return Promise.resolve(doc.outbox.length);
  }
  withPending(limit: number, now = new Date()): Promise<string[]> {
    this.scans += 1;
    const ids = [...this.docs].filter(([, d]) => d.outbox.length > 0 && (!d.lease || d.lease.until < now));
    return Promise.resolve(ids.slice(0, limit).map(([id]) => id));
  }
  countPending(): Promise<number> {
    return Promise.resolve([...this.docs.values()].reduce((n, d) => n + d.outbox.length, 0));
  }
  oldestPending(): Promise<Date | null> {
    const times = [...this.docs.values()].flatMap((d) => d.outbox.map((e) => Date.parse(e.event.time)));
    return Promise.resolve(times.length ? new Date(Math.min(...times)) : null);
  }
}

/** Records published sequences; `during` runs inside a send, to interleave other work with it. */
class FakePublisher {
  readonly sent: number[] = [];
  failAt: number | undefined;
  during: ((sequence: number) => Promise<void>) | undefined;
  async publish(_topic: string, events: readonly EventEnvelope[]): Promise<void> {
    for (const event of events) {
      if (event.sequence === this.failAt) throw new Error('broker down');
      await this.during?.(event.sequence);
      this.sent.push(event.sequence);
    }
  }
}

const event = (sequence: number, time = new Date(Date.UTC(2026, 0, 1, 0, 0, sequence))): EventEnvelope =>
  createEvent({ type: 'dossier.submitted', source: '/test', subject: 'D1', sequence, data: {}, time });

function setUp(options: { leaseMs?: number; now?: () => Date; fullSweepIntervalMs?: number } = {}) {
  const store = new MemoryOutboxStore();
  const publisher = new FakePublisher();
  const relay = new OutboxRelay(store, publisher as unknown as KafkaPublisher, 'topic', options);
  return { store, publisher, relay };
}

describe('OutboxRelay', () => {
  it('publishes pending events in order under a lease, removes them and releases the lease', async () => {
    const { store, publisher, relay } = setUp();
    store.add('D1', event(1), event(2), event(3));
    expect(await relay.relay('D1')).toBe(3);
    expect(publisher.sent).toEqual([1, 2, 3]);
    expect(store.docs.get('D1')).toEqual({ outbox: [] });
  });

  it('returns 0 without publishing while another relay holds the lease', async () => {
    const { store, publisher, relay } = setUp();
    store.add('D1', event(1));
    await store.acquireLease('D1', 'someone-else', new Date(), new Date(Date.now() + 60_000));
    expect(await relay.relay('D1')).toBe(0);
    expect(publisher.sent).toEqual([]);
  });

  it('lets one of two concurrent relays publish, and the holder picks up events written meanwhile', async () => {
    const { store, publisher, relay } = setUp();
    store.add('D1', event(1));
    let second: Promise<number> | undefined;
    publisher.during = async (sequence) => {
      if (sequence !== 1) return;
      store.add('D1', event(2)); // a write while the first relay holds the lease; its own relay call finds it taken
      second = relay.relay('D1');
      await second;
    };
    expect(await relay.relay('D1')).toBe(2);
    expect(await second).toBe(0);
    expect(publisher.sent).toEqual([1, 2]);
  });

  it('takes over an expired lease of a relay that crashed', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const { store, publisher, relay } = setUp({ leaseMs: 10_000, now: () => now });
    store.add('D1', event(1));
    await store.acquireLease('D1', 'crashed', now, new Date(now.getTime() + 10_000));
    expect(await relay.sweep()).toBe(0);
    now = new Date(now.getTime() + 10_001);
    expect(await relay.sweep()).toBe(1);
    expect(publisher.sent).toEqual([1]);
  });

  it('stops when its lease was taken over mid-way, removing only what it published', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const { store, publisher, relay } = setUp({ leaseMs: 10_000, now: () => now });
    store.add('D1', event(1), event(2));
    publisher.during = (sequence) => {
      if (sequence === 1) {
        now = new Date(now.getTime() + 20_000); // the send outlived the lease ...
        store.docs.get('D1')!.lease = { owner: 'other', until: new Date(now.getTime() + 10_000) }; // ... and it was taken
      }
      return Promise.resolve();
    };
    expect(await relay.relay('D1')).toBe(1);
    expect(publisher.sent).toEqual([1]);
    expect(store.docs.get('D1')!.outbox.map((e) => e.event.sequence)).toEqual([2]);
    expect(store.docs.get('D1')!.lease?.owner).toBe('other');
  });

  it('releases the lease when a publish fails, so the next attempt need not wait for expiry', async () => {
    const { store, publisher, relay } = setUp();
    store.add('D1', event(1), event(2));
    publisher.failAt = 2;
    await expect(relay.relay('D1')).rejects.toThrow('broker down');
    expect(store.docs.get('D1')!.lease).toBeUndefined();
    expect(store.docs.get('D1')!.outbox).toHaveLength(2);
    publisher.failAt = undefined;
    expect(await relay.relay('D1')).toBe(2);
    expect(publisher.sent).toEqual([1, 1, 2]); // at least once: the consumer absorbs the repeat of 1
  });

  it('sweeps past an aggregate that keeps failing, retrying it after a growing pause', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const { store, publisher, relay } = setUp({ now: () => now });
    store.add('D1', event(1));
    store.add('D2', event(2));
    publisher.failAt = 1; // D1's event cannot be published
    await expect(relay.sweep()).rejects.toThrow('relay of D1 failed: broker down');
    expect(await relay.sweep()).toBe(1); // D1 waits 2 s; D2 goes
    expect(publisher.sent).toEqual([2]);
    now = new Date(now.getTime() + 2_001);
    await expect(relay.sweep()).rejects.toThrow('relay of D1 failed');
    now = new Date(now.getTime() + 2_001);
    expect(await relay.sweep()).toBe(0); // second failure: 4 s
    publisher.failAt = undefined;
    now = new Date(now.getTime() + 2_000);
    expect(await relay.sweep()).toBe(1);
    expect(publisher.sent).toEqual([2, 1]);
  });

  it('scans the collection only every fullSweepIntervalMs, revisiting between scans what it knows to be behind', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const { store, publisher, relay } = setUp({ now: () => now, fullSweepIntervalMs: 60_000 });
    store.add('D1', event(1));
    expect(await relay.sweep()).toBe(1); // the first sweep scans
    expect(store.scans).toBe(1);
    publisher.failAt = 2;
    store.add('D2', event(2));
    await expect(relay.relay('D2')).rejects.toThrow('broker down'); // this process's own relay fails: D2 is behind
    store.add('D3', event(3)); // left by another process that crashed before relaying it
    publisher.failAt = undefined;
    expect(await relay.sweep()).toBe(1); // D2, without a scan
    expect(store.scans).toBe(1);
    expect(publisher.sent).toEqual([1, 2]);
    now = new Date(now.getTime() + 60_000);
    expect(await relay.sweep()).toBe(1); // the next scan finds D3
    expect(store.scans).toBe(2);
    expect(await relay.sweep()).toBe(0); // nothing is behind any more, and no scan is due
    expect(store.scans).toBe(2);
    expect(publisher.sent).toEqual([1, 2, 3]);
  });

  it('comes back, without a scan, to an aggregate whose lease a crashed process holds, once the lease expires', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const { store, publisher, relay } = setUp({ leaseMs: 10_000, now: () => now });
    await relay.sweep(); // the first scan: nothing yet
    store.add('D1', event(1));
    await store.acquireLease('D1', 'crashed', now, new Date(now.getTime() + 10_000));
    expect(await relay.relay('D1')).toBe(0); // the write's own relay finds the lease taken
    now = new Date(now.getTime() + 10_001);
    expect(await relay.sweep()).toBe(1);
    expect(store.scans).toBe(1);
    expect(publisher.sent).toEqual([1]);
  });

  it('measures the backlog: pending count and the oldest event time', async () => {
    const { store, relay } = setUp();
    expect(relay.stats).toBeUndefined();
    store.add('D1', event(5), event(6));
    store.add('D2', event(3));
    const stats = await relay.measure();
    expect(stats).toMatchObject({ pendingEvents: 3, oldestPendingAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 3)) });
    expect(relay.stats).toBe(stats);
  });

  it('reuses a recent reading and shares one in progress', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const { store, relay } = setUp({ now: () => now });
    let scans = 0;
    const count = store.countPending.bind(store);
    store.countPending = () => {
      scans += 1;
      return count();
    };
    const [a, b] = await Promise.all([relay.measure(5_000), relay.measure(5_000)]);
    expect(a).toBe(b);
    expect(scans).toBe(1);
    now = new Date(now.getTime() + 4_999);
    await relay.measure(5_000);
    expect(scans).toBe(1);
    now = new Date(now.getTime() + 1);
    await relay.measure(5_000);
    expect(scans).toBe(2);
  });
});
