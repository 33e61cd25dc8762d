import { isIP } from 'node:net';
import { isForbiddenAddress, systemResolver, type Resolver } from '@lienthong/kernel';

/** Why a webhook target was refused before any connection was made. */
export class TargetRefusedError extends Error {
  constructor(
    /** `TARGET_FORBIDDEN` (address range), `TARGET_SCHEME`, `TARGET_CREDENTIALS`, `TARGET_UNRESOLVABLE`, `TARGET_INVALID`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

/** A target that passed the checks: connect to `address` (never resolve the name again: DNS rebinding). */
export interface ResolvedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** Whether an address is this machine (127.0.0.0/8 or ::1). */
function isLoopbackAddress(address: string): boolean {
  return address === '::1' || /^127\./.test(address);
}

/**
 * Checks a registered webhook URL before connecting (SSRF): https only, no credentials in the URL, and every address
 * the name resolves to must be public; when loopback targets are allowed (local development, where the receiver
 * sandbox listens on 127.0.0.1), a target whose every address is loopback may be reached, over http too. Private,
 * link-local and reserved ranges are refused whatever the setting. The WHATWG URL parser first turns decimal, hex, octal and shortened IPv4 forms
 * (`2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`) into dotted quads, so they are checked as what they mean.
 */
export class TargetGuard {
  constructor(
    private readonly allowLoopback: boolean,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  async check(rawUrl: string): Promise<ResolvedTarget> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new TargetRefusedError('TARGET_INVALID', 'the webhook URL is not a valid URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new TargetRefusedError('TARGET_SCHEME', `scheme ${url.protocol} is not allowed for webhooks`);
    }
    if (url.username || url.password) {
      throw new TargetRefusedError('TARGET_CREDENTIALS', 'the webhook URL must not carry credentials');
    }
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    let addresses: { address: string; family: number }[];
    if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
    else {
      try {
        addresses = await this.resolve(host);
      } catch {
        throw new TargetRefusedError('TARGET_UNRESOLVABLE', `host ${host} does not resolve`);
      }
    }
    if (addresses.length === 0) throw new TargetRefusedError('TARGET_UNRESOLVABLE', `host ${host} does not resolve`);
    // Every address must pass, not just the first: a name with one public and one internal address is refused.
    const loopback = this.allowLoopback && addresses.every((a) => isLoopbackAddress(a.address));
    if (!loopback && addresses.some((a) => isForbiddenAddress(a.address))) {
      throw new TargetRefusedError('TARGET_FORBIDDEN', `host ${host} is a private, loopback or reserved address`);
    }
    // Checked after the addresses, so an internal target is reported as such whatever its scheme.
    if (url.protocol === 'http:' && !loopback) {
      throw new TargetRefusedError('TARGET_SCHEME', 'webhooks must use https');
    }
    const chosen = addresses.find((a) => a.family === 4) ?? addresses[0]!;
    return { url, address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
  }
}
