import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { FileHashMismatchError, FileTooLargeError } from './file-store';
import { FsFileStore } from './fs-file-store';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const limit = { maxBytes: 1024 * 1024 };

async function read(body: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('FsFileStore (content-addressed, on a real directory)', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'file-store-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores bytes under their SHA-256 once, and reads them back as a stream with their size', async () => {
    const store = new FsFileStore(root);
    const bytes = Buffer.from('%PDF-1.4\nĐơn đăng ký biến động\n');
    expect(await store.put(sha(bytes), bytes, limit)).toEqual({ sha256: sha(bytes), sizeBytes: bytes.length });
    expect(await store.put(sha(bytes), Readable.from([bytes]), limit)).toEqual({
      sha256: sha(bytes),
      sizeBytes: bytes.length,
    });
    const opened = await store.open(sha(bytes));
    expect(opened?.sizeBytes).toBe(bytes.length);
    expect(await read(opened!.body)).toEqual(bytes);
    expect(await readdir(path.join(root, sha(bytes).slice(0, 2)))).toEqual([sha(bytes)]);
    expect(await store.has(sha(bytes))).toBe(true);
    expect(await store.open('0'.repeat(64))).toBeNull();
    expect(await store.has('0'.repeat(64))).toBe(false);
  });

  it('streams a body in chunks, hashing as it goes', async () => {
    const store = new FsFileStore(root);
    const parts = [Buffer.alloc(300_000, 1), Buffer.alloc(300_000, 2), Buffer.alloc(7, 3)];
    const whole = Buffer.concat(parts);
    const body = new PassThrough();
    const stored = store.put(sha(whole), body, limit);
    for (const part of parts) body.write(part);
    body.end();
    expect(await stored).toEqual({ sha256: sha(whole), sizeBytes: whole.length });
    expect(await readFile(path.join(root, sha(whole).slice(0, 2), sha(whole)))).toEqual(whole);
  });

  it('refuses bytes that do not have the stated hash, storing nothing', async () => {
    const store = new FsFileStore(root);
    await expect(store.put('0'.repeat(64), Buffer.from('x'), limit)).rejects.toBeInstanceOf(FileHashMismatchError);
    await expect(store.put('0'.repeat(64), Readable.from([Buffer.from('x')]), limit)).rejects.toBeInstanceOf(
      FileHashMismatchError,
    );
    expect(await readdir(root)).toEqual(['00']);
    expect(await readdir(path.join(root, '00'))).toEqual([]);
  });

  it('refuses a body over maxBytes, storing nothing and leaving the body undestroyed', async () => {
    const store = new FsFileStore(root);
    const bytes = Buffer.alloc(2_000, 7);
    await expect(store.put(sha(bytes), bytes, { maxBytes: 1_999 })).rejects.toBeInstanceOf(FileTooLargeError);
    const body = new PassThrough();
    const stored = store.put(sha(bytes), body, { maxBytes: 1_999 });
    body.write(bytes.subarray(0, 1_000));
    body.write(bytes.subarray(1_000));
    await expect(stored).rejects.toBeInstanceOf(FileTooLargeError);
    expect(body.destroyed).toBe(false);
    expect(await store.has(sha(bytes))).toBe(false);
    expect(await readdir(path.join(root, sha(bytes).slice(0, 2)))).toEqual([]);
  });

  it('replaces a corrupted file under a hash instead of trusting it', async () => {
    const store = new FsFileStore(root);
    const bytes = Buffer.from('the real content');
    await store.put(sha(bytes), bytes, limit);
    await writeFile(path.join(root, sha(bytes).slice(0, 2), sha(bytes)), 'bit rot');
    await store.put(sha(bytes), bytes, limit);
    expect(await read((await store.open(sha(bytes)))!.body)).toEqual(bytes);
  });

  it('refuses an address that is not a SHA-256', async () => {
    const store = new FsFileStore(root);
    await expect(store.has('../etc/passwd')).rejects.toThrow('SHA-256');
  });
});
