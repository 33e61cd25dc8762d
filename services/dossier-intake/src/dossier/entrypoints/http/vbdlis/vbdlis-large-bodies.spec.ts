import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStore, FileStoreUnavailableError, type OpenedFile, type StoredFile } from '@lienthong/file-store';
import { devToken } from '@lienthong/testing';
import { startIntakeHttpApp, type IntakeHttpApp } from '../../../../testing/intake-http-app';
import { asciiJson } from './vbdlis-body.guard';

// The VBDLIS route's own body limits (ADR 0007): larger bodies than the 1 MB of the other routes, a bounded number
// of large ones at a time (503 with Retry-After for the next), and a document store that is down stores nothing.

const token = devToken({ client: 'one-stop-khanh-hoa', communes: ['22657'] });
const MB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A PDF-looking file of `size` bytes, distinct per `seed`. */
function scan(size: number, seed: string): Buffer {
  const bytes = Buffer.alloc(size, seed);
  Buffer.from('%PDF-1.7\n').copy(bytes);
  return bytes;
}

function payload(receipt: string, file: Buffer): string {
  return JSON.stringify({
    LaQuyTrinhCapTinh: true,
    TinhId: 56,
    HuyenId: 0,
    XaId: 22657,
    SoBienNhan: receipt,
    MaHoSoMotCua: receipt,
    NguoiTiepNhan: 'Lê Thị Thu',
    NgayTiepNhan: '2026-11-23T09:05:00',
    NgayHenTra: '2026-12-03T09:05:00',
    DiaChiTaiSan: 'Thôn Phú Ân Nam 2, xã Diên Điền, tỉnh Khánh Hòa',
    ThongTinNguoiNopDon: { HoTen: 'Võ Minh Tuấn', SoChungMinh: '056085011223', SoDienThoai: '0935111222' },
    ThongTinQuyTrinh: { MaQuyTrinh: '1.013831', TenQuyTrinh: 'Đăng ký biến động quyền sử dụng đất (chuyển nhượng)' },
    ThongTinThuaDat: [{ SoThuTuThua: '88', SoHieuBanDo: '15', DienTich: '150.2' }],
    DanhSachGiayToDinhKem: [
      {
        TenGiayTo: 'Giấy chứng nhận quyền sử dụng đất (bản scan)',
        SoBanChinh: 0,
        SoBanSao: 1,
        TapTin: { name: 'giay-chung-nhan.pdf', data: file.toString('base64') },
      },
    ],
  });
}

/** Sends a body with Content-Length; `hold` keeps its last byte back until released (a slow client). */
function send(
  baseUrl: string,
  body: string,
  hold = false,
): { answer: Promise<{ status: number; retryAfter?: string; json: Record<string, unknown> }>; release: () => void } {
  const bytes = Buffer.from(body);
  const url = new URL('/v1/compat/vbdlis/tiepnhan', baseUrl);
  let release = () => {};
  const answer = new Promise<{ status: number; retryAfter?: string; json: Record<string, unknown> }>(
    (resolve, reject) => {
      const request = httpRequest(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': bytes.length,
            authorization: `Bearer ${token}`,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              retryAfter: response.headers['retry-after'],
              json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
            }),
          );
        },
      );
      request.on('error', reject);
      if (hold) {
        request.write(bytes.subarray(0, bytes.length - 1));
        release = () => request.end(bytes.subarray(bytes.length - 1));
      } else request.end(bytes);
    },
  );
  return { answer, release };
}

/** A document store that is down (a fake of the port: every call fails as S3FileStore does when unreachable). */
class DownFileStore extends FileStore {
  override put(): Promise<StoredFile> {
    return Promise.reject(new FileStoreUnavailableError('connect ECONNREFUSED 127.0.0.1:8333'));
  }
  override open(): Promise<OpenedFile | null> {
    return Promise.reject(new FileStoreUnavailableError('connect ECONNREFUSED 127.0.0.1:8333'));
  }
  override has(): Promise<boolean> {
    return Promise.reject(new FileStoreUnavailableError('connect ECONNREFUSED 127.0.0.1:8333'));
  }
}

describe('POST /v1/compat/vbdlis/tiepnhan with large bodies', () => {
  let intake: IntakeHttpApp;
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'intake-vbdlis-large-'));
  });
  afterEach(async () => {
    await intake?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts a body far above the 1 MB of the other routes, and stores its attachment once under its SHA-256', async () => {
    intake = await startIntakeHttpApp(new Date('2026-11-23T03:00:00Z'), { fileDir: dir });
    const file = scan(3 * MB, 'a');
    const { answer } = send(intake.baseUrl, payload('000.00.56.H42-261123-0011', file));
    expect(await answer).toMatchObject({ status: 201, json: { data: 1 } });
    expect(intake.dossiers.rows[0]!.dossier.documents).toEqual([
      expect.objectContaining({ sha256: sha(file), sizeBytes: file.length, mediaType: 'application/pdf' }),
    ]);
    expect(await readdir(path.join(dir, sha(file).slice(0, 2)))).toEqual([sha(file)]);

    // The other routes keep their 1 MB limit.
    const canonical = await fetch(`${intake.baseUrl}/v1/dossiers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': 'k-1' },
      body: JSON.stringify({ padding: 'x'.repeat(2 * MB) }),
    });
    expect(canonical.status).toBe(413);
  });

  it('refuses a body over VBDLIS_MAX_BODY_BYTES with 413 before reading it, storing nothing', async () => {
    intake = await startIntakeHttpApp(new Date('2026-11-23T03:00:00Z'), {
      fileDir: dir,
      limits: { vbdlis: { maxBodyBytes: 2 * MB } },
    });
    const { answer } = send(intake.baseUrl, payload('000.00.56.H42-261123-0012', scan(2 * MB, 'b')));
    expect(await answer).toMatchObject({ status: 413, json: { data: 0, status: { code: '413' } } });
    expect(intake.dossiers.rows).toHaveLength(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it('receives at most VBDLIS_LARGE_BODIES large bodies at a time: the next is answered 503 with Retry-After', async () => {
    intake = await startIntakeHttpApp(new Date('2026-11-23T03:00:00Z'), {
      fileDir: dir,
      limits: { vbdlis: { largeBodies: 1 } },
    });
    const first = send(intake.baseUrl, payload('000.00.56.H42-261123-0013', scan(2 * MB, 'c')), true);
    // The first body is still arriving (its last byte held back): its slot is taken until it is answered.
    let second: Awaited<ReturnType<typeof send>['answer']> | undefined;
    // Each try is a new receipt: a re-sent one would be an idempotent replay (200), not a new large body.
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const receipt = `000.00.56.H42-261123-${String(30 + attempt).padStart(4, '0')}`;
      second = await send(intake.baseUrl, payload(receipt, scan(2 * MB, 'd'))).answer;
      if (second.status === 503) break;
      // The first request had not reached the guard yet when the second was sent; it will be refused next time.
      expect(second.status).toBe(201);
    }
    expect(second).toMatchObject({ status: 503, retryAfter: '5', json: { data: 0, status: { code: '503' } } });
    // A small body is never turned away for capacity.
    const small = await send(intake.baseUrl, payload('000.00.56.H42-261123-0015', scan(100_000, 'e'))).answer;
    expect(small.status).toBe(201);
    first.release();
    expect((await first.answer).status).toBe(201);
    // The slot is free again.
    expect((await send(intake.baseUrl, payload('000.00.56.H42-261123-0016', scan(2 * MB, 'f'))).answer).status).toBe(
      201,
    );
  });

  it('answers 503 with Retry-After and stores no dossier when the document store is down', async () => {
    intake = await startIntakeHttpApp(new Date('2026-11-23T03:00:00Z'), { fileStore: new DownFileStore() });
    const answer = await send(intake.baseUrl, payload('000.00.56.H42-261123-0017', scan(2 * MB, 'g'))).answer;
    expect(answer).toMatchObject({ status: 503, retryAfter: '30', json: { data: 0, status: { code: '503' } } });
    expect(intake.dossiers.rows).toHaveLength(0);
  });
});

describe('PUT /v1/files and URL documents with the document store down', () => {
  let intake: IntakeHttpApp;
  afterEach(async () => intake?.close());

  it('answers 503 problem details with Retry-After', async () => {
    intake = await startIntakeHttpApp(new Date(), { fileStore: new DownFileStore() });
    const bytes = scan(1_000, 'h');
    const response = await fetch(`${intake.baseUrl}/v1/files/${sha(bytes)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf', authorization: `Bearer ${token}` },
      body: bytes,
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('asciiJson (the VBDLIS body as a one-byte string)', () => {
  it.each([
    ['ASCII only', { a: 'plain', n: 1 }],
    ['Vietnamese names', { HoTen: 'Võ Minh Tuấn', DiaChi: 'Thôn Phú Ân Nam 2, xã Diên Điền, tỉnh Khánh Hòa' }],
    ['characters outside the BMP and escapes', { note: 'giấy 📄 tờ', escaped: 'tab\there "quoted" \\ back' }],
    ['non-ASCII at both ends', { x: 'Đ', y: ['ư', 'ạ'] }],
  ])('parses to the same value as the UTF-8 text: %s', (_name, value) => {
    const text = asciiJson(Buffer.from(JSON.stringify(value), 'utf8'));
    expect([...text].every((c) => c.charCodeAt(0) < 0x80)).toBe(true);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('keeps invalid JSON invalid', () => {
    expect((): unknown => JSON.parse(asciiJson(Buffer.from('{"a": Đ}', 'utf8')))).toThrow(SyntaxError);
  });
});

describe('POST /v1/compat/vbdlis/tiepnhan/ (another spelling of the path)', () => {
  let intake: IntakeHttpApp;
  afterEach(async () => intake?.close());

  it('is parsed by the shared 1 MB parser and still answered', async () => {
    intake = await startIntakeHttpApp(new Date('2026-11-23T03:00:00Z'));
    const response = await fetch(`${intake.baseUrl}/v1/compat/vbdlis/tiepnhan/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: payload('000.00.56.H42-261123-0018', scan(10_000, 'i')),
    });
    expect(response.status).toBe(201);
  });
});
