import { type DomainError, PayloadTooLargeError, UnavailableError, ValidationError } from '@lienthong/kernel';

/** What the store holds under a hash once `put` has returned. */
export interface StoredFile {
  /** Lower-case hex SHA-256 of the bytes: the file's address. */
  sha256: string;
  sizeBytes: number;
}

/** Options of one `put`. */
export interface PutOptions {
  /** The most bytes the file may have; one byte more and nothing is stored (FileTooLargeError). */
  maxBytes: number;
  /** Media type recorded with the object (informative only: the dossier or case keeps the authoritative one). */
  mediaType?: string;
}

/** An opened stored file: its size and its bytes as a stream (the caller must consume or destroy it). */
export interface OpenedFile {
  sizeBytes: number;
  body: NodeJS.ReadableStream;
}

/**
 * Content-addressed storage of documents (port; ADR 0007). A file is stored under the lower-case hex SHA-256 of its
 * bytes after the store has checked, while the bytes stream through, that they have that hash; unverified bytes
 * never appear under a content address. Storing the same bytes again is a no-op, so retries and re-sent payloads
 * never duplicate a file. Dossiers, cases and events hold only the hash (the claim check), never the bytes.
 *
 * Implementations never hold a whole file in memory: bodies are streamed through a hash and a byte counter.
 */
export abstract class FileStore {
  /**
   * Streams `body` into the store under `sha256` (lower-case hex), hashing while it streams; at most
   * `options.maxBytes` (else FileTooLargeError, nothing stored). Throws FileHashMismatchError when the bytes have
   * another hash (nothing stored). Storing bytes already stored is a no-op that still consumes the body.
   * FileStoreUnavailableError when the backend cannot be reached. A body stream is read, never destroyed, by the
   * store: after an error the caller decides what happens to the rest of it.
   */
  abstract put(sha256: string, body: NodeJS.ReadableStream | Buffer, options: PutOptions): Promise<StoredFile>;

  /** The stored file as a stream with its size, or null when nothing is stored under that hash. */
  abstract open(sha256: string): Promise<OpenedFile | null>;

  /** Whether a file is stored under that hash. */
  abstract has(sha256: string): Promise<boolean>;
}

const sha256Pattern = /^[0-9a-f]{64}$/;

/** Whether `value` is a file address: 64 lower-case hexadecimal digits. */
export function isSha256(value: string): boolean {
  return sha256Pattern.test(value);
}

/** Throws a ValidationError unless `sha256` is a file address (a programming error in callers that checked input). */
export function assertSha256(sha256: string): void {
  if (!isSha256(sha256)) {
    throw new ValidationError('The file address is not a SHA-256.', [
      { field: 'sha256', code: 'MATCHES', message: 'sha256 must be 64 lower-case hexadecimal digits' },
    ]);
  }
}

/** The bytes do not have the SHA-256 they were stored under; nothing was stored. Answered as 400. */
export class FileHashMismatchError extends ValidationError {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super('The file does not have the SHA-256 it is stored under.', [
      { field: 'sha256', code: 'SHA256_MISMATCH', message: `the SHA-256 of the bytes differs from ${expected}` },
    ]);
  }
}

/** The file has more bytes than allowed; nothing was stored. Answered as 413. */
export class FileTooLargeError extends PayloadTooLargeError {
  constructor(readonly maxBytes: number) {
    super(`A file may have at most ${maxBytes} bytes.`);
  }
}

/**
 * The object store could not be reached or failed (network, timeout, 5xx, credentials). Nothing under a content
 * address changed; the request may be retried later. Answered as 503 with Retry-After.
 */
export class FileStoreUnavailableError extends UnavailableError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`The document store is unavailable: ${detail}`, 30);
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/**
 * Reading the body failed (the client hung up, a fetched URL timed out): not the store's fault. The stores throw the
 * body's own error (`cause`) back to the caller, so e.g. a fetch timeout is reported as such and not as a store
 * outage.
 */
export class FileBodyError extends Error {
  constructor(override readonly cause: unknown) {
    super(`reading the file body failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'FileBodyError';
  }
}

/** The body's own error when `error` wraps one (FileBodyError), else `error`. */
export function bodyErrorOr(error: unknown): unknown {
  return error instanceof FileBodyError ? error.cause : error;
}

/** Whether `error` is one of the store's own answers (as opposed to a bug). */
export function isFileStoreError(error: unknown): error is DomainError {
  return (
    error instanceof FileHashMismatchError ||
    error instanceof FileTooLargeError ||
    error instanceof FileStoreUnavailableError
  );
}
