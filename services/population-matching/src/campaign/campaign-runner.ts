import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { maskPersonalId } from '@lienthong/kernel';
import { defaultThresholds, type MatchThresholds, type PersonVerdict } from '../match/domain/matching/person-match';
import type { IdPrefixTable } from '../match/domain/matching/personal-id';
import type { LookupPurpose, RegistryQuery } from '../match/domain/matching/registry-record';
import { queryFor, verifyPerson } from '../match/domain/matching/verify-person';
import type { RegistryAnswer } from '../match/domain/match.ports';
import { type LandUserRow, readLandUsers } from './campaign-input';
import {
  type CampaignCounts,
  type CampaignState,
  emptyCounts,
  readState,
  writeDurably,
  writeState,
} from './campaign-state';

export type BatchLookupFn = (
  jobId: string,
  queries: RegistryQuery[],
  purpose: LookupPurpose,
) => Promise<RegistryAnswer[]>;

export interface CampaignOptions {
  input: string;
  outDir: string;
  batchSize: number;
  /** Batches looked up at once (answers are still written in file order). */
  inFlight: number;
  lookup: BatchLookupFn;
  prefixes: IdPrefixTable;
  thresholds?: MatchThresholds;
  /** Called after every checkpoint. */
  onProgress?: (state: CampaignState, totalRecords: number | undefined) => void;
  /** Records in the file, when known (for the progress bar). */
  totalRecords?: number;
  caller: string;
}

interface ResultLine {
  recordId: string;
  position: number;
  maskedPersonalId: string;
  verdict: PersonVerdict['verdict'] | 'INVALID';
  score?: number;
  mismatchedFields?: string[];
  reasons: string[];
}

/** A campaign is named by its input file (path, size, modification time): the same file resumes, another starts anew. */
export function campaignIdOf(input: string): string {
  const stat = statSync(input);
  const digest = createHash('sha256')
    .update(`${path.resolve(input)}|${stat.size}|${stat.mtimeMs}`)
    .digest('hex')
    .slice(0, 16);
  return `campaign-${digest}`;
}

function count(counts: CampaignCounts, row: LandUserRow, line: ResultLine): void {
  counts.records += 1;
  switch (line.verdict) {
    case 'MATCHED':
      counts.matched += 1;
      break;
    case 'MISMATCH':
      counts.mismatch += 1;
      break;
    case 'NEEDS_REVIEW':
      counts.needsReview += 1;
      break;
    case 'NOT_FOUND':
      counts.notFound += 1;
      break;
    case 'INVALID':
      counts.invalid += 1;
      break;
  }
  if (line.verdict === 'MISMATCH' || line.verdict === 'NEEDS_REVIEW') {
    const key = `${line.verdict}:${(line.mismatchedFields ?? []).join('+') || 'none'}`;
    counts.byMismatchedFields[key] = (counts.byMismatchedFields[key] ?? 0) + 1;
  }
  if (row.expected) {
    const key = `${row.expected}→${line.verdict}`;
    counts.againstExpected[key] = (counts.againstExpected[key] ?? 0) + 1;
  }
  if (line.verdict !== 'INVALID') {
    const byReason = (counts.byReason ??= {});
    for (const reason of line.reasons)
      byReason[`${line.verdict}:${reason}`] = (byReason[`${line.verdict}:${reason}`] ?? 0) + 1;
  }
}

/**
 * Runs (or resumes) a campaign: reads the file in batches, looks each batch up in one registry request (through the
 * rate-limited campaign queue), judges every record, appends the results to `results.ndjson` and checkpoints
 * `state.json`. Killed at any point, the next run cuts results back to the checkpoint and continues from there; a
 * batch answered before the kill is found again by its job id rather than asked again.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignState> {
  mkdirSync(options.outDir, { recursive: true });
  const resultsFile = path.join(options.outDir, 'results.ndjson');
  const campaignId = campaignIdOf(options.input);
  const previous = readState(options.outDir);
  if (previous && previous.campaignId !== campaignId) {
    throw new Error(`${options.outDir} holds campaign ${previous.campaignId} of ${previous.input}; use another --out`);
  }
  if (previous && previous.batchSize !== options.batchSize) {
    throw new Error(`campaign ${campaignId} was started with --batch ${previous.batchSize}; resume with the same`);
  }
  const now = new Date().toISOString();
  const state: CampaignState = previous
    ? { ...previous, runs: previous.runs + 1 }
    : {
        campaignId,
        input: path.resolve(options.input),
        batchSize: options.batchSize,
        processed: 0,
        resultsBytes: 0,
        counts: emptyCounts(),
        startedAt: now,
        updatedAt: now,
        elapsedMs: 0,
        runs: 1,
        done: false,
      };
  if (state.done) return state;
  // Cut what was written after the last checkpoint (a crash between the append and the checkpoint).
  const fd = openSync(resultsFile, existsSync(resultsFile) ? 'r+' : 'w+');
  ftruncateSync(fd, state.resultsBytes);
  let offset = state.resultsBytes;
  const runStarted = Date.now();
  const elapsedBefore = state.elapsedMs;
  const thresholds = options.thresholds ?? defaultThresholds;

  const inFlight: { rows: LandUserRow[]; answers: Promise<RegistryAnswer[]> }[] = [];
  const submit = (rows: LandUserRow[]): void => {
    const batchNo = Math.floor(rows[0]!.position / options.batchSize);
    const valid = rows.filter((r) => !r.invalid);
    const queries = valid.map((r) => queryFor(r, String(r.position)));
    const answers =
      queries.length === 0
        ? Promise.resolve([])
        : options.lookup(`${campaignId}#${batchNo}`, queries, {
            purpose: `${campaignId}#${batchNo}`,
            caller: options.caller,
          });
    // Rejections are awaited in order below; keep Node from reporting them as unhandled meanwhile.
    answers.catch(() => undefined);
    inFlight.push({ rows, answers });
  };
  const commit = async (): Promise<void> => {
    const head = inFlight.shift()!;
    const answers = await head.answers;
    const lines: string[] = [];
    for (const row of head.rows) {
      let line: ResultLine;
      if (row.invalid) {
        line = {
          recordId: row.recordId,
          position: row.position,
          maskedPersonalId: maskPersonalId(row.personalIdNumber),
          verdict: 'INVALID',
          reasons: [row.invalid],
        };
      } else {
        const records = answers.find((a) => a.requestId === String(row.position))?.records ?? [];
        const verdict = verifyPerson(row, records, options.prefixes, thresholds);
        line = {
          recordId: row.recordId,
          position: row.position,
          maskedPersonalId: maskPersonalId(row.personalIdNumber),
          verdict: verdict.verdict,
          score: verdict.score,
          mismatchedFields: verdict.mismatchedFields,
          reasons: verdict.reasons,
        };
      }
      count(state.counts, row, line);
      lines.push(JSON.stringify(line));
    }
    const text = `${lines.join('\n')}\n`;
    offset += writeSync(fd, text, offset);
    fsyncSync(fd);
    state.processed += head.rows.length;
    state.resultsBytes = offset;
    state.updatedAt = new Date().toISOString();
    state.elapsedMs = elapsedBefore + (Date.now() - runStarted);
    writeState(options.outDir, state);
    options.onProgress?.(state, options.totalRecords);
  };

  try {
    let batch: LandUserRow[] = [];
    for await (const row of readLandUsers(options.input)) {
      if (row.position < state.processed) continue;
      batch.push(row);
      if (batch.length === options.batchSize) {
        submit(batch);
        batch = [];
        if (inFlight.length >= options.inFlight) await commit();
      }
    }
    if (batch.length > 0) submit(batch);
    while (inFlight.length > 0) await commit();
    state.done = true;
    state.elapsedMs = elapsedBefore + (Date.now() - runStarted);
    writeState(options.outDir, state);
    writeReport(options.outDir, state);
    return state;
  } finally {
    closeSync(fd);
  }
}

/** The campaign report: `report.json` and a readable `report.txt`. */
export function writeReport(dir: string, state: CampaignState): string {
  const c = state.counts;
  const pct = (n: number) => (c.records === 0 ? '0.0' : ((100 * n) / c.records).toFixed(1));
  const text = [
    `Campaign ${state.campaignId}`,
    `Input: ${state.input}`,
    `Records: ${c.records.toLocaleString('en-US')} in ${(state.elapsedMs / 1000).toFixed(1)} s over ${state.runs} run(s)` +
      (state.elapsedMs > 0
        ? ` (${Math.round((c.records * 1000) / state.elapsedMs).toLocaleString('en-US')} records/s)`
        : ''),
    `  matched       ${c.matched.toLocaleString('en-US').padStart(10)}  ${pct(c.matched)} %`,
    `  mismatched    ${c.mismatch.toLocaleString('en-US').padStart(10)}  ${pct(c.mismatch)} %`,
    `  needs review  ${c.needsReview.toLocaleString('en-US').padStart(10)}  ${pct(c.needsReview)} %`,
    `  not found     ${c.notFound.toLocaleString('en-US').padStart(10)}  ${pct(c.notFound)} %`,
    `  invalid rows  ${c.invalid.toLocaleString('en-US').padStart(10)}  ${pct(c.invalid)} %`,
    'Mismatched or to review, by differing fields:',
    ...Object.entries(c.byMismatchedFields)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `  ${k.padEnd(44)} ${n.toLocaleString('en-US').padStart(10)}`),
    ...(Object.keys(c.byReason ?? {}).length > 0
      ? [
          'By verdict and reason code:',
          ...Object.entries(c.byReason ?? {})
            .sort()
            .map(([k, n]) => `  ${k.padEnd(44)} ${n.toLocaleString('en-US').padStart(10)}`),
        ]
      : []),
    ...(Object.keys(c.againstExpected).length > 0
      ? [
          "Against the file's expected column:",
          ...Object.entries(c.againstExpected)
            .sort()
            .map(([k, n]) => `  ${k.padEnd(44)} ${n.toLocaleString('en-US').padStart(10)}`),
        ]
      : []),
    '',
  ].join('\n');
  writeDurably(path.join(dir, 'report.json'), `${JSON.stringify(state, null, 2)}\n`);
  writeDurably(path.join(dir, 'report.txt'), text);
  return text;
}
