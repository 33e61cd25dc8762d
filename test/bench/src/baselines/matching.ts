import os from 'node:os';
// X1 runs population-matching's own matching functions and the sandbox registry's own generator in this process
// (no I/O), so it imports them by path (services and sandboxes export no library).
/* eslint-disable @nx/enforce-module-boundaries */
import { landUserRecord } from '../../../../deploy/sandboxes/population-registry/src/land-records';
import { Population } from '../../../../deploy/sandboxes/population-registry/src/population';
import { loadPrefixes } from '../../../../deploy/sandboxes/population-registry/src/registry-server';
import { toRow, type LandUserRow } from '../../../../services/population-matching/src/campaign/campaign-input';
import { defaultThresholds } from '../../../../services/population-matching/src/match/domain/matching/person-match';
import type { RegistryRecord } from '../../../../services/population-matching/src/match/domain/matching/registry-record';
import {
  queryFor,
  verifyPerson,
} from '../../../../services/population-matching/src/match/domain/matching/verify-person';
import { loadIdPrefixes } from '../../../../services/population-matching/src/match/infrastructure/reference-data/id-prefixes';
import { toRecord } from '../../../../services/population-matching/src/match/infrastructure/registry/http-population-registry';
/* eslint-enable @nx/enforce-module-boundaries */
import { sized, type BenchContext, type BenchRecord } from '../context';

// X1: the bare in-memory matching loop. A registry extract (the sandbox's synthetic citizens, as the registry adapter
// turns its answers into RegistryRecord) indexed in memory by 12-digit and old 9-digit number, and a backlog sample
// of land-user records from the same generator the sandbox serves at /admin/land-records; then, per record, what the
// campaign does once the registry has answered: the query for the record (queryFor), the candidates found for its
// number, and the verdict (verifyPerson with the default thresholds). One thread, no I/O.

/** The sandbox registry's defaults (deploy/sandboxes/population-registry/src/main.ts). */
export const SandboxRegistry = { seed: 20261201, size: 2_000_000 } as const;

export interface RegistryExtract {
  byNumber: Map<string, RegistryRecord>;
  byLegacy: Map<string, RegistryRecord>;
  size: number;
  buildMs: number;
}

/**
 * The registry extract in memory: every citizen of the sandbox population of `size`, converted by the registry
 * adapter's own `toRecord`. Addresses are left out (matching never reads them), so the index holds only what the
 * verdict needs.
 */
export function registryExtract(population: Population): RegistryExtract {
  const t0 = performance.now();
  const byNumber = new Map<string, RegistryRecord>();
  const byLegacy = new Map<string, RegistryRecord>();
  for (let i = 0; i < population.size; i += 1) {
    const { index: _index, ThuongTru: _home, NoiOHienTai: _current, ...citizen } = population.citizen(i);
    const record = toRecord(citizen);
    byNumber.set(record.personalIdNumber, record);
    if (record.legacyIdNumber) byLegacy.set(record.legacyIdNumber, record);
  }
  return { byNumber, byLegacy, size: population.size, buildMs: Math.round(performance.now() - t0) };
}

/** The backlog sample: land-user records of the sandbox generator, read into rows as the campaign reads its file. */
export function backlogSample(population: Population, seed: number, count: number): LandUserRow[] {
  const rows: LandUserRow[] = [];
  for (let row = 0; row < count; row += 1) {
    rows.push(toRow(row, landUserRecord(population, seed, row) as unknown as Record<string, unknown>));
  }
  return rows;
}

export interface MatchPass {
  records: number;
  candidates: number;
  wallMs: number;
  cpuMs: number;
  verdicts: Record<string, number>;
  againstExpected: Record<string, number>;
}

/** One pass of the matching loop over `rows`; CPU time is this process's (user + system) during the pass. */
export function matchingPass(
  rows: readonly LandUserRow[],
  extract: RegistryExtract,
  prefixes: ReturnType<typeof loadIdPrefixes>,
): MatchPass {
  const verdicts: Record<string, number> = {};
  const againstExpected: Record<string, number> = {};
  let candidates = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const row of rows) {
    let verdict: string;
    if (row.invalid) verdict = 'INVALID';
    else {
      const query = queryFor(row, String(row.position));
      const found = query.personalIdNumber
        ? extract.byNumber.get(query.personalIdNumber)
        : extract.byLegacy.get(query.legacyIdNumber ?? '');
      const records = found ? [found] : [];
      candidates += records.length;
      verdict = verifyPerson(row, records, prefixes, defaultThresholds).verdict;
    }
    verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
    if (row.expected) {
      const key = `${row.expected}→${verdict}`;
      againstExpected[key] = (againstExpected[key] ?? 0) + 1;
    }
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { records: rows.length, candidates, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, verdicts, againstExpected };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * X1: records per second per core of the bare loop (records ÷ CPU seconds of the pass, median of 3 passes after a
 * warm-up pass), candidates per record, the verdicts against the generator's truth, and the memory of the extract.
 */
export function matchingBaseline(ctx: BenchContext): BenchRecord {
  const registrySize = sized(ctx, Number(process.env['BENCH_X1_REGISTRY'] ?? SandboxRegistry.size), 100_000);
  const count = sized(ctx, Number(process.env['BENCH_X1_RECORDS'] ?? 200_000), 10_000);
  const population = new Population({
    seed: SandboxRegistry.seed,
    size: registrySize,
    prefixes: loadPrefixes(ctx.root),
  });
  const prefixes = loadIdPrefixes(ctx.root);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const rssBefore = process.memoryUsage().rss;
  const extract = registryExtract(population);
  const rssExtract = process.memoryUsage().rss;
  const t0 = performance.now();
  const rows = backlogSample(population, SandboxRegistry.seed, count);
  const sampleMs = Math.round(performance.now() - t0);
  matchingPass(rows, extract, prefixes); // warm-up: JIT and inline caches
  const passes = [0, 1, 2].map(() => matchingPass(rows, extract, prefixes));
  const cpuEnd = process.cpuUsage(cpuStart);
  const perCore = passes.map((p) => Math.round(p.records / (p.cpuMs / 1000)));
  const perWallSecond = passes.map((p) => Math.round(p.records / (p.wallMs / 1000)));
  const first = passes[0]!;
  const sameAsMatched = first.againstExpected['SAME_PERSON→MATCHED'] ?? 0;
  const same = Object.entries(first.againstExpected)
    .filter(([k]) => k.startsWith('SAME_PERSON→'))
    .reduce((n, [, v]) => n + v, 0);
  const matched = first.verdicts['MATCHED'] ?? 0;
  const headline = median(perCore);
  return {
    id: 'X1',
    title: `bare in-memory matching loop: ${count.toLocaleString('en-US')} land-user records against a registry extract of ${registrySize.toLocaleString('en-US')} citizens (sandbox generator), one thread`,
    headline: { value: headline, unit: 'records/s per core' },
    processes: {
      wallMs: Math.round(performance.now() - started),
      cpuMs: { bench: Math.round((cpuEnd.user + cpuEnd.system) / 1000) },
      rssMiB: { bench: Math.round(process.memoryUsage().rss / 2 ** 20) },
    },
    figures: {
      registrySize,
      records: count,
      cores: os.cpus().length,
      recordsPerSecPerCore: { median: headline, passes: perCore },
      recordsPerWallSecond: { median: median(perWallSecond), passes: perWallSecond },
      candidatesPerRecord: Math.round((first.candidates / first.records) * 1000) / 1000,
      extractBuildMs: extract.buildMs,
      sampleBuildMs: sampleMs,
      extractRssMiB: Math.round((rssExtract - rssBefore) / 2 ** 20),
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      verdicts: first.verdicts,
      againstExpected: first.againstExpected,
      matchedPrecision: matched > 0 ? Math.round((sameAsMatched / matched) * 10_000) / 10_000 : undefined,
      matchedRecall: same > 0 ? Math.round((sameAsMatched / same) * 10_000) / 10_000 : undefined,
    },
    notes: [
      'Blocking is by identification number (the registry is asked by 12-digit number or old 9-digit SoCMND, never by name), so a record has at most one candidate: candidates per record is the share of records whose number the registry knows.',
      'The extract leaves the addresses out (the verdict never reads them). The plan expects 60–100k records/s per core for such a loop.',
    ],
  };
}
