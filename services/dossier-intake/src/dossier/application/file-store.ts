/**
 * Content-addressed storage of dossier files (port): a file is stored under the lower-case hex SHA-256 of its bytes,
 * after the store has checked that the bytes have that hash. Storing the same bytes again is a no-op, so retries and
 * re-sent payloads never duplicate a file. Events and dossiers hold only the hash.
 */
export abstract class FileStore {
  /** Stores `bytes` under `sha256`; throws FileHashMismatchError when the bytes have another hash. */
  abstract put(sha256: string, bytes: Buffer): Promise<void>;
  /** The file's bytes, or null when nothing is stored under that hash. */
  abstract get(sha256: string): Promise<Buffer | null>;
}

/** The bytes do not have the SHA-256 they were stored under. */
export class FileHashMismatchError extends Error {
  constructor(readonly expected: string) {
    super(`file content does not match sha256 ${expected}`);
    this.name = 'FileHashMismatchError';
  }
}
