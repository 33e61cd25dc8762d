import { ServiceEnv } from '@lienthong/config';
import { WithFileStoreSettings } from '@lienthong/file-store';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/**
 * Every environment variable registration-office reads; the document store's (FILE_STORE, S3_*) are the same as
 * dossier-intake's, since both read the same files.
 */
export class RegistrationOfficeEnv extends WithFileStoreSettings(ServiceEnv) {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3002;

  /**
   * Directory holding contracts/reference-data (procedure catalogue, calendars, communes): the repository root
   * locally, the image's /app in a container. Relative paths start at the working directory.
   */
  @IsString()
  REFERENCE_DATA_ROOT: string = '.';

  /**
   * Folder of the per-province deployment files (`<provinceCode>.v1.json`: LRO branches and the communes whose
   * land each serves, office hours, remote communes), shared with dossier-intake. Empty: the
   * `contracts/reference-data/provinces` folder under REFERENCE_DATA_ROOT. Relative paths start at the working
   * directory.
   */
  @IsOptional()
  @IsString()
  PROVINCE_DATA_DIR?: string;

  /** Largest result file (e.g. a certificate scan) a worker may upload to a case, in bytes; 50 MB by default. */
  @IsInt()
  @Min(1)
  @Max(1024 * 1024 * 1024)
  ATTACHMENT_MAX_BYTES: number = 50 * 1024 * 1024;

  /** How long a claim lasts before the case goes back to the pool, in minutes. */
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  CLAIM_LEASE_MINUTES: number = 120;

  /** A case is due soon when at most this many working hours are left (fires `case.due-soon` once). */
  @IsInt()
  @Min(1)
  @Max(240)
  DUE_SOON_WORKING_HOURS: number = 8;

  /** Working days between finding a case late and the new appointment of its apology letter (form 04). */
  @IsInt()
  @Min(1)
  @Max(60)
  APOLOGY_EXTENSION_WORKING_DAYS: number = 3;

  /** How often the clock watch looks for cases due soon or overdue. */
  @IsInt()
  @Min(200)
  CLOCK_WATCH_INTERVAL_MS: number = 60_000;

  /** How often leftover outbox events are re-published (after a crash or a broker outage). */
  @IsInt()
  @Min(200)
  OUTBOX_SWEEP_INTERVAL_MS: number = 2_000;
}
