import { randomUUID } from 'node:crypto';
import path from 'node:path';

/** Everything a benchmark needs to reach the local stack, and how big to make its runs. */
export interface BenchContext {
  root: string;
  runDir: string;
  run: string;
  brokers: string[];
  mongoUrl: string;
  redisUrl: string;
  /** 1 for the documented sizes; `--quick` scales every count down (a smoke run of the harness, not a result). */
  scale: number;
  /** Scenario options from the command line, `--name=value` (or `--name` alone: an empty value). */
  flags: ReadonlyMap<string, string>;
}

export function benchContext(quick: boolean, flags: ReadonlyMap<string, string> = new Map()): BenchContext {
  const root = path.resolve(__dirname, '../../../..');
  return {
    root,
    runDir: path.join(process.env['LT_CACHE'] ?? path.join(root, '.cache'), 'run'),
    run: randomUUID().slice(0, 8),
    brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
    mongoUrl: process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017',
    redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    scale: quick ? 0.1 : 1,
    flags,
  };
}

/** `n` scaled for the run, at least `min`. */
export function sized(ctx: BenchContext, n: number, min = 10): number {
  return Math.max(min, Math.round(n * ctx.scale));
}

/** One scenario's record in the results file. */
export interface BenchRecord {
  id: string;
  title: string;
  /** The scenario's own figures (rates in per second, latencies in ms). */
  figures: Record<string, unknown>;
  /** The headline figure and its unit, e.g. 1234 msg/s. */
  headline?: { value: number; unit: string };
  /** Baseline id and the ratio headline ÷ baseline headline (or as the note says). */
  ratio?: { name: string; baseline: string; value: number };
  /** Target and floor of the plan for the ratio or headline, and whether the floor holds. */
  verdict?: { target: string; floor: string; floorHolds: boolean };
  cpuMsPerDossier?: number;
  processes?: { cpuMs: Record<string, number>; rssMiB: Record<string, number>; wallMs: number };
  notes?: string[];
}

/** A 4 KB dossier-shaped JSON document (the plan's payload), distinct per `i`. */
export function dossierPayload(i: number, bytes = 4096): Record<string, unknown> {
  const base = {
    dossierCode: `000.00.56.H42-261201-${String(i % 10000).padStart(4, '0')}`,
    procedureCode: '1.013831',
    receivingUnitCode: '22657',
    receivedAt: new Date().toISOString(),
    applicant: { fullName: 'Nguyễn Văn An', personalIdNumber: '056080001234', dateOfBirth: '1980-03-15' },
    seq: i,
  };
  const filler = bytes - Buffer.byteLength(JSON.stringify(base)) - 16;
  return { ...base, summary: 'x'.repeat(Math.max(0, filler)) };
}
