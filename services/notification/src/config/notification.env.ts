import { ConfigError, ServiceEnv } from '@lienthong/config';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsInt, IsString, IsUrl, Matches, Max, Min } from 'class-validator';

// The raw string, not the implicitly converted value (Boolean('false') is true).
const toBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }): unknown => {
  const raw = obj[key];
  return raw === 'true' || raw === true ? true : raw === 'false' || raw === false ? false : raw;
};

/** Every environment variable notification reads. */
export class NotificationEnv extends ServiceEnv {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3004;

  /**
   * SMS providers in the order they are tried, `name=url` pairs separated by commas: an attempt that the first cannot
   * take (error, timeout) goes to the next. Defaults to the two providers of the local sms-gateway sandbox.
   */
  @IsString()
  @Matches(/^[a-z0-9-]+=https?:\/\/[^,\s]+(,[a-z0-9-]+=https?:\/\/[^,\s]+)*$/, {
    message: 'SMS_PROVIDERS must be name=url[,name=url...]',
  })
  SMS_PROVIDERS: string =
    'primary=http://127.0.0.1:3101/providers/primary/messages,secondary=http://127.0.0.1:3101/providers/secondary/messages';

  /** Zalo ZNS "send template message" endpoint. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  ZALO_ZNS_URL: string = 'http://127.0.0.1:3102/message/template';

  /** Zalo Official Account access token (the sandbox accepts any). */
  @IsString()
  ZALO_ACCESS_TOKEN: string = 'development-zns-token';

  @IsString()
  SMTP_HOST: string = '127.0.0.1';

  @IsInt()
  @Min(1)
  @Max(65535)
  SMTP_PORT: number = 3103;

  /** Sender address of citizen e-mails. */
  @IsEmail({ require_tld: false })
  MAIL_FROM: string = 'thongbao@lienthong.local';

  /** Bound on one provider call (SMS, Zalo, SMTP) and on one webhook request, in ms. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  PROVIDER_TIMEOUT_MS: number = 5_000;

  /**
   * Lets webhooks reach loopback addresses, over plain http too. For local development only (the
   * intake-webhook-receiver sandbox is on loopback); refused outside `LIENTHONG_ENV=development`.
   */
  @Transform(toBoolean)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_TARGETS: boolean = false;

  /** BullMQ queue of deliveries (`<service>.<work>`, no `:`); a test run may use its own. */
  @Matches(/^[a-z0-9.-]{1,100}$/, { message: 'DELIVERY_QUEUE must be lowercase letters, digits, dots and dashes' })
  DELIVERY_QUEUE: string = 'notification.deliveries';

  /** Attempts per delivery before it is given up (first try included). */
  @IsInt()
  @Min(1)
  @Max(30)
  DELIVERY_ATTEMPTS: number = 8;

  /** Backoff before the second attempt, doubled at each further one (2 s … about 4 min for 8 attempts). */
  @IsInt()
  @Min(10)
  DELIVERY_BACKOFF_MS: number = 2_000;

  /** Deliveries sent at once by this process. */
  @IsInt()
  @Min(1)
  @Max(200)
  DELIVERY_CONCURRENCY: number = 16;

  /**
   * How long a worker owns a delivery it started; after a crash another worker takes it over once this has passed
   * (BullMQ's lock duration; the stalled check runs at the same interval).
   */
  @IsInt()
  @Min(1_000)
  DELIVERY_LOCK_MS: number = 30_000;

  /**
   * How often unsettled deliveries of the last DELIVERY_RECONCILE_WINDOW_MS are queued again from the database
   * (after a Redis loss); 0 turns it off. Existing jobs make it a no-op.
   */
  @IsInt()
  @Min(0)
  DELIVERY_RECONCILE_INTERVAL_MS: number = 600_000;

  @IsInt()
  @Min(60_000)
  DELIVERY_RECONCILE_WINDOW_MS: number = 86_400_000;

  /** How often leftover `delivery.*` events are re-published (after a crash or a broker outage). */
  @IsInt()
  @Min(200)
  OUTBOX_SWEEP_INTERVAL_MS: number = 2_000;
}

/** Parses SMS_PROVIDERS into the ordered list of providers. */
export function smsProviders(env: NotificationEnv): { name: string; url: string }[] {
  return env.SMS_PROVIDERS.split(',').map((pair) => {
    const at = pair.indexOf('=');
    return { name: pair.slice(0, at), url: pair.slice(at + 1) };
  });
}

/**
 * Whether webhooks may reach loopback targets (WEBHOOK_ALLOW_PRIVATE_TARGETS): a development convenience for the
 * receiver sandbox; other private ranges are never reachable (TargetGuard), and asking for it outside
 * `LIENTHONG_ENV=development` stops the service.
 */
export function allowLoopbackWebhookTargets(env: NotificationEnv): boolean {
  if (env.WEBHOOK_ALLOW_PRIVATE_TARGETS && env.LIENTHONG_ENV !== 'development') {
    throw new ConfigError(['WEBHOOK_ALLOW_PRIVATE_TARGETS=true is accepted only when LIENTHONG_ENV is development']);
  }
  return env.WEBHOOK_ALLOW_PRIVATE_TARGETS;
}
