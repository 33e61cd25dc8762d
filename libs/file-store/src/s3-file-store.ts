import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
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
import { drain, HashingMeter, meter } from './hashing-meter';

/** Where and how to reach the bucket. */
export interface S3FileStoreOptions {
  /** e.g. `http://127.0.0.1:8333` (SeaweedFS locally); omit for AWS itself. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Static credentials; when absent the SDK's default chain (env, profile, instance role) is used. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Path-style URLs (`endpoint/bucket/key`), needed by most S3-compatible servers. */
  forcePathStyle: boolean;
  /** How long opening a connection may take before the store counts as unreachable. */
  connectTimeoutMs: number;
  /** How long a request may stay silent (no bytes either way) before it fails. */
  requestTimeoutMs: number;
  /** Attempts per request (the SDK retries throttling and 5xx with backoff). */
  maxAttempts?: number;
  /**
   * Size of the parts of a multipart upload. The upload buffers one part while it sends it (plus the part being
   * read), so this bounds the memory one upload uses; S3 requires at least 5 MiB.
   */
  partSizeBytes?: number;
}

/** Keys of verified files: `sha256/<hex>`. Keys under `incoming/` hold uploads whose hash is not checked yet. */
const contentKey = (sha256: string) => `sha256/${sha256}`;
const incomingKey = () => `incoming/${randomUUID()}`;

/**
 * FileStore on any S3-compatible object store (AWS S3, SeaweedFS, MinIO, Ceph RGW; ADR 0007).
 *
 * The body streams through a hash and a byte counter into a temporary object under `incoming/` (a multipart
 * upload for large files, one part in memory at a time); only when the whole body has the expected hash is the
 * object copied server-side to its content key `sha256/<hex>` and the temporary one deleted. A reader of a content
 * key therefore only ever sees verified bytes. Bytes already stored are hashed and discarded without an upload.
 * Temporary objects left by a crash are removed by the bucket's lifecycle rule on `incoming/` (ADR 0007).
 */
export class S3FileStore extends FileStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly partSizeBytes: number;

  constructor(options: S3FileStoreOptions) {
    super();
    const config: S3ClientConfig = {
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: options.credentials,
      maxAttempts: options.maxAttempts ?? 2,
      // Checksums only where S3 requires them: the store verifies SHA-256 itself, and aws-chunked trailing
      // checksums are not implemented by every S3-compatible server.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: {
        connectionTimeout: options.connectTimeoutMs,
        requestTimeout: options.requestTimeoutMs,
      },
    };
    this.client = new S3Client(config);
    this.bucket = options.bucket;
    this.partSizeBytes = Math.max(options.partSizeBytes ?? 5 * 1024 * 1024, 5 * 1024 * 1024);
  }

  override async put(sha256: string, body: NodeJS.ReadableStream | Buffer, options: PutOptions): Promise<StoredFile> {
    assertSha256(sha256);
    if (Buffer.isBuffer(body) && body.length > options.maxBytes) throw new FileTooLargeError(options.maxBytes);
    const hashing = Buffer.isBuffer(body) ? bufferMeter(body, options.maxBytes) : meter(body, options.maxBytes);

    if (await this.has(sha256)) {
      // Already stored: still read and check the body, so a wrong hash or an oversized body is refused the same way.
      try {
        await drain(hashing);
      } catch (error) {
        throw error instanceof FileBodyError ? error.cause : error;
      }
      return this.verified(sha256, hashing);
    }

    const temporary = incomingKey();
    try {
      await new Upload({
        client: this.client,
        params: { Bucket: this.bucket, Key: temporary, Body: hashing, ContentType: options.mediaType },
        partSize: this.partSizeBytes,
        queueSize: 1,
        leavePartsOnError: false,
      }).done();
    } catch (error) {
      await this.removeQuietly(temporary);
      // The meter's own failure (too large, the body broke off) explains the upload's failure better than the SDK.
      const cause = hashing.errored ?? error;
      if (cause instanceof FileTooLargeError) throw cause;
      if (cause instanceof FileBodyError) throw cause.cause;
      throw unavailable(error);
    }
    try {
      this.verified(sha256, hashing);
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: contentKey(sha256),
          CopySource: `${this.bucket}/${temporary}`,
          MetadataDirective: 'COPY',
        }),
      );
    } catch (error) {
      throw error instanceof FileHashMismatchError ? error : unavailable(error);
    } finally {
      await this.removeQuietly(temporary);
    }
    return { sha256, sizeBytes: hashing.sizeBytes };
  }

  override async open(sha256: string): Promise<OpenedFile | null> {
    assertSha256(sha256);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: contentKey(sha256) }));
      if (!(object.Body instanceof Readable)) throw new Error('the object body is not a Node.js stream');
      return { sizeBytes: object.ContentLength ?? 0, body: object.Body };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw unavailable(error);
    }
  }

  override async has(sha256: string): Promise<boolean> {
    assertSha256(sha256);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: contentKey(sha256) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw unavailable(error);
    }
  }

  /** Closes the client's connections (at shutdown). */
  close(): void {
    this.client.destroy();
  }

  private verified(sha256: string, hashing: HashingMeter): StoredFile {
    const actual = hashing.digest();
    if (actual !== sha256) throw new FileHashMismatchError(sha256, actual);
    return { sha256, sizeBytes: hashing.sizeBytes };
  }

  /** Deletes a temporary object; a failure leaves it to the bucket's lifecycle rule. */
  private async removeQuietly(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })).catch(() => undefined);
  }
}

function bufferMeter(bytes: Buffer, maxBytes: number): HashingMeter {
  const hashing = new HashingMeter(maxBytes);
  hashing.end(bytes);
  return hashing;
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

function unavailable(error: unknown): FileStoreUnavailableError {
  if (error instanceof FileStoreUnavailableError) return error;
  const e = error as { name?: string; code?: string; message?: string };
  return new FileStoreUnavailableError(`${e?.name ?? 'Error'}${e?.code ? ` (${e.code})` : ''}: ${e?.message ?? ''}`, {
    cause: error,
  });
}
