import { ConfigError, ServiceEnv } from '@lienthong/config';
import { WithFileStoreSettings } from '@lienthong/file-store';
import { maxDocumentBytesCeiling } from '../dossier/application/document-limits';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/**
 * Every environment variable dossier-intake reads: the shared ones (ServiceEnv), the document store's
 * (FILE_STORE, S3_*; libs/file-store) and its own.
 */
export class DossierIntakeEnv extends WithFileStoreSettings(ServiceEnv) {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3001;

  /**
   * Receiving communes and their agency electronic id (QCVN 102:2016), `commune:agencyId` pairs separated by commas.
   * The agency id is the first part of every dossier code issued for that commune. The default covers the communes
   * of the development configuration (office-api.md); provinces set their own.
   */
  @IsString()
  @Matches(/^\d{5}:[0-9A-Z.]+(,\d{5}:[0-9A-Z.]+)*$/, { message: 'RECEIVING_AGENCIES must be commune:agencyId[,...]' })
  RECEIVING_AGENCIES: string =
    '22651:000.00.56.H42,22657:000.00.56.H42,22525:000.01.56.H42,21439:000.00.51.H55,21451:000.01.51.H55,21457:000.02.51.H55,21478:000.03.51.H55,19111:000.00.44.H50';

  /**
   * Directory holding `contracts/reference-data` (procedure catalogue, working calendar, administrative units):
   * the repository root locally, the image's /app in a container. Relative paths start at the working directory.
   */
  @IsString()
  REFERENCE_DATA_ROOT: string = '.';

  /**
   * Folder of the per-province deployment files (`<provinceCode>.v1.json`: LRO branches and the communes whose
   * land each serves, office hours, remote communes), shared with registration-office. Empty: the
   * `contracts/reference-data/provinces` folder under REFERENCE_DATA_ROOT. Relative paths start at the working
   * directory.
   */
  @IsOptional()
  @IsString()
  PROVINCE_DATA_DIR?: string;

  /**
   * Procedure codes of one-stop systems that are not national codes, for the VBDLIS compatibility endpoint:
   * `local:national[:CASE]` pairs separated by commas, e.g. `1.013831.000.00.00.H42:1.013831:TRANSFER`. A national
   * code maps to itself without an entry.
   */
  @IsOptional()
  @Matches(/^([0-9A-Za-z.]+:[12]\.\d{6}(:[A-Z_]+)?(,[0-9A-Za-z.]+:[12]\.\d{6}(:[A-Z_]+)?)*)?$/, {
    message: 'VBDLIS_PROCEDURE_MAP must be local:national[:CASE] entries separated by commas',
  })
  VBDLIS_PROCEDURE_MAP?: string;

  /** How often leftover outbox events are re-published (after a crash or a broker outage). */
  @IsInt()
  @Min(200)
  OUTBOX_SWEEP_INTERVAL_MS: number = 2_000;

  /**
   * Whether webhook URLs may name a loopback host (and use plain http there): for local development and tests only,
   * where the intake system's receiver runs on 127.0.0.1. On by default in development, refused elsewhere; private
   * and internal hosts are never accepted.
   */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'WEBHOOK_ALLOW_PRIVATE_HOSTS must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_HOSTS?: 'true' | 'false';

  /**
   * Requests one client (token `sub`) may make per window, reads and writes together, across all replicas (counted
   * in Redis); over it, `429` with `Retry-After`. 0 switches limiting off. The default, 6,000 per 60 s (100/s on
   * average), is far above what the journeys, the fault suite and the benchmarks send.
   */
  @IsInt()
  @Min(0)
  RATE_LIMIT_REQUESTS: number = 6_000;

  /** Length of the rate-limit window in seconds (a window starts with a client's first request in it). */
  @IsInt()
  @Min(1)
  @Max(3_600)
  RATE_LIMIT_WINDOW_SECONDS: number = 60;

  /**
   * Hosts the service may fetch documents from when a submission gives a document as a `url`: comma-separated
   * `host` or `host:port` entries, compared exactly with the URL's host. Empty (the default): no URL is fetched.
   */
  @IsOptional()
  @Matches(/^([A-Za-z0-9.-]+(:\d{1,5})?(,[A-Za-z0-9.-]+(:\d{1,5})?)*)?$/, {
    message: 'DOCUMENT_URL_HOSTS must be host or host:port entries separated by commas',
  })
  DOCUMENT_URL_HOSTS?: string;

  /** Largest document file, in bytes (uploads, URL documents, VBDLIS attachments); default 50 MiB (issue 13). */
  @IsInt()
  @Min(1)
  @Max(maxDocumentBytesCeiling)
  MAX_DOCUMENT_BYTES: number = 50 * 1024 * 1024;

  /** Most documents one dossier may list; default 30 (issue 13). */
  @IsInt()
  @Min(1)
  @Max(1_000)
  MAX_DOCUMENTS_PER_DOSSIER: number = 30;

  /**
   * Largest body of the VBDLIS compatibility route, whose attachments come base64-encoded inside the JSON (a third
   * larger than the files); every other route keeps 1 MB. Default 70 MiB: one 50 MiB scan with the dossier's fields.
   */
  @IsInt()
  @Min(1024 * 1024)
  @Max(1024 * 1024 * 1024)
  VBDLIS_MAX_BODY_BYTES: number = 70 * 1024 * 1024;

  /**
   * VBDLIS bodies over 1 MB received at the same time by one process (the memory budget of ADR 0007: about this many
   * times the body size plus its largest attachment); the next one is answered 503 with Retry-After.
   */
  @IsInt()
  @Min(1)
  @Max(64)
  VBDLIS_LARGE_BODIES: number = 2;

  /** How long fetching one document from its URL may take, connection to last byte. */
  @IsInt()
  @Min(100)
  @Max(120_000)
  DOCUMENT_FETCH_TIMEOUT_MS: number = 10_000;
}

/**
 * Whether webhook URLs may name a loopback host over http: only in development (LIENTHONG_ENV), where
 * WEBHOOK_ALLOW_PRIVATE_HOSTS=false can still switch it off; asking for it elsewhere stops the service.
 */
export function allowPrivateWebhookHosts(env: DossierIntakeEnv): boolean {
  const development = env.LIENTHONG_ENV === 'development';
  if (!development && env.WEBHOOK_ALLOW_PRIVATE_HOSTS === 'true') {
    throw new ConfigError(['WEBHOOK_ALLOW_PRIVATE_HOSTS=true is accepted only when LIENTHONG_ENV is development']);
  }
  return development && env.WEBHOOK_ALLOW_PRIVATE_HOSTS !== 'false';
}

/** DOCUMENT_URL_HOSTS as a set (lower case). */
export function documentUrlHosts(env: DossierIntakeEnv): Set<string> {
  return new Set(
    (env.DOCUMENT_URL_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** Parses RECEIVING_AGENCIES into a commune → agency id map. */
export function receivingAgencies(env: DossierIntakeEnv): Map<string, string> {
  return new Map(env.RECEIVING_AGENCIES.split(',').map((pair) => pair.split(':') as [string, string]));
}
