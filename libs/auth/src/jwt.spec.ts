import { generateKeyPairSync, createPublicKey, createHmac, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { issueDevelopmentToken, ensureDevelopmentKeys, DevelopmentIssuer } from './development-keys';
import { JwksKeySource, signJwt, StaticKeySource, TokenError, verifyJwt, type KeySource } from './jwt';
import { principalFromClaims, ServiceAudiences } from './principal';
import { parseTokenArgs } from './cli/token';

const options = {
  issuer: 'https://idp.example.vn',
  audience: ['dossier-intake'],
  now: () => new Date('2026-12-01T03:00:00Z'),
};
const now = Math.floor(options.now().getTime() / 1000);
const claims = {
  iss: options.issuer,
  aud: ['dossier-intake', 'notification'],
  sub: 'one-stop-khanh-hoa',
  kind: 'client',
  communes: ['22657'],
  iat: now - 60,
  exp: now + 600,
};

function pair(type: 'ed25519' | 'ec' | 'rsa'): { privateKey: KeyObject; pem: string; keys: KeySource } {
  const { privateKey, publicKey } =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ed25519');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, pem, keys: new StaticKeySource([pem]) };
}

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** A token with any header, signed as `alg` says (for headers the signer would never write). */
function signWith(header: Record<string, unknown>, body: object, key: KeyObject, digest: string | null): string {
  const input = `${b64(header)}.${b64(body)}`;
  const signature = sign(digest, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

const ed = pair('ed25519');
const reason = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof TokenError ? error.message : `unexpected ${String(error)}`),
  );

describe('JWT verification (jose)', () => {
  it.each(['ed25519', 'ec', 'rsa'] as const)('accepts a %s-signed token and returns its claims', async (type) => {
    const { privateKey, keys } = pair(type);
    await expect(verifyJwt(signJwt(claims, privateKey), keys, options)).resolves.toMatchObject({
      sub: 'one-stop-khanh-hoa',
    });
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [h, , s] = signJwt(claims, ed.privateKey).split('.');
    const forged = b64({ ...claims, communes: ['22657', '00004'] });
    expect(await reason(verifyJwt(`${h}.${forged}.${s}`, ed.keys, options))).toBe('the signature does not verify');
  });

  it('refuses a token signed by a key it does not trust', async () => {
    expect(await reason(verifyJwt(signJwt(claims, pair('ed25519').privateKey), ed.keys, options))).toBe(
      'the signature does not verify',
    );
  });

  it('refuses alg none and HMAC tokens, even an HMAC keyed with the public key', async () => {
    const payload = b64(claims);
    expect(await reason(verifyJwt(`${b64({ alg: 'none' })}.${payload}.`, ed.keys, options))).toBe(
      "the token's algorithm is not accepted",
    );
    const header = b64({ alg: 'HS256' });
    const mac = createHmac('sha256', ed.pem).update(`${header}.${payload}`).digest('base64url');
    expect(await reason(verifyJwt(`${header}.${payload}.${mac}`, ed.keys, options))).toBe(
      "the token's algorithm is not accepted",
    );
  });

  it('refuses ES384 and P-384 keys: ES256 means P-256 only', async () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const pem384 = p384.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => new StaticKeySource([pem384])).toThrow('must be on P-256');
    const es256 = pair('ec');
    expect(
      await reason(verifyJwt(signWith({ alg: 'ES384' }, claims, p384.privateKey, 'sha384'), es256.keys, options)),
    ).toBe("the token's algorithm is not accepted");
    // A P-384 signature presented as ES256 does not verify with the trusted P-256 key.
    expect(
      await reason(verifyJwt(signWith({ alg: 'ES256' }, claims, p384.privateKey, 'sha256'), es256.keys, options)),
    ).toBe('the signature does not verify');
  });

  it('refuses a token whose header names an algorithm of another key type', async () => {
    const [, p, s] = signJwt(claims, ed.privateKey).split('.');
    expect(await reason(verifyJwt(`${b64({ alg: 'RS256' })}.${p}.${s}`, ed.keys, options))).toBe(
      'no trusted key matches the token',
    );
  });

  it('refuses a token marking an extension critical, which it does not understand', async () => {
    const token = signWith({ alg: 'EdDSA', crit: ['x-tenant'], 'x-tenant': 'all' }, claims, ed.privateKey, null);
    expect(await reason(verifyJwt(token, ed.keys, options))).toBe(
      'the token uses an unsupported algorithm or extension',
    );
  });

  it.each([
    [{ iss: 'https://other.example' }, 'the token is from another issuer'],
    [{ aud: 'someone-else' }, 'the token is for another audience'],
    [{ aud: ['notification', 'registration-office'] }, 'the token is for another audience'],
    [{ exp: undefined }, 'the token has no expiry'],
    [{ exp: now - 31 }, 'the token has expired'],
    [{ nbf: now + 120 }, 'the token is not valid yet'],
    [{ iat: undefined }, 'the token has no valid issue time'],
    [{ iat: now - 86_401 - 30, exp: now + 600 }, 'the token is older than the maximum age'],
  ])('checks the registered claims: %j', async (change, expected) => {
    expect(await reason(verifyJwt(signJwt({ ...claims, ...change }, ed.privateKey), ed.keys, options))).toBe(expected);
  });

  it('applies the maximum token age given, whatever exp says', async () => {
    const token = signJwt({ ...claims, iat: now - 3_700, exp: now + 86_400 }, ed.privateKey);
    expect(await reason(verifyJwt(token, ed.keys, { ...options, maxTokenAgeSec: 3_600 }))).toBe(
      'the token is older than the maximum age',
    );
  });

  it('accepts an audience list containing one of ours and a clock difference within tolerance', async () => {
    const token = signJwt({ ...claims, aud: ['portal', 'lienthong'], exp: now - 10 }, ed.privateKey);
    await expect(
      verifyJwt(token, ed.keys, { ...options, audience: ['dossier-intake', 'lienthong'] }),
    ).resolves.toBeDefined();
  });

  it('refuses what is not a compact JWT', async () => {
    expect(await reason(verifyJwt('abc.def', ed.keys, options))).toBe('not a valid compact JWT');
    expect(await reason(verifyJwt('a b.c.d', ed.keys, options))).toBe('not a valid compact JWT');
  });
});

describe('JWKS key source', () => {
  let server: Server;
  let url: string;
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  beforeAll(async () => {
    const jwk = { ...createPublicKey(ec.privateKey).export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = createServer((_, response) =>
      response.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('is https only; plain http only to the local machine and only when allowed (development)', () => {
    expect(() => new JwksKeySource('http://idp.example.vn/jwks', { allowLoopbackHttp: true })).toThrow(
      'must use https',
    );
    expect(() => new JwksKeySource(url)).toThrow('must use https');
    expect(() => new JwksKeySource('https://idp.example.vn/jwks')).not.toThrow();
  });

  it('verifies with the key of the token kid fetched from the set', async () => {
    const keys = new JwksKeySource(url, { allowLoopbackHttp: true });
    const token = signJwt(claims, ec.privateKey, 'k1');
    await expect(verifyJwt(token, keys, options)).resolves.toMatchObject({ sub: 'one-stop-khanh-hoa' });
    expect(await reason(verifyJwt(signJwt(claims, pair('ec').privateKey, 'k2'), keys, options))).toBe(
      'no trusted key matches the token',
    );
  });
});

describe('principals from claims', () => {
  it('reads intake clients, LRO workers and platform operators', () => {
    expect(principalFromClaims(claims)).toEqual({
      kind: 'client',
      clientId: 'one-stop-khanh-hoa',
      communes: ['22657'],
    });
    expect(principalFromClaims({ sub: 'u1', kind: 'worker', branch: 'KH-01', roles: ['officer', 'approver'] })).toEqual(
      { kind: 'worker', userId: 'u1', branch: 'KH-01', roles: ['officer', 'approver'] },
    );
    expect(principalFromClaims({ sub: 'ops@province', kind: 'operator' })).toEqual({
      kind: 'operator',
      userId: 'ops@province',
    });
  });

  const badSub = 'sub must be 1-128 letters, digits or ._:@- starting with a letter or digit';
  it.each([
    [{ ...claims, sub: '' }, badSub],
    [{ ...claims, sub: 'a\nb' }, badSub],
    [{ ...claims, sub: '$where' }, badSub],
    [{ ...claims, sub: '../x' }, badSub],
    [{ ...claims, sub: 'x'.repeat(129) }, badSub],
    [{ ...claims, communes: '22657' }, 'communes must be a list of 5-digit commune codes'],
    [{ ...claims, communes: ['2265'] }, 'communes must be a list of 5-digit commune codes'],
    [{ sub: 'u1', kind: 'worker', roles: ['officer'] }, 'branch must be a branch code'],
    [
      { sub: 'u1', kind: 'worker', branch: 'KH-01', roles: ['admin'] },
      'roles must be a non-empty list of officer, approver, supervisor',
    ],
    [
      { sub: 'u1', kind: 'worker', branch: 'KH-01', roles: [] },
      'roles must be a non-empty list of officer, approver, supervisor',
    ],
    [{ sub: 'u1', kind: 'robot' }, 'kind must be one of client, worker, operator'],
  ])('refuses claims that describe no principal: %j', (input, invalid) => {
    expect(principalFromClaims(input)).toEqual({ invalid });
  });
});

describe('development tokens', () => {
  const env = { AUTH_DEV_KEY_DIR: mkdtempSync(path.join(tmpdir(), 'lt-auth-')) };

  it('are signed with one key pair per checkout that verifies them, for every service by default', async () => {
    const first = ensureDevelopmentKeys(env);
    expect(ensureDevelopmentKeys(env).publicKeyPem).toBe(first.publicKeyPem);
    const token = issueDevelopmentToken({ worker: 'u1', branch: 'KH-01', roles: ['supervisor'] }, { env });
    const verified = await verifyJwt(token, new StaticKeySource([first.publicKeyPem]), {
      issuer: DevelopmentIssuer,
      audience: ['registration-office'],
    });
    expect(verified['aud']).toEqual([...ServiceAudiences]);
    expect(principalFromClaims(verified)).toEqual({
      kind: 'worker',
      userId: 'u1',
      branch: 'KH-01',
      roles: ['supervisor'],
    });
    const narrow = issueDevelopmentToken({ operator: 'ops' }, { env, audience: ['population-matching'] });
    expect(
      await reason(
        verifyJwt(narrow, new StaticKeySource([first.publicKeyPem]), {
          issuer: DevelopmentIssuer,
          audience: 'notification',
        }),
      ),
    ).toBe('the token is for another audience');
  });

  it('are requested on the command line as a client, a worker or an operator, optionally for some services', () => {
    expect(parseTokenArgs(['--client', 'one-stop', '--communes', '22657,22651'])).toEqual({
      request: { client: 'one-stop', communes: ['22657', '22651'] },
    });
    expect(
      parseTokenArgs(['--worker', 'u1', '--branch', 'KH-01', '--roles', 'officer,approver', '--ttl', '60']),
    ).toEqual({
      request: { worker: 'u1', branch: 'KH-01', roles: ['officer', 'approver'] },
      ttlSec: 60,
    });
    expect(parseTokenArgs(['--operator', 'ops-1', '--audience', 'population-matching'])).toEqual({
      request: { operator: 'ops-1' },
      audience: ['population-matching'],
    });
    expect(() => parseTokenArgs(['--client', 'x', '--communes', 'abc'])).toThrow('--communes must list 5-digit');
    expect(() => parseTokenArgs(['--worker', 'u1', '--branch', 'B', '--roles', 'root'])).toThrow('--roles must list');
    expect(() => parseTokenArgs(['--worker', 'u1', '--roles', 'officer'])).toThrow('--branch is required');
    expect(() => parseTokenArgs(['--operator', 'bad sub'])).toThrow('--operator must be');
    expect(() => parseTokenArgs(['--operator', 'o', '--audience', 'everyone'])).toThrow('--audience must list');
    expect(() => parseTokenArgs([])).toThrow('usage:');
  });
});
