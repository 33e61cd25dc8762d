import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { localDevelopmentCredentials } from '@lienthong/file-store';
import { ServiceProcess } from '@lienthong/testing';
import { vbdlisAuth, vbdlisTiepNhanBody, type VbdlisTiepNhan } from '../support/vbdlis-body';

// Issue 13, "Done when": the VBDLIS compatibility route with a 25 MB attachment is accepted and the file is stored
// once, with the same SHA-256, in the object store (the local SeaweedFS of `npm run infra`). dossier-intake runs as
// its own process from dist/ with the same environment as `npm start`. The service's resident memory is sampled
// from /proc while it receives 25 MB and 40 MB attachments (the memory budget of ADR 0007).

const root = path.resolve(__dirname, '../..');
const logDir = path.join(root, '.cache/run/journey-logs');
const intake = new ServiceProcess({
  name: 'dossier-intake',
  port: 3310,
  root,
  logDir,
  env: { OTEL_TRACES_EXPORTER: 'none', LOG_LEVEL: 'warn' },
});

const bucket = process.env.S3_BUCKET ?? 'lienthong-documents';
const s3 = new S3Client({
  endpoint: process.env.S3_ENDPOINT ?? 'http://127.0.0.1:8333',
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: process.env.S3_ACCESS_KEY_ID
    ? { accessKeyId: process.env.S3_ACCESS_KEY_ID, secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? '' }
    : localDevelopmentCredentials,
});
const MB = 1024 * 1024;

/** The service's resident set size in bytes (Linux /proc). */
function rss(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/** Sends the body, sampling the service's RSS every 20 ms until the answer is complete. */
async function sendMeasured(payload: VbdlisTiepNhan): Promise<{
  status: number;
  json: { data: number; status: { message: string } };
  location: string | null;
  baseline: number;
  peak: number;
  seconds: number;
}> {
  const pid = intake.pid!;
  const baseline = rss(pid);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rss(pid))), 20);
  const started = process.hrtime.bigint();
  try {
    const response = await fetch(`${intake.baseUrl}/v1/compat/vbdlis/tiepnhan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...vbdlisAuth() },
      body: payload.body,
    });
    const json = (await response.json()) as { data: number; status: { message: string } };
    return {
      status: response.status,
      json,
      location: response.headers.get('location'),
      baseline,
      peak: Math.max(peak, rss(pid)),
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
  } finally {
    clearInterval(sampler);
  }
}

async function storedSha256(sha256: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `sha256/${sha256}` }));
  const hash = createHash('sha256');
  for await (const chunk of object.Body as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

describe('VBDLIS compatibility route with large scanned attachments (object store)', () => {
  beforeAll(async () => {
    await intake.start();
  });
  afterAll(async () => {
    await intake.stop();
    s3.destroy();
  });

  it('accepts a 25 MB attachment and stores it once under its SHA-256, readable back with the same hash', async () => {
    const payload = vbdlisTiepNhanBody({ attachmentBytes: 25 * MB });
    const answer = await sendMeasured(payload);
    expect(answer).toMatchObject({ status: 201, json: { data: 1 } });
    process.stdout.write(
      `VBDLIS 25 MB attachment (${(payload.body.length / MB).toFixed(1)} MB body): accepted in ${answer.seconds.toFixed(1)} s, ` +
        `service RSS ${(answer.baseline / MB).toFixed(0)} → peak ${(answer.peak / MB).toFixed(0)} MB\n`,
    );

    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `sha256/${payload.sha256}` }));
    expect(head.ContentLength).toBe(payload.sizeBytes);
    expect(await storedSha256(payload.sha256)).toBe(payload.sha256);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `sha256/${payload.sha256}` }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([`sha256/${payload.sha256}`]);

    // The dossier lists the document by reference.
    const dossier = await fetch(`${intake.baseUrl}${answer.location!}`, { headers: vbdlisAuth() });
    expect(dossier.status).toBe(200);
    expect(JSON.stringify(await dossier.json())).toContain(payload.sha256);

    // Re-sending the same receipt is answered from the first: one dossier, one object.
    const again = await fetch(`${intake.baseUrl}/v1/compat/vbdlis/tiepnhan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...vbdlisAuth() },
      body: payload.body,
    });
    expect(again.status).toBe(200);
    const relisted = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `sha256/${payload.sha256}` }));
    expect(relisted.Contents).toHaveLength(1);
  });

  it('streams a 50 MiB upload (the limit) into the store with flat memory, and cuts off one byte more (413)', async () => {
    const size = 50 * MB;
    const file = randomBytes(size);
    Buffer.from('%PDF-1.7\n').copy(file);
    const address = createHash('sha256').update(file).digest('hex');
    const pid = intake.pid!;
    const baseline = rss(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rss(pid))), 20);
    const started = process.hrtime.bigint();
    let response: Response;
    try {
      response = await fetch(`${intake.baseUrl}/v1/files/${address}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/pdf', ...vbdlisAuth() },
        body: file,
      });
    } finally {
      clearInterval(sampler);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ sha256: address, sizeBytes: size });
    process.stdout.write(
      `PUT /v1/files 50 MiB: ${seconds.toFixed(1)} s (${(size / MB / seconds).toFixed(0)} MB/s into SeaweedFS), ` +
        `service RSS ${(baseline / MB).toFixed(0)} → peak ${(peak / MB).toFixed(0)} MB\n`,
    );
    expect(await storedSha256(address)).toBe(address);
    // Streamed, not buffered: the service never holds the 50 MiB (5 MiB parts, one in flight).
    expect(peak - baseline).toBeLessThan(size);

    const over = Buffer.concat([file, Buffer.from('!')]);
    const tooLarge = await fetch(`${intake.baseUrl}/v1/files/${createHash('sha256').update(over).digest('hex')}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf', ...vbdlisAuth() },
      body: over,
    });
    expect(tooLarge.status).toBe(413);
  });

  it('accepts a 40 MB attachment (a 53 MB body) within the memory budget of ADR 0007', async () => {
    const payload = vbdlisTiepNhanBody({ attachmentBytes: 40 * MB });
    const answer = await sendMeasured(payload);
    expect(answer).toMatchObject({ status: 201, json: { data: 1 } });
    process.stdout.write(
      `VBDLIS 40 MB attachment (${(payload.body.length / MB).toFixed(1)} MB body): accepted in ${answer.seconds.toFixed(1)} s, ` +
        `service RSS ${(answer.baseline / MB).toFixed(0)} → peak ${(answer.peak / MB).toFixed(0)} MB\n`,
    );
    expect(await storedSha256(payload.sha256)).toBe(payload.sha256);
    // ADR 0007's budget for one large body: about the body plus its largest attachment, with room for V8's
    // two-byte copy of a body that holds Vietnamese text; not a timing, a bound on growth.
    expect(answer.peak - answer.baseline).toBeLessThan(5 * payload.body.length);
  });

  it('receives two 40 MB attachments at once (VBDLIS_LARGE_BODIES = 2): the worst case of the budget', async () => {
    const payloads = [
      vbdlisTiepNhanBody({ attachmentBytes: 40 * MB }),
      vbdlisTiepNhanBody({ attachmentBytes: 40 * MB }),
    ];
    const pid = intake.pid!;
    const baseline = rss(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rss(pid))), 20);
    let statuses: number[];
    try {
      statuses = await Promise.all(
        payloads.map(async (payload) => {
          const response = await fetch(`${intake.baseUrl}/v1/compat/vbdlis/tiepnhan`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...vbdlisAuth() },
            body: payload.body,
          });
          await response.arrayBuffer();
          return response.status;
        }),
      );
    } finally {
      clearInterval(sampler);
    }
    expect(statuses).toEqual([201, 201]);
    process.stdout.write(
      `VBDLIS 2 × 40 MB attachments at once: service RSS ${(baseline / MB).toFixed(0)} → peak ${(peak / MB).toFixed(0)} MB\n`,
    );
    for (const payload of payloads) expect(await storedSha256(payload.sha256)).toBe(payload.sha256);
    expect(peak - baseline).toBeLessThan(2 * 5 * payloads[0]!.body.length);
  });
});
