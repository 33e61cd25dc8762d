import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { FileHashMismatchError, FileStore } from '../../application/file-store';

const sha256Pattern = /^[0-9a-f]{64}$/;

/**
 * FileStore on a directory (a local disk or a shared volume): `<root>/<first two hex digits>/<sha256>`. A file is
 * written to a temporary name, flushed, then renamed into place, so a crash never leaves a partial file under a
 * hash; a file already present is re-read and its hash checked rather than trusted.
 */
export class FsFileStore extends FileStore {
  constructor(private readonly root: string) {
    super();
  }

  private pathOf(sha256: string): string {
    if (!sha256Pattern.test(sha256)) throw new Error('sha256 must be 64 lower-case hex digits');
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  override async put(sha256: string, bytes: Buffer): Promise<void> {
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw new FileHashMismatchError(sha256);
    const target = this.pathOf(sha256);
    const existing = await readFile(target).catch(() => null);
    if (existing && createHash('sha256').update(existing).digest('hex') === sha256) return;
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  override async get(sha256: string): Promise<Buffer | null> {
    return readFile(this.pathOf(sha256)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
  }
}
