import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { FileHashMismatchError, FileStoreUnavailableError, FileTooLargeError } from './file-store';
import { localDevelopmentCredentials } from './file-store.settings';
import { S3FileStore, type S3FileStoreOptions } from './s3-file-store';

// The real local object store (deploy/local/infra.sh: SeaweedFS's S3 API), in a bucket of this run's own.
const endpoint = process.env.S3_ENDPOINT ?? `http://127.0.0.1:${process.env.S3_PORT ?? '8333'}`;
const credentials = process.env.S3_ACCESS_KEY_ID
  ? { accessKeyId: process.env.S3_ACCESS_KEY_ID, secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? '' }
  : localDevelopmentCredentials;
const bucket = `file-store-it-${randomUUID().slice(0, 8)}`;
const options: S3FileStoreOptions = {
  endpoint,
  region: 'us-east-1',
  bucket,
  credentials,
  forcePathStyle: true,
  connectTimeoutMs: 2_000,
  requestTimeoutMs: 30_000,
};
const admin = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true });

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const MB = 1024 * 1024;

async function keys(prefix: string): Promise<string[]> {
  const listed = await admin.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key!);
}

async function digest(body: NodeJS.ReadableStream): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** `size` bytes of a deterministic pattern, generated in 64 KiB chunks (never held whole). */
function generated(size: number, seed: string): () => Readable {
  const block = Buffer.alloc(64 * 1024);
  return () =>
    Readable.from(
      (function* () {
        for (let offset = 0, i = 0; offset < size; offset += block.length, i++) {
          const fill = createHash('sha256').update(`${seed}:${i}`).digest();
          for (let j = 0; j < block.length; j += fill.length) fill.copy(block, j);
          yield Buffer.from(block.subarray(0, Math.min(block.length, size - offset)));
        }
      })(),
    );
}

describe('S3FileStore against the local object store (SeaweedFS)', () => {
  const store = new S3FileStore(options);

  beforeAll(async () => {
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  afterAll(async () => {
    for (const key of await keys('')) await admin.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    await admin.send(new DeleteBucketCommand({ Bucket: bucket }));
    store.close();
    admin.destroy();
  });

  it('stores a streamed file under its SHA-256 and reads the same bytes back', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(MB, 0x42), Buffer.from('\n%%EOF\n')]);
    expect(await store.has(sha(bytes))).toBe(false);
    expect(
      await store.put(sha(bytes), Readable.from([bytes]), { maxBytes: 2 * MB, mediaType: 'application/pdf' }),
    ).toEqual({
      sha256: sha(bytes),
      sizeBytes: bytes.length,
    });
    expect(await store.has(sha(bytes))).toBe(true);
    const opened = await store.open(sha(bytes));
    expect(opened?.sizeBytes).toBe(bytes.length);
    expect(await digest(opened!.body)).toEqual({ sha256: sha(bytes), bytes: bytes.length });
    expect(await keys('sha256/')).toContain(`sha256/${sha(bytes)}`);
    expect(await keys('incoming/')).toEqual([]);
    expect(await store.open('0'.repeat(64))).toBeNull();
  });

  it('stores the same bytes once: putting them again is a no-op that still checks them', async () => {
    const bytes = Buffer.from('Giấy chứng nhận quyền sử dụng đất');
    await store.put(sha(bytes), bytes, { maxBytes: MB });
    expect(await store.put(sha(bytes), Readable.from([bytes]), { maxBytes: MB })).toEqual({
      sha256: sha(bytes),
      sizeBytes: bytes.length,
    });
    await expect(store.put(sha(bytes), Buffer.from('other bytes'), { maxBytes: MB })).rejects.toBeInstanceOf(
      FileHashMismatchError,
    );
    expect((await keys('sha256/')).filter((k) => k === `sha256/${sha(bytes)}`)).toHaveLength(1);
    expect(await digest((await store.open(sha(bytes)))!.body)).toEqual({ sha256: sha(bytes), bytes: bytes.length });
  });

  it('stores nothing when the bytes have another hash', async () => {
    const claimed = sha(Buffer.from('what the client said'));
    await expect(
      store.put(claimed, Readable.from([Buffer.alloc(6 * MB, 1)]), { maxBytes: 10 * MB }),
    ).rejects.toBeInstanceOf(FileHashMismatchError);
    expect(await store.has(claimed)).toBe(false);
    expect(await keys('incoming/')).toEqual([]);
  });

  it('stores nothing when the body is larger than allowed, also past the first multipart part', async () => {
    const make = generated(12 * MB, 'too-large');
    const hash = (await digest(make())).sha256;
    await expect(store.put(hash, make(), { maxBytes: 11 * MB })).rejects.toBeInstanceOf(FileTooLargeError);
    expect(await store.has(hash)).toBe(false);
    expect(await keys('incoming/')).toEqual([]);
  });

  it('streams a 30 MB file in and out without holding it in memory', async () => {
    const size = 30 * MB;
    const make = generated(size, 'scan');
    const hash = (await digest(make())).sha256;
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      expect(await store.put(hash, make(), { maxBytes: 50 * MB })).toEqual({ sha256: hash, sizeBytes: size });
      const opened = await store.open(hash);
      expect(opened?.sizeBytes).toBe(size);
      expect(await digest(opened!.body)).toEqual({ sha256: hash, bytes: size });
    } finally {
      clearInterval(sampler);
    }
    // Loose bound, not a timing: the upload keeps one 5 MiB part (plus the one being read) in memory. Holding the
    // file would need at least its 30 MB; the GC may keep freed parts around a while, hence the margin.
    const grewBy = peak - before;
    process.stdout.write(`30 MB round trip: peak RSS growth ${(grewBy / MB).toFixed(1)} MB\n`);
    expect(grewBy).toBeLessThan(2 * size);
    expect(await keys('incoming/')).toEqual([]);
  });

  it('answers FileStoreUnavailableError when the store cannot be reached', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as { port: number };
        server.close(() => resolve(p));
      });
    });
    const down = new S3FileStore({ ...options, endpoint: `http://127.0.0.1:${port}` });
    const bytes = Buffer.from('a scan');
    await expect(down.put(sha(bytes), Readable.from([bytes]), { maxBytes: MB })).rejects.toBeInstanceOf(
      FileStoreUnavailableError,
    );
    await expect(down.has(sha(bytes))).rejects.toBeInstanceOf(FileStoreUnavailableError);
    await expect(down.open(sha(bytes))).rejects.toBeInstanceOf(FileStoreUnavailableError);
    down.close();
  });
});
