import path from 'node:path';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { createEvent, createKafka, KafkaPublisher, Topics } from '@lienthong/messaging';
import {
  devToken,
  KafkaTestConsumer,
  ServiceProcess,
  startSandbox,
  type SandboxProcess,
  waitFor,
} from '@lienthong/testing';
import { operatorAuth } from '../support/office-auth';

// population-matching against its registry sandbox, with a registry outage (REGISTRY_OUTAGE_MS, 2 minutes by default)
// in the middle of a stream of dossiers: nothing is lost (every dossier gets its match.completed once the registry is
// back, verdicts MATCHED), the dossiers were "identity pending" meanwhile, and the registry never received more than
// its quota in any window (the sandbox counts). dossier.submitted events are published to the intake topic directly,
// as dossier-intake would, for persons taken from the sandbox's population.

const root = path.resolve(__dirname, '../..');
const logDir = path.join(root, '.cache/run/fault-logs');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const outageMs = Number(process.env.REGISTRY_OUTAGE_MS ?? 120_000);
const quota = 20;
const run = Date.now().toString(36);
const example = JSON.parse(
  readFileSync(path.join(root, 'contracts/events/examples/dossier-submitted.v1.json'), 'utf8'),
) as { data: Record<string, unknown> };

interface Truth {
  personalIdNumber: string;
  family: string;
  middle: string;
  given: string;
  gender: 'MALE' | 'FEMALE';
  dateOfBirth: string;
  deceased: boolean;
}

interface Counters {
  received: number;
  overQuota: number;
  outageRejected: number;
  maxInWindow: number;
  answered: number;
}

const worker = {
  authorization: `Bearer ${devToken({ worker: 'fault-officer', branch: 'KH-DIENKHANH', roles: ['officer'] })}`,
};

describe('population-matching through a registry outage', () => {
  let sandbox: SandboxProcess;
  let matching: ServiceProcess;
  let events: KafkaTestConsumer;
  let publisher: KafkaPublisher;
  let next = 0;

  beforeAll(async () => {
    sandbox = await startSandbox('population-registry', {
      REGISTRY_QUOTA: String(quota),
      REGISTRY_LATENCY_MS: '30',
      REGISTRY_LATENCY_JITTER_MS: '30',
    });
    matching = new ServiceProcess({
      name: 'population-matching',
      port: 3203,
      root,
      logDir,
      env: {
        REGISTRY_URL: sandbox.url,
        REGISTRY_QUOTA: String(quota),
        REGISTRY_TIMEOUT_MS: '2000',
        LOOKUP_CONCURRENCY: '16',
        LOOKUP_QUEUE_PREFIX: `fault-${run}`,
        BREAKER_OPEN_MS: '1000',
        BREAKER_MAX_OPEN_MS: '5000',
        OUTBOX_SWEEP_INTERVAL_MS: '1000',
        OTEL_TRACES_EXPORTER: 'none',
      },
    });
    events = new KafkaTestConsumer(brokers, [Topics.MatchEvents]);
    await events.start();
    publisher = new KafkaPublisher(createKafka({ clientId: `registry-outage-${run}`, brokers }));
    await publisher.connect();
    await matching.start();
    // Catch up first: the service works off whatever the intake topic accumulated while it was not running (other
    // suites' dossiers), so that the stream below starts from an idle service.
    const admin = createKafka({ clientId: `registry-outage-admin-${run}`, brokers }).admin();
    await admin.connect();
    try {
      await waitFor(
        async () => {
          const ends = await admin.fetchTopicOffsets(Topics.DossierEvents);
          const [group] = await admin.fetchOffsets({
            groupId: 'population-matching.dossier-intake-dossier',
            topics: [Topics.DossierEvents],
          });
          const lag = ends.reduce((sum, p) => {
            const committed = Number(group?.partitions.find((c) => c.partition === p.partition)?.offset ?? -1);
            return sum + Number(p.high) - (committed < 0 ? Number(p.low) : committed);
          }, 0);
          const status = (await (
            await fetch(`${matching.baseUrl}/v1/registry/status`, { headers: operatorAuth() })
          ).json()) as { backlog: number };
          return lag === 0 && status.backlog === 0;
        },
        { timeoutMs: 600_000, intervalMs: 2000, description: 'population-matching to catch up with the intake topic' },
      );
    } finally {
      await admin.disconnect();
    }
  }, 720_000);

  afterAll(async () => {
    await matching?.stop();
    await sandbox?.stop();
    await events?.stop();
    await publisher?.disconnect();
    // The lookup queue of this run lives under its own key prefix: remove it.
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    for await (const keys of redis.scanStream({ match: `fault-${run}:*`, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
    redis.disconnect();
  });

  async function person(index: number): Promise<Truth> {
    const r = await fetch(`${sandbox.url}/admin/people/${index}`);
    return ((await r.json()) as { truth: Truth }).truth;
  }

  /** Publishes one dossier.submitted with two living persons of the registry; returns its code. */
  async function submit(): Promise<string> {
    const code = `FAULT.PM-${run}-${String(next).padStart(4, '0')}`;
    let a = await person(next * 7919 + 11);
    let b = await person(next * 7919 + 13);
    for (let k = 0; a.deceased; k += 1) a = await person(next * 7919 + 101 + k);
    for (let k = 0; b.deceased; k += 1) b = await person(next * 7919 + 201 + k);
    next += 1;
    const of = (t: Truth) => ({
      fullName: `${t.family} ${t.middle} ${t.given}`,
      personalIdNumber: t.personalIdNumber,
      dateOfBirth: t.dateOfBirth,
      gender: t.gender,
    });
    const data = {
      ...example.data,
      dossierCode: code,
      applicant: of(a),
      parties: [
        { role: 'TRANSFEROR', ...of(a) },
        { role: 'TRANSFEREE', ...of(b) },
      ],
    };
    const event = createEvent({
      type: 'dossier.submitted',
      source: '/dossier-intake',
      subject: code,
      sequence: 1,
      data,
    });
    await publisher.publish(Topics.DossierEvents, [event]);
    return code;
  }

  async function state(code: string): Promise<string | undefined> {
    const r = await fetch(`${matching.baseUrl}/v1/matches/${code}`, { headers: worker });
    return r.status === 200 ? ((await r.json()) as { state: string }).state : undefined;
  }

  async function faults(body: Record<string, unknown>): Promise<void> {
    const r = await fetch(`${sandbox.url}/admin/faults`, { method: 'PUT', body: JSON.stringify(body) });
    expect(r.status).toBe(200);
  }

  const completed = (code: string) =>
    events.messages.filter((m) => m.key === code && m.headers.ce_type === 'match.completed');

  it(
    'loses nothing, marks dossiers identity pending, resumes by itself and never exceeds the quota',
    async () => {
      const codes: string[] = [];
      // Before: the registry answers.
      for (let i = 0; i < 10; i += 1) codes.push(await submit());
      await waitFor(() => codes.every((c) => completed(c).length > 0), {
        timeoutMs: 60_000,
        intervalMs: 250,
        description: 'match.completed of the first 10 dossiers',
      });

      // The outage: connections are reset; dossiers keep coming.
      await faults({ outage: 'reset' });
      const outageStarted = Date.now();
      const during: string[] = [];
      while (Date.now() - outageStarted < outageMs) {
        if (during.length < 30) during.push(await submit());
        await new Promise((resolve) => setTimeout(resolve, Math.min(outageMs / 30, 4000)));
      }
      const pending = await Promise.all(during.map(state));
      // Degraded mode: every dossier that arrived during the outage is identity pending, none completed.
      expect(pending).toEqual(during.map(() => 'IDENTITY_PENDING'));
      const statusDuring = (await (
        await fetch(`${matching.baseUrl}/v1/registry/status`, { headers: operatorAuth() })
      ).json()) as {
        breaker: { state: string };
        backlog: number;
      };
      expect(statusDuring.backlog).toBeGreaterThan(0);
      const duringOutage = (await (await fetch(`${sandbox.url}/admin/counters`)).json()) as Counters;

      // After: the registry is back; nobody restarts anything.
      await faults({ outage: false });
      const recovered = Date.now();
      for (let i = 0; i < 10; i += 1) during.push(await submit());
      codes.push(...during);
      await waitFor(() => codes.every((c) => completed(c).length > 0), {
        timeoutMs: 120_000,
        intervalMs: 500,
        description: `match.completed of all ${codes.length} dossiers after the outage`,
      });
      const catchUpMs = Date.now() - recovered;

      const counters = (await (await fetch(`${sandbox.url}/admin/counters`)).json()) as Counters;
      process.stdout.write(
        `registry outage: ${codes.length} dossiers, outage ${outageMs} ms, ${duringOutage.outageRejected} requests ` +
          `refused during it (breaker ${statusDuring.breaker.state}, backlog ${statusDuring.backlog}), all completed ` +
          `${catchUpMs} ms after recovery; registry received ${counters.received}, answered ${counters.answered}, ` +
          `max ${counters.maxInWindow} in a window (quota ${quota}), over quota ${counters.overQuota}\n`,
      );
      expect(counters.overQuota).toBe(0);
      expect(counters.maxInWindow).toBeLessThanOrEqual(quota);
      for (const code of codes) {
        const event = completed(code)[0]!.value as { data: { persons: { verdict: string }[] } };
        expect(event.data.persons.map((p) => p.verdict)).toEqual(['MATCHED', 'MATCHED', 'MATCHED']);
        expect(await state(code)).toBe('COMPLETED');
      }
    },
    outageMs + 300_000,
  );
});
