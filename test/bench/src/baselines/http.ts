import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { sized, dossierPayload, type BenchContext, type BenchRecord } from '../context';
import { closedLoop, cpuMs, percentiles } from '../measure';

// H1: the HTTP framework's cost: bare Express vs a Nest (Express adapter) app with the same route, validation off
// and on, each in its own process, loaded by this process over loopback (closed loop, concurrency 32).

/** Closed-loop POSTs of 4 KB JSON to `url`; returns requests per second, latency and the server's CPU per request. */
export async function postLoad(url: string, count: number, concurrency: number, serverPid?: number) {
  const body = JSON.stringify(dossierPayload(1));
  const cpu0 = serverPid ? (cpuMs(serverPid) ?? 0) : 0;
  const t0 = performance.now();
  let failures = 0;
  const latencies = await closedLoop(count, concurrency, async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await response.arrayBuffer();
    if (response.status !== 201) failures += 1;
  });
  const seconds = (performance.now() - t0) / 1000;
  return {
    perSec: Math.round(count / seconds),
    latency: percentiles(latencies),
    failures,
    serverCpuMsPerRequest: serverPid ? Math.round((((cpuMs(serverPid) ?? 0) - cpu0) / count) * 1000) / 1000 : undefined,
  };
}

async function startServer(variant: string, port: number): Promise<ChildProcess> {
  const child = fork(path.join(__dirname, 'http-server.js'), [variant, String(port)], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${variant} server exited with ${code}`)));
  });
  return child;
}

export async function httpBaseline(ctx: BenchContext): Promise<BenchRecord> {
  const count = sized(ctx, 20000, 1000);
  const results: Record<string, Awaited<ReturnType<typeof postLoad>>> = {};
  let port = 3390;
  for (const variant of ['bare-express', 'nest-express', 'nest-express-validated']) {
    const server = await startServer(variant, ++port);
    try {
      await postLoad(`http://127.0.0.1:${port}/dossiers`, Math.round(count / 10), 32); // warm-up
      results[variant] = await postLoad(`http://127.0.0.1:${port}/dossiers`, count, 32, server.pid);
    } finally {
      server.kill('SIGTERM');
    }
  }
  const ratio = Math.round((results['nest-express']!.perSec / results['bare-express']!.perSec) * 100) / 100;
  return {
    id: 'H1',
    title: 'HTTP framework cost: Nest (Express adapter) vs bare Express, POST of 4 KB JSON',
    headline: { value: results['nest-express']!.perSec, unit: 'req/s (Nest, validation off)' },
    ratio: { name: 'R7', baseline: 'bare Express, same route', value: ratio },
    verdict: { target: 'R7 ≥ 0.87 (Express, as published)', floor: 'R7 ≥ 0.6', floorHolds: ratio >= 0.6 },
    figures: {
      ...results,
      validationCost:
        Math.round((results['nest-express-validated']!.perSec / results['nest-express']!.perSec) * 100) / 100,
      count,
    },
    notes: ['Fastify is not a dependency of the services, so only the Express adapter is measured.'],
  };
}
