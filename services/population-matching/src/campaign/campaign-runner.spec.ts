import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RegistryQuery } from '../match/domain/matching/registry-record';
import type { RegistryAnswer } from '../match/domain/match.ports';
import { splitCsvLine } from './campaign-input';
import { type BatchLookupFn, runCampaign } from './campaign-runner';
import { readState } from './campaign-state';

const prefixes = { provinces: new Set(['056', '079']), countryRange: [101, 295] as const };

// A registry of 12-digit numbers 0560800000NN (NN < 50): "Nguyễn Văn An", born 1980-03-15, male.
function registryAnswer(queries: readonly RegistryQuery[]): RegistryAnswer[] {
  return queries.map((q) => {
    const n = Number(q.personalIdNumber?.slice(-2));
    const known = q.personalIdNumber?.startsWith('0560800000') && n < 50;
    return {
      requestId: q.requestId,
      records: known
        ? [
            {
              personalIdNumber: q.personalIdNumber!,
              name: { ho: 'Nguyễn', chuDem: 'Văn', ten: 'An' },
              gender: 'MALE' as const,
              dateOfBirth: { year: 1980, month: 3, day: 15 },
            },
          ]
        : [],
    };
  });
}

function writeInput(dir: string, rows: number): string {
  const lines = ['recordId,communeCode,HoVaTen,SoDinhDanh,NgaySinh,GioiTinh'];
  for (let i = 0; i < rows; i += 1) {
    const id = `0560800000${String(i % 100).padStart(2, '0')}`;
    const name = i % 3 === 0 ? 'NGUYEN VAN AN' : i % 3 === 1 ? '"Nguyễn Văn An"' : 'Trần Thị Bé';
    lines.push(`R${i},22657,${name},${i % 17 === 0 ? '12345' : id},1980-03-15,${i % 3 === 2 ? 'Nữ' : 'Nam'}`);
  }
  const file = path.join(dir, 'records.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('bulk campaign verdicts', () => {
  it('never MATCHES a record with a discrepancy: a day/month-swapped date is NEEDS_REVIEW, with its reason', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'campaign-'));
    // The registry says 7 March 1980 for every known number.
    const lookup: BatchLookupFn = (_jobId, queries) =>
      Promise.resolve(
        registryAnswer(queries).map((a) => ({
          ...a,
          records: a.records.map((r) => ({ ...r, dateOfBirth: { year: 1980, month: 3, day: 7 } })),
        })),
      );
    const input = path.join(dir, 'records.csv');
    writeFileSync(
      input,
      [
        'recordId,HoVaTen,SoDinhDanh,NgaySinh,GioiTinh',
        'R0,Nguyễn Văn An,056080000001,07/03/1980,Nam',
        'R1,Nguyễn Văn An,056080000002,03/07/1980,Nam',
        'R2,Nguyễn Văn An,056080000003,1980-07-03,Nam',
        'R3,NGUYEN VAN AN,056080000004,1980,Nam',
        '',
      ].join('\n'),
    );
    const state = await runCampaign({
      input,
      outDir: path.join(dir, 'out'),
      batchSize: 100,
      inFlight: 1,
      prefixes,
      caller: 'test',
      lookup,
    });
    const lines = readFileSync(path.join(dir, 'out', 'results.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { recordId: string; verdict: string; mismatchedFields: string[]; reasons: string[] },
      );
    expect(lines.map((l) => [l.recordId, l.verdict])).toEqual([
      ['R0', 'MATCHED'],
      ['R1', 'NEEDS_REVIEW'],
      ['R2', 'NEEDS_REVIEW'],
      ['R3', 'MATCHED'],
    ]);
    expect(lines[1]).toMatchObject({ mismatchedFields: ['dateOfBirth'] });
    expect(lines[1]!.reasons).toContain('DOB_DAY_MONTH_SWAPPED');
    expect(lines[3]!.reasons).toEqual(['ID_EXACT', 'NAME_DIACRITICS_ONLY', 'DOB_YEAR_ONLY', 'GENDER_SAME']);
    expect(state.counts.byReason).toMatchObject({ 'NEEDS_REVIEW:DOB_DAY_MONTH_SWAPPED': 2, 'MATCHED:DOB_EXACT': 1 });
    expect(readFileSync(path.join(dir, 'out', 'report.txt'), 'utf8')).toContain('NEEDS_REVIEW:DOB_DAY_MONTH_SWAPPED');
  });
});

describe('bulk campaign', () => {
  it('splits CSV lines with quotes', () => {
    expect(splitCsvLine('a,"b, c","d ""e"""')).toEqual(['a', 'b, c', 'd "e"']);
  });

  it('matches every record, counts verdicts by cause, and resumes after a crash without losing or doubling a record', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'campaign-'));
    const input = writeInput(dir, 1050);
    const calls: string[] = [];
    const lookup: BatchLookupFn = async (jobId, queries) => {
      calls.push(jobId);
      await Promise.resolve();
      return registryAnswer(queries);
    };
    const options = { input, batchSize: 100, inFlight: 3, prefixes, caller: 'test' };

    // Reference: one uninterrupted run.
    const clean = await runCampaign({ ...options, outDir: path.join(dir, 'clean'), lookup });

    // Crash during the 5th batch, with a half-written result line after the last checkpoint.
    const out = path.join(dir, 'crashed');
    let asked = 0;
    const crashing: BatchLookupFn = async (jobId, queries) => {
      asked += 1;
      if (asked === 5) throw new Error('process killed');
      return lookup(jobId, queries, { purpose: jobId, caller: 'test' });
    };
    await expect(runCampaign({ ...options, outDir: out, lookup: crashing })).rejects.toThrow('process killed');
    const checkpoint = readState(out)!;
    expect(checkpoint.processed).toBe(400);
    appendFileSync(path.join(out, 'results.ndjson'), '{"recordId":"R400","verd');
    const resumed = await runCampaign({ ...options, outDir: out, lookup });

    expect(resumed).toMatchObject({ done: true, runs: 2, processed: 1050 });
    expect(resumed.counts).toEqual(clean.counts);
    const lines = readFileSync(path.join(out, 'results.ndjson'), 'utf8').trim().split('\n');
    const positions = lines.map((l) => (JSON.parse(l) as { position: number }).position);
    expect(positions).toEqual([...Array(1050).keys()]);
    expect(readFileSync(path.join(out, 'results.ndjson'), 'utf8')).not.toContain('056080000012');
    expect(clean.counts).toMatchObject({ records: 1050, invalid: 62 });
    expect(clean.counts.matched + clean.counts.mismatch + clean.counts.notFound + clean.counts.needsReview).toBe(988);
    expect(clean.counts.byMismatchedFields['MISMATCH:fullName+gender']).toBeGreaterThan(0);
    expect(clean.counts.byReason?.['MATCHED:NAME_DIACRITICS_ONLY']).toBeGreaterThan(0);
    expect(readFileSync(path.join(dir, 'clean', 'report.txt'), 'utf8')).toMatch(/matched\s+[\d,]+\s+[\d.]+ %/);
  });
});
