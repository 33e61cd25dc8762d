/**
 * An intake system's webhook subscription: where notification sends the status changes of its dossiers and the
 * Standard Webhooks secret it signs them with (architecture §7). Pure TypeScript.
 */
import type { FieldError } from '@lienthong/kernel';

export interface WebhookSubscription {
  clientId: string;
  url: string;
  /** `whsec_` + base64 of the key bytes. */
  secret: string;
  subscribedAt: string;
}

/** Standard Webhooks secret: `whsec_` and base64 of 24–64 bytes. */
export const webhookSecretPattern = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

/** Whether a host name or address is loopback, private, link-local or otherwise not a public internet host. */
export function isPrivateHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal')) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (h.includes(':')) {
    return (
      h === '::1' ||
      h === '::' ||
      h.startsWith('fc') ||
      h.startsWith('fd') ||
      h.startsWith('fe80') ||
      h.startsWith('::ffff:')
    );
  }
  return false;
}

/** Whether a host name is this machine: `localhost`, 127.0.0.0/8 or ::1. */
function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Checks a callback URL: absolute `https` on a public host; `http` on a loopback host only when the deployment
 * allows it (development, where the intake system's receiver runs on 127.0.0.1). Private, link-local and internal
 * hosts are refused whatever the setting. Returns the problems; empty when acceptable.
 */
export function webhookUrlProblems(url: string, allowLoopback: boolean): FieldError[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [{ field: 'url', code: 'INVALID_URL', message: 'url must be an absolute URL' }];
  }
  const problems: FieldError[] = [];
  if (parsed.username || parsed.password) {
    problems.push({ field: 'url', code: 'CREDENTIALS_IN_URL', message: 'url must not carry credentials' });
  }
  if (parsed.hash) problems.push({ field: 'url', code: 'FRAGMENT_IN_URL', message: 'url must not have a fragment' });
  const loopbackAllowed = allowLoopback && isLoopbackHost(parsed.hostname);
  const privateHost = isPrivateHost(parsed.hostname);
  if (privateHost && !loopbackAllowed) {
    problems.push({
      field: 'url',
      code: 'PRIVATE_HOST',
      message: 'url must name a public host (loopback and private addresses are refused)',
    });
  }
  if (parsed.protocol === 'http:') {
    if (!loopbackAllowed) {
      problems.push({ field: 'url', code: 'HTTPS_REQUIRED', message: 'url must use https' });
    }
  } else if (parsed.protocol !== 'https:') {
    problems.push({ field: 'url', code: 'HTTPS_REQUIRED', message: 'url must use https' });
  }
  return problems;
}
