import type { BenchRecord } from './context';

/** The Markdown summary: one row per scenario with its headline, ratio and whether the plan's floor holds. */
export function summaryMarkdown(meta: Record<string, unknown>, records: readonly BenchRecord[]): string {
  const machine = meta['machine'] as Record<string, unknown>;
  const lines = [
    `# Benchmark summary ${String(meta['startedAt'])}`,
    '',
    `Machine: ${String(machine['cpuModel'])}, ${String(machine['nproc'])} cores, ${String(machine['memoryGiB'])} GiB; Node ${String(machine['node'])}, ` +
      `Kafka ${String(machine['kafka'])}, ${String(machine['database'])}, Redis ${String(machine['redis'])}. ` +
      `Other load before the run: ${String(meta['foreignLoadBefore'])} of all cores.${meta['quick'] ? ' **Quick run (counts scaled down): not a result.**' : ''}`,
    '',
    '| ID | What | Figure | Ratio | Floor holds | CPU-ms/dossier |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of records) {
    const figure = r.headline
      ? `${r.headline.value} ${r.headline.unit}`
      : r.title === 'failed'
        ? 'failed (see the JSON)'
        : 'not measured';
    const ratio = r.ratio ? `${r.ratio.name} = ${r.ratio.value} (vs ${r.ratio.baseline})` : '—';
    const floor = r.verdict ? `${r.verdict.floorHolds ? 'yes' : '**no**'} (${r.verdict.floor})` : '—';
    lines.push(`| ${r.id} | ${r.title} | ${figure} | ${ratio} | ${floor} | ${r.cpuMsPerDossier ?? '—'} |`);
  }
  const notes = records.flatMap((r) => (r.notes ?? []).map((n) => `- ${r.id}: ${n}`));
  if (notes.length > 0) lines.push('', 'Notes:', '', ...notes);
  return `${lines.join('\n')}\n`;
}
