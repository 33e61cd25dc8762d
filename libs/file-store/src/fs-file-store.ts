import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertSha256,
  FileBodyError,
  FileHashMismatchError,
  FileStore,
  FileStoreUnavailableError,
  FileTooLargeError,
  type OpenedFile,
  type PutOptions,
  type StoredFile,
} from './file-store';
import { HashingMeter, meter } from './hashing-meter';

/**
 * FileStore on a directory (a local disk or a shared volume): `<root>/<first two hex digits>/<sha256>`. For unit-style
 * use and single-host setups (`FILE_STORE=fs`); deployments use the object store (S3FileStore, ADR 0007).
 *
 * The body streams through the hash into a temporary file, which is flushed to disk and renamed into place only
 * when the hash matches, so a crash or a wrong hash never leaves a partial file under an address. Bytes already
 * stored are written again and renamed over the old file (same bytes, atomic): that also repairs a file damaged on
 * disk instead of trusting it.
 */
export class FsFileStore extends FileStore {
  constructor(private readonly root: string) {
    super();
  }

  private pathOf(sha256: string): string {
    assertSha256(sha256);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  override async put(sha256: string, body: NodeJS.ReadableStream | Buffer, options: PutOptions): Promise<StoredFile> {
    const target = this.pathOf(sha256);
    if (Buffer.isBuffer(body) && body.length > options.maxBytes) throw new FileTooLargeError(options.maxBytes);
    try {
      await mkdir(path.dirname(target), { recursive: true });
    } catch (error) {
      throw unavailable(error);
    }
    const temporary = `${target}.${randomUUID()}.tmp`;
    let hashing: HashingMeter;
    try {
      if (Buffer.isBuffer(body)) {
        hashing = new HashingMeter(options.maxBytes);
        await pipeline(Readable.from([body]), hashing, createWriteStream(temporary, { flush: true }));
      } else {
        hashing = meter(body, options.maxBytes);
        await pipeline(hashing, createWriteStream(temporary, { flush: true }));
      }
    } catch (error) {
      await rm(temporary, { force: true });
      if (error instanceof FileTooLargeError) throw error;
      if (error instanceof FileBodyError) throw error.cause;
      throw unavailable(error);
    }
    const actual = hashing.digest();
    if (actual !== sha256) {
      await rm(temporary, { force: true });
      throw new FileHashMismatchError(sha256, actual);
    }
    try {
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw unavailable(error);
    }
    return { sha256, sizeBytes: hashing.sizeBytes };
  }

  override async open(sha256: string): Promise<OpenedFile | null> {
    const file = this.pathOf(sha256);
    try {
      const { size } = await stat(file);
      return { sizeBytes: size, body: createReadStream(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw unavailable(error);
    }
  }

  override async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw unavailable(error);
    }
  }
}

function unavailable(error: unknown): FileStoreUnavailableError {
  return new FileStoreUnavailableError(error instanceof Error ? error.message : String(error), { cause: error });
}
