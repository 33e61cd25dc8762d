import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devToken } from '@lienthong/testing';
import { startIntakeHttpApp, type IntakeHttpApp } from '../../../testing/intake-http-app';

const token = devToken({ client: 'one-stop-khanh-hoa', communes: ['22657'] });
const pdf = Buffer.from('%PDF-1.4\n% Hợp đồng chuyển nhượng quyền sử dụng đất\n%%EOF\n');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('PUT /v1/files/{sha256}', () => {
  let intake: IntakeHttpApp;
  let files: string;
  beforeEach(async () => {
    files = await mkdtemp(path.join(tmpdir(), 'intake-upload-'));
    intake = await startIntakeHttpApp(new Date(), { fileDir: files });
  });
  afterEach(async () => {
    await intake?.close();
    await rm(files, { recursive: true, force: true });
  });

  const put = (address: string, body: Buffer, type = 'application/pdf', bearer: string | null = token) =>
    fetch(`${intake.baseUrl}/v1/files/${address}`, {
      method: 'PUT',
      headers: { 'content-type': type, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body,
    });

  it('stores the bytes under their SHA-256 once; repeating the upload answers 200', async () => {
    const first = await put(sha(pdf), pdf);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ sha256: sha(pdf), sizeBytes: pdf.length });
    expect((await put(sha(pdf), pdf)).status).toBe(200);
    expect(await readFile(path.join(files, sha(pdf).slice(0, 2), sha(pdf)))).toEqual(pdf);
  });

  it('refuses bytes of another hash (400), a malformed address (400), another media type (415), no token (401)', async () => {
    const other = await put(sha(Buffer.from('x')), pdf);
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ errors: [{ code: 'SHA256_MISMATCH' }] });
    expect((await put('ABC', pdf)).status).toBe(400);
    expect((await put(sha(pdf), pdf, 'application/zip')).status).toBe(415);
    expect((await put(sha(pdf), pdf, 'application/pdf', null)).status).toBe(401);
    await expect(readFile(path.join(files, sha(pdf).slice(0, 2), sha(pdf)))).rejects.toThrow();
  });
});
