import { ServiceEnv } from '@lienthong/config';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** Every environment variable population-matching reads. */
export class PopulationMatchingEnv extends ServiceEnv {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3003;

  /** Base URL of the National Population Database gateway (locally the sandbox, deploy/sandboxes/population-registry). */
  @Matches(/^https?:\/\/[^/\s]+$/, { message: 'REGISTRY_URL must be http(s)://host:port without a path' })
  REGISTRY_URL: string = 'http://127.0.0.1:3100';

  /** The registry's quota: requests allowed per REGISTRY_QUOTA_WINDOW_MS, shared by every process of this service. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  REGISTRY_QUOTA: number = 20;

  /**
   * The bulk campaign's share of the registry quota (its own lookup queue): keep REGISTRY_QUOTA + CAMPAIGN_QUOTA
   * within what the registry grants, or run campaigns when the service's share is not needed.
   */
  @IsInt()
  @Min(1)
  @Max(10_000)
  CAMPAIGN_QUOTA: number = 20;

  @IsInt()
  @Min(100)
  @Max(3_600_000)
  REGISTRY_QUOTA_WINDOW_MS: number = 1000;

  /** Extra spacing per request on top of window/quota, against jitter between the queue and the registry. */
  @IsInt()
  @Min(0)
  @Max(10_000)
  REGISTRY_RATE_GUARD_MS: number = 5;

  /** How long one registry request may take before it counts as a failure. */
  @IsInt()
  @Min(100)
  @Max(120_000)
  REGISTRY_TIMEOUT_MS: number = 5000;

  /** Integration id (MaTichHop) and public-service code (MaDVC) this system is registered under at the gateway. */
  @IsString()
  REGISTRY_INTEGRATION_ID: string = 'lienthong';

  @IsString()
  REGISTRY_SERVICE_CODE: string = 'lienthong-land';

  /** Concurrent lookups in one process (the global rate limit still applies). */
  @IsInt()
  @Min(1)
  @Max(64)
  LOOKUP_CONCURRENCY: number = 4;

  /** Consecutive failures that open the circuit breaker, how long it stays open first, and at most. */
  @IsInt()
  @Min(1)
  BREAKER_FAILURES: number = 3;

  @IsInt()
  @Min(100)
  BREAKER_OPEN_MS: number = 2000;

  @IsInt()
  @Min(100)
  BREAKER_MAX_OPEN_MS: number = 15_000;

  /** Pause of the lookup queue after a single registry failure (breaker still closed). */
  @IsInt()
  @Min(50)
  REGISTRY_RETRY_MS: number = 500;

  /** Verdict thresholds (domain/matching/person-match.ts): MATCHED from, MISMATCH below. */
  @IsNumber()
  @Min(0)
  @Max(1)
  MATCH_THRESHOLD: number = 0.9;

  @IsNumber()
  @Min(0)
  @Max(1)
  REVIEW_THRESHOLD: number = 0.6;

  /** A registry record marked deceased goes to review even when everything agrees. */
  @IsIn(['true', 'false'])
  DECEASED_NEEDS_REVIEW: 'true' | 'false' = 'true';

  /** Redis key prefix of the lookup queue (BullMQ `prefix`); tests use their own so they never share jobs. */
  @Matches(/^[a-z0-9-]{1,40}$/, { message: 'LOOKUP_QUEUE_PREFIX must be 1-40 of a-z, 0-9, -' })
  LOOKUP_QUEUE_PREFIX: string = 'bull';

  /** Run the lookup worker in this process. */
  @IsIn(['true', 'false'])
  LOOKUP_WORKER: 'true' | 'false' = 'true';

  /** Directory holding `contracts/reference-data` (birth-registration prefixes). */
  @IsString()
  REFERENCE_DATA_ROOT: string = '.';

  /**
   * Folder of the per-province deployment files (LRO branches and the communes whose land each serves), shared with
   * registration-office and dossier-intake: an officer sees and resolves only the reviews of dossiers whose land lies
   * in their branch's communes. Empty: the `contracts/reference-data/provinces` folder under REFERENCE_DATA_ROOT.
   */
  @IsOptional()
  @IsString()
  PROVINCE_DATA_DIR?: string;

  @IsInt()
  @Min(200)
  OUTBOX_SWEEP_INTERVAL_MS: number = 2_000;
}
