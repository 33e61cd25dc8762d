import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { createEvent, createKafka, type EventEnvelope } from '@lienthong/messaging';
import { ServiceProcess, waitFor } from '@lienthong/testing';
import { officeAuth } from '../support/office-auth';
import { dossierBody, intakeAuth } from '../support/dossier-body';

// Shared by the fault specs: the services as processes, the broker's controls, and dossier builders.

export const root = path.resolve(__dirname, '../..');

/**
 * Dossiers of the crash run and valid events of the poison run: the messaging issue's 1,000 (FAULT_DOSSIERS sets
 * another size; the counts and the faults are the same code at any scale).
 */
export const faultScale = Number(process.env.FAULT_DOSSIERS ?? 1000);
/**
 * Status events of notification's exactly-once run, three messages each: 200 in `npm test`, so the whole suite stays
 * within its 10 minutes; FAULT_NOTIFICATIONS=1000 is the notification issue's figure (about 5 minutes on its own).
 */
export const notificationScale = Number(process.env.FAULT_NOTIFICATIONS ?? 200);
export const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const logDir = path.join(root, '.cache/run/fault-logs');
const env = { OTEL_TRACES_EXPORTER: 'none', LOG_LEVEL: 'warn' };

export function serviceProcess(name: string, port: number): ServiceProcess {
  return new ServiceProcess({ name, port, root, logDir, env });
}

const run = promisify(execFile);

/** Stops or restarts the local broker through the project's own infrastructure script. */
export async function broker(action: 'stop' | 'restart'): Promise<void> {
  await run('bash', [path.join(root, 'deploy/local/infra.sh'), action, 'kafka'], { timeout: 120_000 });
}

/**
 * Submits a dossier as an intake system does: retries with the same Idempotency-Key until it gets an answer, so a
 * request cut by a fault is never counted twice. Returns the dossier code.
 */
export async function submit(intakeUrl: string, reference: string): Promise<string> {
  const key = randomUUID();
  const body = JSON.stringify(dossierBody('fault-suite', reference));
  return waitFor(
    async () => {
      const response = await fetch(`${intakeUrl}/v1/dossiers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key, ...intakeAuth() },
        body,
        signal: AbortSignal.timeout(15_000),
      });
      if (response.status !== 201) throw new Error(`intake answered ${response.status}: ${await response.text()}`);
      return ((await response.json()) as { dossierCode: string }).dossierCode;
    },
    { timeoutMs: 120_000, intervalMs: 500, description: `submission ${reference}` },
  );
}

/** A `dossier.submitted` event as dossier-intake publishes it, for a code of the fault suite's own. */
export function submittedEvent(code: string): EventEnvelope {
  const body = dossierBody('fault-suite', code);
  const { externalReference: _ref, ...data } = body;
  return createEvent({
    type: 'dossier.submitted',
    source: '/dossier-intake',
    subject: code,
    sequence: 1,
    data: { dossierCode: code, ...data },
  });
}

/** Runs `tasks` with at most `concurrency` in flight; resolves with their results in order. */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

/** Codes of `codes` for which registration-office has a case; checked one by one over HTTP. */
export async function casesPresent(officeUrl: string, codes: string[]): Promise<Set<string>> {
  const present = new Set<string>();
  await pool(codes.length, 16, async (i) => {
    const response = await fetch(`${officeUrl}/v1/cases/${codes[i]}`, { headers: officeAuth() }).catch(() => undefined);
    if (response?.status === 200) present.add(codes[i]!);
  });
  return present;
}

/** Total lag of a consumer group on a topic: high-water marks minus committed offsets. */
export async function groupLag(groupId: string, topic: string): Promise<number> {
  const admin = createKafka({ clientId: 'fault-suite', brokers }).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return ends.reduce((lag, { partition, high }) => {
      const at = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      return lag + Number(high) - Math.max(0, Number(at));
    }, 0);
  } finally {
    await admin.disconnect();
  }
}
