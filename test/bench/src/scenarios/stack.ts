import path from 'node:path';
import { devToken, ServiceProcess } from '@lienthong/testing';
import { dossierBody } from '../../../support/dossier-body';
import type { BenchContext } from '../context';

// The services as processes for the system scenarios, on ports of the benchmark's own (3281–3284), so a running
// `npm start` stack keeps its ports. They join the services' real consumer groups: stop that stack first.

export const BenchPorts = {
  'dossier-intake': 3281,
  'registration-office': 3282,
  'population-matching': 3283,
  notification: 3284,
} as const;
export type BenchService = keyof typeof BenchPorts;

export function benchServices(
  ctx: BenchContext,
  names: readonly BenchService[],
  env: Record<string, string>,
): Record<string, ServiceProcess> {
  const logDir = path.join(ctx.runDir, 'bench-logs');
  return Object.fromEntries(
    names.map((name) => [
      name,
      new ServiceProcess({ name, port: BenchPorts[name], root: ctx.root, logDir, env: { LOG_LEVEL: 'warn', ...env } }),
    ]),
  );
}

/** The pid of a running ServiceProcess (for CPU accounting). */
export function pidOf(service: ServiceProcess): number {
  return (service as unknown as { child?: { pid?: number } }).child?.pid ?? -1;
}

const authorization = `Bearer ${devToken({ client: 'bench-one-stop', communes: ['22657'] }, 24 * 3600)}`;

/** Submits one canonical dossier (intake-api.md) as an intake system does; resolves with its code. */
export async function submitDossier(intakeUrl: string, reference: string): Promise<string> {
  const response = await fetch(`${intakeUrl}/v1/dossiers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': reference, authorization },
    body: JSON.stringify(dossierBody('bench-one-stop', reference)),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`intake answered ${response.status}: ${text.slice(0, 200)}`);
  return (JSON.parse(text) as { dossierCode: string }).dossierCode;
}
