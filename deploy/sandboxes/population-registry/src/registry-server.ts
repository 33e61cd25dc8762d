import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { type Counters, emptyCounters, faultProblems, type FaultSettings, SlidingQuota } from './faults';
import { landUserRecord } from './land-records';
import { type Citizen, hash32, type Population } from './population';

/**
 * The population registry sandbox over HTTP, shaped like the National Population Database gateway (domain.md §3.3):
 *
 *   POST /api/congdan/tra-cuu      one query  { MaYeuCau, MaTichHop, MaDVC, MaCanBo, SoDinhDanh | SoCMND, HoVaTen?,
 *                                               NgayThangNam? | Nam? } → { MaYeuCau, CongdanCollection: { CongDan: [] } }
 *   POST /api/congdan/tra-cuu-lo   a batch  { MaTichHop, MaDVC, MaCanBo, YeuCau: [query, ... ≤ 100] }
 *                                               → { KetQua: [{ MaYeuCau, CongdanCollection: { CongDan: [] } }] }
 *   GET  /health                   200 when ready
 *   GET  /admin/counters           what the registry received (requests, over quota, ...); POST /admin/counters/reset
 *   GET  /admin/faults             current fault settings; PUT /admin/faults { latencyMs, outage, ... } changes them
 *   GET  /admin/people/{index}     the generated truth of a person (for tests building labelled sets)
 *   GET  /admin/land-records?count=N&format=csv|ndjson&seed=S
 *                                  a province's land-user records for a cleaning campaign (land-records.ts)
 */
export interface RegistryServerOptions {
  population: Population;
  faults: FaultSettings;
  /** Seed of the fault dice (5xx and throttling draws). */
  seed: number;
}

const maxBatch = 100;
const maxBody = 1_000_000;

export function loadPrefixes(start: string = __dirname): string[] {
  let dir = start;
  for (let i = 0; i < 8; i += 1) {
    const file = path.join(dir, 'contracts/reference-data/legacy-id-prefixes.v1.json');
    if (existsSync(file)) {
      const data = JSON.parse(readFileSync(file, 'utf8')) as { provincePrefixes: { prefix: string }[] };
      return data.provincePrefixes.map((p) => p.prefix);
    }
    dir = path.dirname(dir);
  }
  throw new Error('contracts/reference-data/legacy-id-prefixes.v1.json not found above ' + start);
}

interface Query {
  MaYeuCau?: unknown;
  SoDinhDanh?: unknown;
  SoCMND?: unknown;
}

export class RegistryServer {
  readonly counters: Counters = emptyCounters();
  private readonly quota = new SlidingQuota();
  private draws = 0;
  private readonly server: Server;
  private readonly hanging = new Set<ServerResponse>();

  constructor(private readonly options: RegistryServerOptions) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { title: 'sandbox failure', detail: String(error) });
      });
    });
  }

  get faults(): FaultSettings {
    return this.options.faults;
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /health') return send(res, 200, { status: 'ok', population: this.options.population.size });
    if (route === 'GET /admin/counters') return send(res, 200, this.counters);
    if (route === 'POST /admin/counters/reset') {
      Object.assign(this.counters, emptyCounters());
      return send(res, 204);
    }
    if (route === 'GET /admin/faults') return send(res, 200, this.options.faults);
    if (route === 'PUT /admin/faults') {
      const body = await readJson(req);
      if (!isObject(body)) return send(res, 400, { title: 'body must be a JSON object' });
      const problems = faultProblems(body);
      if (problems.length > 0) return send(res, 400, { title: 'invalid fault settings', errors: problems });
      Object.assign(this.options.faults, body);
      if (!this.options.faults.outage) for (const r of this.hanging) r.destroy();
      return send(res, 200, this.options.faults);
    }
    const person = /^\/admin\/people\/(\d{1,9})$/.exec(url.pathname);
    if (req.method === 'GET' && person) {
      const index = Number(person[1]);
      if (index >= this.options.population.size) return send(res, 404, { title: 'no such person' });
      return send(res, 200, {
        truth: this.options.population.truth(index),
        record: this.options.population.citizen(index),
      });
    }
    if (route === 'GET /admin/land-records') return this.landRecords(url, res);
    if (route === 'POST /api/congdan/tra-cuu' || route === 'POST /api/congdan/tra-cuu-lo') {
      return this.lookup(req, res, route.endsWith('-lo'));
    }
    return send(res, 404, { title: 'not found' });
  }

  private async lookup(req: IncomingMessage, res: ServerResponse, batch: boolean): Promise<void> {
    const { faults } = this.options;
    const counters = this.counters;
    counters.received += 1;
    const now = Date.now();
    const overQuotaMs = this.quota.admit(now, faults, counters);
    const body = await readJson(req).catch(() => undefined);
    if (isObject(body)) {
      const named = [body.MaCanBo, body.MaTichHop].find((v): v is string => typeof v === 'string' && v !== '');
      const caller = (named ?? 'unknown').slice(0, 60);
      counters.byCaller[caller] = (counters.byCaller[caller] ?? 0) + 1;
    }
    if (faults.outage === 'reset') {
      counters.outageRejected += 1;
      req.socket.destroy();
      return;
    }
    if (faults.outage === 'hang') {
      counters.outageRejected += 1;
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    if (faults.outage === '503') {
      counters.outageRejected += 1;
      return send(res, 503, { title: 'registry unavailable' }, { 'Retry-After': '5' });
    }
    if (overQuotaMs !== undefined) {
      counters.overQuota += 1;
      return send(res, 429, { title: 'quota exceeded' }, { 'Retry-After': String(Math.ceil(overQuotaMs / 1000)) });
    }
    if (this.draw() < faults.throttleRate) {
      counters.throttled += 1;
      return send(res, 429, { title: 'throttled' }, { 'Retry-After': String(faults.retryAfterSeconds) });
    }
    if (this.draw() < faults.errorRate) {
      counters.serverErrors += 1;
      const status = [500, 502, 503][this.draws % 3]!;
      return send(res, status, { title: 'registry error' });
    }
    if (!isObject(body)) return send(res, 400, { title: 'body must be a JSON object' });
    const queries: Query[] = batch ? (Array.isArray(body.YeuCau) ? (body.YeuCau as Query[]) : []) : [body];
    if (batch && (queries.length === 0 || queries.length > maxBatch)) {
      return send(res, 400, { title: `YeuCau must hold 1..${maxBatch} queries` });
    }
    const problems = queries.flatMap((q, i) => queryProblems(q, batch ? `YeuCau[${i}].` : ''));
    if (problems.length > 0) return send(res, 400, { title: 'invalid query', errors: problems });
    await delay(faults.latencyMs + this.draw() * faults.latencyJitterMs);
    const results = queries.map((q) => ({
      MaYeuCau: q.MaYeuCau,
      CongdanCollection: { CongDan: this.find(q) },
    }));
    counters.lookups += queries.length;
    counters.answered += 1;
    return send(res, 200, batch ? { KetQua: results } : results[0]);
  }

  private landRecords(url: URL, res: ServerResponse): void {
    const count = Number(url.searchParams.get('count') ?? 1000);
    const seed = Number(url.searchParams.get('seed') ?? this.options.seed);
    const format = url.searchParams.get('format') ?? 'ndjson';
    if (!Number.isSafeInteger(count) || count < 1 || count > 5_000_000 || !Number.isSafeInteger(seed)) {
      return send(res, 400, { title: 'count must be 1..5,000,000 and seed an integer' });
    }
    if (format !== 'csv' && format !== 'ndjson') return send(res, 400, { title: 'format must be csv or ndjson' });
    res.writeHead(200, { 'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson' });
    const columns = [
      'recordId',
      'communeCode',
      'mapSheetNumber',
      'parcelNumber',
      'fullName',
      'personalIdNumber',
      'dateOfBirth',
      'gender',
      'expected',
    ] as const;
    if (format === 'csv') res.write(`${columns.join(',')}\n`);
    let row = 0;
    const pump = (): void => {
      while (row < count) {
        const record = landUserRecord(this.options.population, seed, row);
        row += 1;
        const line =
          format === 'csv' ? `${columns.map((c) => csvField(record[c])).join(',')}\n` : `${JSON.stringify(record)}\n`;
        if (!res.write(line)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  }

  private find(query: Query): Citizen[] {
    const { population } = this.options;
    const index =
      typeof query.SoDinhDanh === 'string'
        ? population.indexOfPersonalId(query.SoDinhDanh)
        : typeof query.SoCMND === 'string'
          ? population.indexOfLegacyId(query.SoCMND)
          : undefined;
    if (index === undefined) return [];
    const { index: _index, ...record } = population.citizen(index);
    return [record as Citizen];
  }

  private draw(): number {
    this.draws += 1;
    return hash32(this.options.seed, this.draws, 99) / 2 ** 32;
  }
}

function queryProblems(q: Query, at: string): string[] {
  const problems: string[] = [];
  if (!isObject(q)) return [`${at}query must be an object`];
  if (typeof q.MaYeuCau !== 'string' || q.MaYeuCau === '') problems.push(`${at}MaYeuCau is required`);
  const byNumber = typeof q.SoDinhDanh === 'string' && /^\d{12}$/.test(q.SoDinhDanh);
  const byLegacy = typeof q.SoCMND === 'string' && /^\d{9}$/.test(q.SoCMND);
  if (!byNumber && !byLegacy) problems.push(`${at}SoDinhDanh (12 digits) or SoCMND (9 digits) is required`);
  return problems;
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (chunks.length === 0) return resolve(undefined);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(undefined);
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8' } : {}),
    ...headers,
  });
  res.end(text);
}
