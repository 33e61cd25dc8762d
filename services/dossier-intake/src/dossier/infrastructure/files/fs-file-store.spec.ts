import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileHashMismatchError } from '../../application/file-store';
import { FsFileStore } from './fs-file-store';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('FsFileStore (content-addressed, on a real directory)', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'intake-files-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores bytes under their SHA-256 once, and reads them back', async () => {
    const store = new FsFileStore(root);
    const bytes = Buffer.from('%PDF-1.4\nĐơn đăng ký biến động\n');
    await store.put(sha(bytes), bytes);
    await store.put(sha(bytes), bytes);
    expect(await store.get(sha(bytes))).toEqual(bytes);
    expect(await readdir(path.join(root, sha(bytes).slice(0, 2)))).toEqual([sha(bytes)]);
    expect(await store.get('0'.repeat(64))).toBeNull();
  });

  it('refuses bytes that do not have the stated hash, storing nothing', async () => {
    const store = new FsFileStore(root);
    await expect(store.put('0'.repeat(64), Buffer.from('x'))).rejects.toBeInstanceOf(FileHashMismatchError);
    expect(await readdir(root)).toEqual([]);
  });

  it('replaces a corrupted file under a hash instead of trusting it', async () => {
    const store = new FsFileStore(root);
    const bytes = Buffer.from('the real content');
    await store.put(sha(bytes), bytes);
    await writeFile(path.join(root, sha(bytes).slice(0, 2), sha(bytes)), 'bit rot');
    await store.put(sha(bytes), bytes);
    expect(await store.get(sha(bytes))).toEqual(bytes);
  });
});
