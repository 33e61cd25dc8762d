import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';

/** What a campaign has counted so far. */
export interface CampaignCounts {
  records: number;
  matched: number;
  mismatch: number;
  needsReview: number;
  notFound: number;
  invalid: number;
  /** Mismatches and reviews by the fields that differ (`fullName+dateOfBirth`, ...). */
  byMismatchedFields: Record<string, number>;
  /** Verdicts against the file's `expected` column, when it has one (`SAME_PERSON→MATCHED`, ...). */
  againstExpected: Record<string, number>;
  /**
   * Every verdict's reason codes, counted by verdict and code (`MATCHED:NAME_DIACRITICS_ONLY`,
   * `NEEDS_REVIEW:DOB_DAY_MONTH_SWAPPED`, ...); absent in checkpoints written before it was counted.
   */
  byReason?: Record<string, number>;
}

/**
 * The checkpoint of a campaign, rewritten atomically (temporary file, fsync, rename) after each batch's results are
 * on disk: a crash at any point resumes from the last checkpoint, and results written after it are cut off first.
 */
export interface CampaignState {
  campaignId: string;
  input: string;
  batchSize: number;
  /** Records done (a multiple of batchSize until the last batch). */
  processed: number;
  /** Length of results.ndjson at the checkpoint. */
  resultsBytes: number;
  counts: CampaignCounts;
  startedAt: string;
  updatedAt: string;
  /** Wall time spent in runs so far, in ms (over resumes). */
  elapsedMs: number;
  runs: number;
  done: boolean;
}

export function emptyCounts(): CampaignCounts {
  return {
    records: 0,
    matched: 0,
    mismatch: 0,
    needsReview: 0,
    notFound: 0,
    invalid: 0,
    byMismatchedFields: {},
    againstExpected: {},
    byReason: {},
  };
}

export function statePath(dir: string): string {
  return path.join(dir, 'state.json');
}

export function readState(dir: string): CampaignState | undefined {
  const file = statePath(dir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CampaignState) : undefined;
}

export function writeState(dir: string, state: CampaignState): void {
  writeDurably(statePath(dir), `${JSON.stringify(state, null, 2)}\n`);
}

/** Writes a file so that after a crash it holds either the old or the new content, never a mix. */
export function writeDurably(file: string, content: string): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
