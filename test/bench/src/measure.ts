import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Measuring tools of the benchmark run: percentiles, per-process CPU and RSS from /proc, machine facts.

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** Latency summary in milliseconds. */
export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of `values` (milliseconds), rounded to 0.1 ms. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  const round = (v: number) => Math.round(v * 10) / 10;
  return { count: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(at(1)) };
}

/** CPU time (user + system) of a process and its threads, in milliseconds; undefined once it has gone. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}

/** Resident set size of a process in MiB. */
export function rssMiB(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** The processes whose CPU a scenario is charged with, by name (infrastructure, services, this load generator). */
export type ProcessSet = Record<string, number>;

/** The local infrastructure's processes, from the pid files of deploy/local/infra.sh. */
export function infrastructureProcesses(runDir: string): ProcessSet {
  const pids: ProcessSet = {};
  const dir = path.join(runDir, 'pids');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.pid'))) {
    const pid = Number(readFileSync(path.join(dir, file), 'utf8').trim());
    if (cpuMs(pid) !== undefined) pids[file.replace(/\.pid$/, '')] = pid;
  }
  return pids;
}

/**
 * CPU used and peak RSS per process between `start()` and `stop()`; sampled every 500 ms, so a process that exits
 * in between is charged with the CPU it had used at the last sample.
 */
export class ProcessMeter {
  private readonly startCpu = new Map<string, number>();
  private readonly peakRss = new Map<string, number>();
  /** CPU last seen per process: what a process that exits before `stop()` used. */
  private readonly lastCpu = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private startedAt = 0;

  constructor(private readonly processes: ProcessSet) {}

  start(): void {
    this.startedAt = performance.now();
    for (const [name, pid] of Object.entries(this.processes)) this.startCpu.set(name, cpuMs(pid) ?? 0);
    this.sample();
    this.timer = setInterval(() => this.sample(), 500);
  }

  stop(): { wallMs: number; cpuMs: Record<string, number>; totalCpuMs: number; rssMiB: Record<string, number> } {
    clearInterval(this.timer);
    this.sample();
    const cpu: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.processes)) {
      cpu[name] = Math.round((cpuMs(pid) ?? this.lastCpu.get(name)!) - this.startCpu.get(name)!);
    }
    return {
      wallMs: Math.round(performance.now() - this.startedAt),
      cpuMs: cpu,
      totalCpuMs: Object.values(cpu).reduce((a, b) => a + b, 0),
      rssMiB: Object.fromEntries(this.peakRss),
    };
  }

  private sample(): void {
    for (const [name, pid] of Object.entries(this.processes)) {
      const cpu = cpuMs(pid);
      if (cpu !== undefined) this.lastCpu.set(name, cpu);
      const rss = rssMiB(pid);
      if (rss !== undefined) this.peakRss.set(name, Math.max(rss, this.peakRss.get(name) ?? 0));
    }
  }
}

/** CPU used by every process on the machine except `ours`, as a share of all cores, over `ms`: other load present. */
export async function foreignLoad(ours: readonly number[], ms = 1000): Promise<number> {
  const total = () => {
    let sum = 0;
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid) || ours.includes(pid)) continue;
      sum += cpuMs(pid) ?? 0;
    }
    return sum;
  };
  const before = total();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return Math.round(((total() - before) / (ms * os.cpus().length)) * 100) / 100;
}

/** What the figures were measured on. */
export function machineInfo(versions: Record<string, string>): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    nproc: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    ...versions,
  };
}

/** Runs `task` with at most `concurrency` in flight until `count` are done; returns each one's duration in ms. */
export async function closedLoop(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<number[]> {
  const durations: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await task(i);
        durations.push(performance.now() - t0);
      }
    }),
  );
  return durations;
}

/**
 * Starts `task` at a constant arrival rate for `seconds`, whether or not earlier ones have finished (open loop, so a
 * slow system cannot slow the load down and hide its latency). Each latency counts from the scheduled start.
 */
export async function openLoop(
  ratePerSec: number,
  seconds: number,
  task: (i: number) => Promise<void>,
): Promise<{ latencies: number[]; errors: number; lateStarts: number }> {
  const total = Math.round(ratePerSec * seconds);
  const interval = 1000 / ratePerSec;
  const started = performance.now();
  const latencies: number[] = [];
  let errors = 0;
  let lateStarts = 0;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    else if (wait < -50) lateStarts += 1; // the generator itself fell behind
    inFlight.push(
      task(i).then(
        () => void latencies.push(performance.now() - due),
        () => void (errors += 1),
      ),
    );
  }
  await Promise.all(inFlight);
  return { latencies, errors, lateStarts };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

/** Where a V8 CPU profile (`node --cpu-prof`) spent its time: self time by package or area, and the top functions. */
export interface ProfileSummary {
  file: string;
  profiledMs: number;
  /** Share of samples by area (0.5 % and more): a package under node_modules, our code by project, node internals, GC, idle. */
  byArea: Record<string, number>;
  /** The functions with the most self time, with their share of samples. */
  topFunctions: { name: string; share: number }[];
}

function areaOf(url: string, name: string): string {
  if (name === '(garbage collector)') return 'gc';
  if (name === '(idle)' || name === '(program)') return name.slice(1, -1);
  if (!url) return 'native';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return 'node';
  const ours = /\/dist\/((?:services|libs|deploy\/sandboxes)\/[^/]+)/.exec(url);
  return ours ? ours[1]! : 'other';
}

/** Summarises every `.cpuprofile` in `dir` (one per process that ran with --cpu-prof). */
export function cpuProfileSummary(dir: string, top = 15): ProfileSummary[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return [];
  }
  return files.map((f) => {
    const profile = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CpuProfile;
    const hits = new Map<number, number>();
    for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
    const total = [...hits.values()].reduce((a, b) => a + b, 0) || 1;
    const byArea: Record<string, number> = {};
    const byFunction = new Map<string, number>();
    for (const node of profile.nodes) {
      const n = hits.get(node.id) ?? 0;
      if (n === 0) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const area = areaOf(url, functionName);
      byArea[area] = (byArea[area] ?? 0) + n;
      const name =
        `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules|dist)\//, '')}:${lineNumber + 1}` : ''}`.trim();
      byFunction.set(name, (byFunction.get(name) ?? 0) + n);
    }
    const share = (n: number) => Math.round((n / total) * 1000) / 1000;
    return {
      file: f,
      profiledMs: Math.round((profile.endTime - profile.startTime) / 1000),
      byArea: Object.fromEntries(
        Object.entries(byArea)
          .filter(([, n]) => n / total >= 0.005)
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => [k, share(n)]),
      ),
      topFunctions: [...byFunction.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([name, n]) => ({ name, share: share(n) })),
    };
  });
}
