import path from 'node:path';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import type { FileStore } from './file-store';
import { FsFileStore } from './fs-file-store';
import { S3FileStore } from './s3-file-store';

/**
 * The environment variables of the document store, the same in every service that reads or writes documents
 * (dossier-intake, registration-office). Defaults reach the local infrastructure (`npm run infra`: SeaweedFS's S3 API
 * on 127.0.0.1:8333, whose development credentials `lt_service_env` exports).
 */
export interface FileStoreSettings {
  /** `s3` (any S3-compatible object store; the default) or `fs` (a directory, for unit-style use). */
  FILE_STORE: 's3' | 'fs';
  /** Directory of the `fs` store. Relative paths start at the working directory. */
  FILE_STORE_DIR: string;
  S3_ENDPOINT?: string;
  S3_REGION: string;
  S3_BUCKET: string;
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
  /** `true` (default) or `false`. */
  S3_FORCE_PATH_STYLE: 'true' | 'false';
  S3_CONNECT_TIMEOUT_MS: number;
  S3_REQUEST_TIMEOUT_MS: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the TypeScript mixin pattern requires any[] here
type Constructor<T = object> = new (...args: any[]) => T;

/**
 * Adds the document store's variables, with their validation and defaults, to a service's env class:
 * `class MyEnv extends WithFileStoreSettings(ServiceEnv) { ... }`. The service keeps one class describing its whole
 * environment, and both services validate the store's variables the same way.
 */
export function WithFileStoreSettings<TBase extends Constructor>(Base: TBase) {
  class FileStoreEnv extends Base implements FileStoreSettings {
    /** `s3` (default): the object store of ADR 0007; `fs`: a local directory (FILE_STORE_DIR), for unit-style use. */
    @IsIn(['s3', 'fs'], { message: 'FILE_STORE must be s3 or fs' })
    FILE_STORE: 's3' | 'fs' = 's3';

    /** Directory of the `fs` store, content-addressed by SHA-256. Relative paths start at the working directory. */
    @IsString()
    @IsNotEmpty()
    FILE_STORE_DIR: string = '.cache/files';

    /** S3 API endpoint; empty for AWS itself (the region decides). Locally SeaweedFS on 127.0.0.1:8333. */
    @IsOptional()
    @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
    S3_ENDPOINT?: string = 'http://127.0.0.1:8333';

    @IsString()
    @IsNotEmpty()
    S3_REGION: string = 'us-east-1';

    /** Bucket holding the documents (`sha256/<hex>` keys, `incoming/` for uploads not yet verified). */
    @IsString()
    @IsNotEmpty()
    S3_BUCKET: string = 'lienthong-documents';

    /**
     * Static credentials; when unset the SDK's default chain applies (environment, profile, instance role), or in
     * development the local store's identity (deploy/local/lib/common.sh).
     */
    @IsOptional()
    @IsString()
    S3_ACCESS_KEY_ID?: string;

    @IsOptional()
    @IsString()
    S3_SECRET_ACCESS_KEY?: string;

    /** Path-style requests (`endpoint/bucket/key`): needed by SeaweedFS, MinIO and most S3-compatible servers. */
    @IsIn(['true', 'false'], { message: 'S3_FORCE_PATH_STYLE must be true or false' })
    S3_FORCE_PATH_STYLE: 'true' | 'false' = 'true';

    /** How long connecting to the store may take before it counts as down (the request then answers 503). */
    @IsInt()
    @Min(100)
    @Max(60_000)
    S3_CONNECT_TIMEOUT_MS: number = 2_000;

    /** How long one request to the store may stay silent before it fails (503). */
    @IsInt()
    @Min(500)
    @Max(600_000)
    S3_REQUEST_TIMEOUT_MS: number = 30_000;
  }
  return FileStoreEnv;
}

/**
 * The identity of the local object store (deploy/local/lib/common.sh writes the same into SeaweedFS's config):
 * fixed development values for a store bound to 127.0.0.1, used only when LIENTHONG_ENV is `development` and no
 * credentials are set, like the development token keys.
 */
export const localDevelopmentCredentials = {
  accessKeyId: 'lienthong-local',
  secretAccessKey: 'lienthong-local-secret',
} as const;

/**
 * The FileStore the settings choose. `LIENTHONG_ENV` (ServiceEnv) is read only to fall back on the local store's
 * development identity when no credentials are set.
 */
export function createFileStore(env: FileStoreSettings & { LIENTHONG_ENV?: string }): FileStore {
  if (env.FILE_STORE === 'fs') return new FsFileStore(path.resolve(env.FILE_STORE_DIR));
  if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY) {
    throw new Error('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together or not at all');
  }
  return new S3FileStore({
    endpoint: env.S3_ENDPOINT || undefined,
    region: env.S3_REGION,
    bucket: env.S3_BUCKET,
    credentials:
      env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
        : env.LIENTHONG_ENV === 'development'
          ? localDevelopmentCredentials
          : undefined,
    forcePathStyle: env.S3_FORCE_PATH_STYLE !== 'false',
    connectTimeoutMs: env.S3_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: env.S3_REQUEST_TIMEOUT_MS,
  });
}
