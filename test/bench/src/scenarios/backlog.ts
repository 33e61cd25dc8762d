import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { devToken } from '@lienthong/testing';
import { dossierBody } from '../../../support/dossier-body';
import { sized, type BenchContext, type BenchRecord } from '../context';
import { infrastructureProcesses, ProcessMeter } from '../measure';
import { benchServices, pidOf } from './stack';

// S3: backlog import through dossier-intake's NDJSON endpoint (POST /v1/dossiers:import) into the development
// database. The plan's size is 500,000; BENCH_S3_COUNT sets it (default 10,000 on FerretDB, where the rate is a few
// hundred per second). Each run takes days of its own (Jul 2025–Oct 2026, 9,999 per day), so its codes are new.
// Its dossiers are imported as RESULT_RETURNED (closed: stored as history, announced to nobody), so S3 keeps measuring
// the import alone; open ones, announced and opened as cases by the LRO, are S3C's (backlog-cases.ts).

function* backlog(count: number, firstDay: number): Generator<string> {
  for (let i = 0; i < count; i += 1) {
    const ymd = new Date(firstDay + Math.floor(i / 9_999) * 86_400_000).toISOString().slice(0, 10);
    const code = `000.00.56.H42-${ymd.slice(2).replace(/-/g, '')}-${String((i % 9_999) + 1).padStart(4, '0')}`;
    yield `${JSON.stringify(
      dossierBody('bench-backlog', code, {
        dossierCode: code,
        receivedAt: `${ymd}T09:00:00+07:00`,
        status: 'RESULT_RETURNED',
        parcels: [
          {
            communeCode: '22657',
            mapSheetNumber: '12',
            parcelNumber: String(i % 999_999),
            areaM2: 120.5,
            landUseCode: 'ONT',
          },
        ],
      }),
    )}\n`;
  }
}

/** POSTs an NDJSON body streamed from `body`; resolves with the status and the answer's text. */
export function postNdjson(
  url: string,
  token: string,
  body: Iterable<string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    pipeline(Readable.from(body), request).catch(reject);
  });
}

export async function backlogScenario(ctx: BenchContext): Promise<BenchRecord> {
  const count = sized(ctx, Number(process.env['BENCH_S3_COUNT'] ?? 10_000), 500);
  const days = Math.ceil(count / 9_999);
  const firstDay = Date.UTC(2025, 6, 1) + Math.floor(Math.random() * (480 - days)) * 86_400_000;
  const { 'dossier-intake': intake } = benchServices(ctx, ['dossier-intake'], { OTEL_TRACES_EXPORTER: 'none' });
  await intake!.start(120_000);
  try {
    const meter = new ProcessMeter({
      ...infrastructureProcesses(ctx.runDir),
      'dossier-intake': pidOf(intake!),
      bench: process.pid,
    });
    meter.start();
    const token = devToken({ client: 'bench-backlog', communes: ['22657'] });
    const { status, text } = await postNdjson(`${intake!.baseUrl}/v1/dossiers:import`, token, backlog(count, firstDay));
    const usage = meter.stop();
    if (status !== 200) throw new Error(`import answered ${status}: ${text.slice(0, 300)}`);
    const report = JSON.parse(text) as Record<string, unknown>;
    const perSec = Math.round((count / usage.wallMs) * 1000);
    return {
      id: 'S3',
      title: `backlog import of ${count} dossiers (NDJSON → dossier-intake → FerretDB), the plan's size being 500,000`,
      headline: { value: perSec, unit: 'dossiers/s' },
      verdict: { target: '500,000 in ≤ 5 min (≥ 1,700/s)', floor: '≥ 560/s', floorHolds: perSec >= 560 },
      cpuMsPerDossier: Math.round((usage.totalCpuMs / count) * 100) / 100,
      processes: usage,
      figures: { count, wallMs: usage.wallMs, perSec, report },
      notes: ['Imports publish no events (dossier-intake README), so no consumers are involved.'],
    };
  } finally {
    await intake!.stop();
  }
}
