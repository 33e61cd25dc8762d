import { Topics } from '@lienthong/messaging';
import { devToken, KafkaTestConsumer, waitFor } from '@lienthong/testing';
import { dossierBody } from '../../../support/dossier-body';
import { sized, type BenchContext, type BenchRecord } from '../context';
import { infrastructureProcesses, ProcessMeter } from '../measure';
import { postNdjson } from './backlog';
import { benchServices, pidOf } from './stack';

// S3C: backlog dossiers become cases (issue 13 §5). BENCH_S3C_COUNT (default 10,000) dossiers received between
// 2026-10-24 and 2026-10-30 (after every S3 day, before the journey's) at 22657 go through POST /v1/dossiers:import with their front-desk status and clock
// pauses, 70 % open (running, paused for a supplement, for the financial obligation) and 30 % closed, land in both
// branches of province 56. dossier-intake announces the open ones (dossier.imported, relayed from the outbox) and
// registration-office opens each as a case. Figures: the import's wall time, and the time from the import's start
// until the last open dossier's case.received is on the case topic (the last case open at the LRO).

const kinds = [
  { status: 'RECEIVED', open: true },
  { status: 'RECEIVED', open: true },
  { status: 'IN_PROGRESS', open: true },
  { status: 'IN_PROGRESS', open: true, supplement: true },
  { status: 'SUPPLEMENT_REQUESTED', open: true, waiting: 'SUPPLEMENT' },
  { status: 'SUPPLEMENT_REQUESTED', open: true, supplement: true, waiting: 'SUPPLEMENT' },
  { status: 'AWAITING_FINANCIAL_OBLIGATION', open: true, supplement: true, waiting: 'FINANCIAL_OBLIGATION' },
  { status: 'STOPPED', open: false },
  { status: 'RESULT_RETURNED', open: false, supplement: true },
  { status: 'PROCESSED', open: false },
] as const;
const lands = ['22657', '22525', '22651', '22525'];
const days = 7;

function plusDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The lines from number `start` on each day, and the codes of the open ones. */
function backlog(count: number, start: number): { lines: string[]; open: Set<string> } {
  const open = new Set<string>();
  const lines = Array.from({ length: count }, (_, i) => {
    const day = plusDays('2026-10-24', i % days);
    const code = `000.00.56.H42-${day.slice(2).replace(/-/g, '')}-${String(start + Math.floor(i / days)).padStart(4, '0')}`;
    const kind = kinds[i % kinds.length]!;
    if (kind.open) open.add(code);
    const pauses = [
      ...('supplement' in kind
        ? [
            {
              reason: 'SUPPLEMENT',
              from: `${plusDays(day, 1)}T08:00:00+07:00`,
              to: `${plusDays(day, 3)}T14:30:00+07:00`,
            },
          ]
        : []),
      ...('waiting' in kind ? [{ reason: kind.waiting, from: `${plusDays(day, 5)}T10:00:00+07:00` }] : []),
    ];
    const body = dossierBody('bench-backlog-cases', `OLD-${code}`, {
      dossierCode: code,
      receivedAt: `${day}T09:00:00+07:00`,
      status: kind.status,
      pauses,
      parcels: [
        {
          communeCode: lands[i % lands.length],
          mapSheetNumber: '7',
          parcelNumber: String(i % 999_999),
          areaM2: 95.5,
          landUseCode: 'ONT',
        },
      ],
    });
    return `${JSON.stringify(body)}\n`;
  });
  return { lines, open };
}

export async function backlogCasesScenario(ctx: BenchContext): Promise<BenchRecord> {
  const count = sized(ctx, Number(process.env['BENCH_S3C_COUNT'] ?? 10_000), 500);
  const perDay = Math.ceil(count / days);
  if (perDay > 9_999) throw new Error(`at most ${days * 9_999} dossiers`);
  const window = () => 1 + Math.floor(Math.random() * (10_000 - perDay));
  const services = benchServices(ctx, ['dossier-intake', 'registration-office'], { OTEL_TRACES_EXPORTER: 'none' });
  const intake = services['dossier-intake']!;
  const office = services['registration-office']!;
  await Promise.all([intake.start(120_000), office.start(120_000)]);
  const received = new KafkaTestConsumer((process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), [
    Topics.CaseEvents,
  ]);
  await received.start();
  try {
    const meter = new ProcessMeter({
      ...infrastructureProcesses(ctx.runDir),
      'dossier-intake': pidOf(intake),
      'registration-office': pidOf(office),
      bench: process.pid,
    });
    const token = devToken({ client: 'bench-backlog-cases', communes: ['22657'] }, 24 * 3600);
    // Earlier runs' dossiers stay in the database: a dry run (not measured) finds a window of numbers none used.
    let chosen: ReturnType<typeof backlog> | undefined;
    for (let attempt = 0; attempt < 10 && !chosen; attempt += 1) {
      const candidate = backlog(count, window());
      const dry = await postNdjson(`${intake.baseUrl}/v1/dossiers:import?dryRun=true`, token, candidate.lines);
      if ((JSON.parse(dry.text) as { alreadyPresent?: number }).alreadyPresent === 0) chosen = candidate;
    }
    if (!chosen) throw new Error('no free window of dossier numbers in 10 tries');
    const { lines, open } = chosen;
    meter.start();
    const started = Date.now();
    const { status, text } = await postNdjson(`${intake.baseUrl}/v1/dossiers:import`, token, lines);
    const importMs = Date.now() - started;
    if (status !== 200) throw new Error(`import answered ${status}: ${text.slice(0, 300)}`);
    const report = JSON.parse(text) as { imported: number; alreadyPresent: number; announced: number };
    if (report.alreadyPresent > 0) throw new Error(`${report.alreadyPresent} codes taken by an earlier run: run again`);
    const opened = new Set<string>();
    let seen = 0;
    await waitFor(
      () => {
        for (; seen < received.messages.length; seen += 1) {
          const m = received.messages[seen]!;
          if (m.headers['ce_type'] === 'case.received' && m.key && open.has(m.key)) opened.add(m.key);
        }
        return opened.size === open.size ? true : undefined;
      },
      { timeoutMs: 3_600_000, intervalMs: 1_000, description: `${open.size} cases opened` },
    );
    const allOpenMs = Date.now() - started;
    const usage = meter.stop();
    const perSec = Math.round((open.size / allOpenMs) * 1000);
    return {
      id: 'S3C',
      title: `backlog of ${count} dossiers (${open.size} open) imported and opened as cases at the LRO`,
      headline: { value: perSec, unit: 'cases/s' },
      cpuMsPerDossier: Math.round((usage.totalCpuMs / count) * 100) / 100,
      processes: usage,
      figures: {
        count,
        open: open.size,
        importMs,
        allOpenMs,
        importPerSec: Math.round((count / importMs) * 1000),
        report,
      },
      notes: [
        `import ${(importMs / 1000).toFixed(1)} s (${Math.round((count / importMs) * 1000)} dossiers/s); last of the ${open.size} cases open ${(allOpenMs / 1000).toFixed(1)} s after the import started.`,
        'allOpenMs: from the start of the import until the last open dossier’s case.received was on the case topic.',
        'Only dossier-intake and registration-office run: population-matching and notification are not involved.',
      ],
    };
  } finally {
    await received.stop();
    await Promise.all([intake.stop(), office.stop()]);
  }
}
