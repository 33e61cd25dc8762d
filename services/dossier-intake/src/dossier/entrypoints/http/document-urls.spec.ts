import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devToken } from '@lienthong/testing';
import { startIntakeHttpApp, type IntakeHttpApp } from '../../../testing/intake-http-app';
import { HttpDocumentSource } from '../../infrastructure/files/http-document-source';

// Documents given as a URL (intake-api.md documents[]): fetched during the request from a real HTTP server on
// loopback, checked against the declared size and SHA-256, stored by SHA-256 in the file store; every failure is a
// field error of that document, and nothing is stored (no dossier, no reservation, no reference, no file).

const now = new Date('2026-11-23T03:00:00Z');
const token = devToken({ client: 'one-stop-khanh-hoa', communes: ['22657'] });
const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(4_000, 'đơn đăng ký biến động ')]);
const sha256 = createHash('sha256').update(pdf).digest('hex');

function body(url: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const an = { fullName: 'Nguyễn Văn An', personalIdNumber: '056080001234', dateOfBirth: '1980-03-15', gender: 'MALE' };
  return {
    procedureCode: '1.013831',
    caseCode: 'TRANSFER',
    receivingUnitCode: '22657',
    channel: 'DIRECT',
    receivedAt: '2026-11-23T08:15:00+07:00',
    externalReference: { system: 'one-stop-khanh-hoa', id: `BN-${randomUUID()}` },
    applicant: an,
    parties: [
      { ...an, role: 'TRANSFEROR' },
      {
        role: 'TRANSFEREE',
        fullName: 'Lê Hoàng Minh',
        personalIdNumber: '079095007890',
        dateOfBirth: '1995-11-20',
        gender: 'MALE',
      },
    ],
    parcels: [{ communeCode: '22657', mapSheetNumber: '12', parcelNumber: '345', areaM2: 120.5, landUseCode: 'ONT' }],
    documents: [
      {
        kind: 'APPLICATION_FORM',
        fileName: 'don.pdf',
        mediaType: 'application/pdf',
        sizeBytes: pdf.length,
        sha256,
        url,
        ...overrides,
      },
    ],
  };
}

function storedFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

describe('documents given as a URL', () => {
  let files: Server;
  let base = '';
  let otherPort = 0;
  let other: Server;
  let intake: IntakeHttpApp;
  let fileDir: string;
  const requests: string[] = [];
  const otherRequests: string[] = [];

  beforeAll(async () => {
    files = createServer((request, response) => {
      requests.push(request.url ?? '');
      switch (new URL(request.url ?? '/', 'http://127.0.0.1').pathname) {
        case '/hs/don.pdf':
          response.writeHead(200, { 'content-type': 'application/pdf', 'content-length': pdf.length }).end(pdf);
          return;
        case '/hs/redirect.pdf':
          // To another host (127.0.0.2 is loopback too, but not this host): never followed.
          response.writeHead(302, { location: `http://127.0.0.2:${otherPort}/hs/don.pdf` }).end();
          return;
        case '/hs/chunked-larger.pdf':
          // No content-length: the overflow is noticed while the body streams in.
          response.writeHead(200, { 'content-type': 'application/pdf' });
          response.write(pdf);
          response.end(Buffer.alloc(1_000, 1));
          return;
        case '/hs/slow.pdf':
          return; // never answers: the fetch times out
        default:
          response.writeHead(404).end('not here');
      }
    });
    other = createServer((request, response) => {
      otherRequests.push(request.url ?? '');
      response.end(pdf);
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    otherPort = (other.address() as AddressInfo).port;
    fileDir = path.join(tmpdir(), `intake-url-files-${randomUUID()}`);
    intake = await startIntakeHttpApp(now, {
      fileDir,
      documentSource: new HttpDocumentSource({
        allowedHosts: new Set([`127.0.0.1:${(files.address() as AddressInfo).port}`]),
        allowLoopbackHttp: true,
        timeoutMs: 400,
      }),
    });
  });
  afterAll(async () => {
    await intake?.close();
    files.closeAllConnections();
    other.closeAllConnections();
    await Promise.all([files, other].map((s) => new Promise((resolve) => s.close(resolve))));
  });

  async function submit(payload: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${intake.baseUrl}/v1/dossiers`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(payload),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  it.each([
    ['a host that is not on the list', () => `http://127.0.0.1:${otherPort}/hs/don.pdf`, {}, 'URL_HOST_NOT_ALLOWED'],
    [
      'a name that is not 127.0.0.1 over http',
      () => base.replace('127.0.0.1', 'localhost') + '/hs/don.pdf',
      {},
      'URL_SCHEME_NOT_ALLOWED',
    ],
    [
      'credentials in the URL',
      () => base.replace('http://', 'http://user:secret@') + '/hs/don.pdf',
      {},
      'URL_CREDENTIALS',
    ],
    ['a file the host does not have (404)', () => `${base}/hs/missing.pdf`, {}, 'URL_FETCH_FAILED'],
    ['a redirect to another host', () => `${base}/hs/redirect.pdf`, {}, 'URL_REDIRECT_NOT_FOLLOWED'],
    ['a host that does not answer in time', () => `${base}/hs/slow.pdf`, {}, 'URL_FETCH_TIMEOUT'],
    ['a file larger than declared (content-length)', () => `${base}/hs/don.pdf`, { sizeBytes: 1_000 }, 'URL_TOO_LARGE'],
    ['a file larger than declared (streamed)', () => `${base}/hs/chunked-larger.pdf`, {}, 'URL_TOO_LARGE'],
    ['a file smaller than declared', () => `${base}/hs/don.pdf`, { sizeBytes: pdf.length + 1 }, 'SIZE_MISMATCH'],
    ['a file with another SHA-256', () => `${base}/hs/don.pdf`, { sha256: 'b'.repeat(64) }, 'SHA256_MISMATCH'],
  ])('refuses %s as a field error of the document and stores nothing', async (_name, url, overrides, code) => {
    const { status, json } = await submit(body(url(), overrides));
    expect({ status, json }).toMatchObject({
      status: 400,
      json: { errors: [expect.objectContaining({ field: 'documents[0].url', code })] },
    });
    expect(intake.dossiers.rows).toHaveLength(0);
    expect(intake.dossiers.reservations.size).toBe(0);
    expect(intake.dossiers.references.size).toBe(0);
    expect(storedFiles(fileDir)).toEqual([]);
  });

  it('never asks the other host for the file a redirect points to', () => {
    expect(requests).toContain('/hs/redirect.pdf');
    expect(otherRequests).toEqual([]);
  });

  it('fetches the file, stores it by SHA-256, and the dossier and its event carry the reference, not the URL', async () => {
    const url = `${base}/hs/don.pdf?signature=abc`;
    const { status, json } = await submit(body(url));
    expect({ status, json }).toMatchObject({ status: 201, json: { status: 'RECEIVED' } });
    const code = json.dossierCode as string;
    expect(readFileSync(path.join(fileDir, sha256.slice(0, 2), sha256))).toEqual(pdf);
    const [row] = intake.dossiers.rows;
    expect(row!.dossier.documents).toEqual([
      { kind: 'APPLICATION_FORM', fileName: 'don.pdf', mediaType: 'application/pdf', sizeBytes: pdf.length, sha256 },
    ]);
    expect(JSON.stringify(row)).not.toContain('signature=abc');
    const submitted = intake.dossiers.eventsOf(code).find((e) => e.type === 'dossier.submitted')!;
    expect(submitted.data.documents).toEqual([
      { kind: 'APPLICATION_FORM', mediaType: 'application/pdf', sizeBytes: pdf.length, sha256 },
    ]);
  });
});
