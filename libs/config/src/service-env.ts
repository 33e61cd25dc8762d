import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsIP,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { toBoolean } from './to-boolean';

/**
 * The variables every service reads. A service's own env class extends this one and adds its own, so each service
 * still has exactly one class describing its whole environment. Names match docker-compose.yml and deploy/local.
 */
export class ServiceEnv {
  /** Address the HTTP server binds to; loopback by default so nothing is exposed by accident. */
  @IsIP()
  HOST: string = '127.0.0.1';

  /** Kafka bootstrap servers, comma-separated `host:port`. */
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' })
  KAFKA_BROKERS: string = '127.0.0.1:9092';

  /** MongoDB connection string without a database name; the service appends its own database. */
  @Matches(/^mongodb(\+srv)?:\/\/[^/]+\/?(\?.*)?$/, {
    message: 'MONGO_URL must be mongodb://host:port (no database path; each service uses its own database)',
  })
  MONGO_URL: string = 'mongodb://127.0.0.1:27017';

  /** Redis URL for queues and short-lived coordination; nothing durable lives there. */
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be redis://host:port' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  /** How long shutdown may take to finish in-flight work before the process exits anyway. */
  @IsInt()
  @Min(1000)
  @Max(120_000)
  SHUTDOWN_TIMEOUT_MS: number = 15_000;

  /** How long a readiness probe waits for each dependency before calling it down. */
  @IsInt()
  @Min(100)
  @Max(10_000)
  HEALTH_TIMEOUT_MS: number = 2_000;

  @IsIn(['debug', 'info', 'warn', 'error'])
  LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error' = 'info';

  /**
   * Deployment environment name, required with no default: a forgotten variable must not turn on the development
   * conveniences (the generated signing key and issuer, loopback webhook targets, plain-http document URLs), which
   * only the exact value `development` enables.
   */
  @Matches(/^[a-z][a-z0-9-]{1,30}$/, {
    message:
      'LIENTHONG_ENV is required: set it to development on a workstation, or to the deployment name (e.g. production), in lower case',
  })
  LIENTHONG_ENV!: string;

  /**
   * `iss` that bearer tokens must carry: the identity provider trusted for intake systems, LRO workers and
   * operators. The default, the development issuer, is refused outside development.
   */
  @IsString()
  @IsNotEmpty()
  AUTH_ISSUER: string = 'lienthong-development';

  /** The service's own `aud`; by default its name (ADR 0010). */
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{1,62}$/, { message: 'AUTH_AUDIENCE must be a service name such as dossier-intake' })
  AUTH_AUDIENCE?: string;

  /**
   * Whether tokens for the shared audience `lienthong` (before ADR 0010) are still accepted besides the service's
   * own: true during the migration, to be switched off once every issuer lists the services.
   */
  @Transform(toBoolean)
  @IsBoolean()
  AUTH_ACCEPT_SHARED_AUDIENCE: boolean = true;

  /** Oldest token accepted, by its `iat`, in seconds (whatever its `exp` says). */
  @IsInt()
  @Min(60)
  @Max(7 * 86_400)
  AUTH_MAX_TOKEN_AGE_SEC: number = 86_400;

  /**
   * The issuer's JSON Web Key Set (keys rotate by `kid`); https only, plain http to the local machine only in
   * development. One of AUTH_JWKS_URL and AUTH_PUBLIC_KEY_FILE is needed outside development.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  AUTH_JWKS_URL?: string;

  /**
   * Whether responses carry Strict-Transport-Security: only when the service is reached over TLS (behind a
   * terminating proxy), since browsers ignore it over http and it would pin a development host to https.
   */
  @Transform(toBoolean)
  @IsBoolean()
  HTTP_HSTS: boolean = false;

  /**
   * PEM file(s) of the issuer's public keys (SPKI; Ed25519, P-256 or RSA), comma-separated. In development, when
   * neither this nor AUTH_JWKS_URL is set, the key pair generated under `.cache/auth/` is trusted.
   */
  @IsOptional()
  @IsString()
  AUTH_PUBLIC_KEY_FILE?: string;
}
