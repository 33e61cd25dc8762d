import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of a signed webhook (Standard Webhooks 1.0). */
export interface WebhookSignatureHeaders {
  'webhook-id': string;
  /** Unix seconds. */
  'webhook-timestamp': string;
  /** Space-separated `v1,<base64 HMAC-SHA256>` signatures. */
  'webhook-signature': string;
}

/** The key bytes of a `whsec_<base64>` secret. */
export function webhookKey(secret: string): Buffer {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 16) throw new Error('webhook secret must hold at least 16 bytes of key');
  return key;
}

/**
 * Signs `body` as Standard Webhooks specifies: HMAC-SHA256 with the secret's key over `<id>.<timestamp>.<body>`,
 * base64, prefixed `v1,`. The id stays the same across retries (receivers deduplicate by it); the timestamp is the
 * attempt's, so receivers can refuse replays of old messages.
 */
export function signWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): WebhookSignatureHeaders {
  const signature = createHmac('sha256', webhookKey(secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': `v1,${signature}` };
}

/** True when one of the `v1` signatures matches (used by the sandbox receiver; tests verify independently). */
export function verifyWebhook(secret: string, headers: WebhookSignatureHeaders, body: string): boolean {
  const expected = signWebhook(secret, headers['webhook-id'], Number(headers['webhook-timestamp']), body)[
    'webhook-signature'
  ].slice(3);
  return headers['webhook-signature'].split(' ').some((candidate) => {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const a = Buffer.from(value);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  });
}
