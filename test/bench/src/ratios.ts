import type { BenchRecord } from './context';

// The plan's ratios that divide a scenario by baselines measured in other steps of the same run (benchmarks.md §8.3):
//   R1 = MSR · k ÷ the raw kafkajs produce→consume ceiling, k = Kafka messages per dossier as S1 counted them; the
//        ceiling is the lower of K2a (produce, 100 per send) and K2b (consume, eachMessage), the two halves of a hop.
//   R3 = S3 ÷ min(M1 insertMany docs/s, K2a batched msg/s ÷ k_bulk); imports publish no events (k_bulk = 0), so
//        the Kafka term does not bound it and R3 = S3 ÷ M1 insertMany.
// Added to the S1 and S3 records when those baselines are in the run; left out otherwise.

const byId = (records: BenchRecord[], id: string) => records.find((r) => r.id === id && r.title !== 'failed');
const figure = (r: BenchRecord | undefined, key: string) =>
  typeof r?.figures[key] === 'number' ? r.figures[key] : undefined;
const round = (n: number) => Math.round(n * 1000) / 1000;

export function addDerivedRatios(records: BenchRecord[]): void {
  const k2a = figure(byId(records, 'K2a'), 'perSend100');
  const k2b = figure(byId(records, 'K2b'), 'eachMessage');
  const s1 = byId(records, 'S1');
  if (s1?.headline && k2a !== undefined && k2b !== undefined) {
    const ceiling = Math.min(k2a, k2b);
    const msr = s1.headline.value;
    const k = figure(s1, 'messagesPerDossier');
    if (msr === 0 || k !== undefined) {
      s1.ratio = {
        name: 'R1',
        baseline: `min(K2a ${k2a}, K2b ${k2b}) msg/s, k = ${k ?? 'not counted'} messages per dossier`,
        value: msr === 0 ? 0 : round((msr * k!) / ceiling),
      };
    }
  }
  const m1 = figure(byId(records, 'M1'), 'insertMany500');
  const s3 = byId(records, 'S3');
  if (s3?.headline && m1 !== undefined) {
    s3.ratio = {
      name: 'R3',
      baseline: `M1 insertMany of 500, ${m1} docs/s (imports publish no events)`,
      value: round(s3.headline.value / m1),
    };
  }
}
