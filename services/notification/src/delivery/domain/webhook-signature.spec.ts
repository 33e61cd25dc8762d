import { signWebhook, verifyWebhook } from './webhook-signature';

// The example of the Standard Webhooks specification (standard-webhooks/standard-webhooks, spec/standard-webhooks.md).
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const timestamp = 1614265330;
const body = '{"test": 2432232314}';

describe('signWebhook', () => {
  it('produces the specification example signature', () => {
    expect(signWebhook(secret, id, timestamp, body)).toEqual({
      'webhook-id': id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('verifies its own signature and refuses a tampered body, id or timestamp', () => {
    const headers = signWebhook(secret, id, timestamp, body);
    expect(verifyWebhook(secret, headers, body)).toBe(true);
    expect(verifyWebhook(secret, headers, body.replace('2432', '2433'))).toBe(false);
    expect(verifyWebhook(secret, { ...headers, 'webhook-id': 'msg_other' }, body)).toBe(false);
    expect(verifyWebhook(secret, { ...headers, 'webhook-timestamp': '1614265331' }, body)).toBe(false);
    expect(
      verifyWebhook(secret, { ...headers, 'webhook-signature': `v1,bogus ${headers['webhook-signature']}` }, body),
    ).toBe(true);
  });

  it('refuses a secret too short to be a key', () => {
    expect(() => signWebhook('whsec_AAAA', id, timestamp, body)).toThrow(/at least 16 bytes/);
  });
});
