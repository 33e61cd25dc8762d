import { generateKeyPairSync, createPublicKey, createHmac, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { issueDevelopmentToken, ensureDevelopmentKeys, DevelopmentIssuer, DefaultAudience } from './development-keys';
import { signJwt, StaticKeySource, TokenError, verifyJwt, type KeySource } from './jwt';
import { principalFromClaims } from './principal';
import { parseTokenArgs } from './cli/token';

const options = {
  issuer: 'https://idp.example.vn',
  audience: 'lienthong',
  now: () => new Date('2026-12-01T03:00:00Z'),
};
const now = Math.floor(options.now().getTime() / 1000);
const claims = {
  iss: options.issuer,
  aud: 'lienthong',
  sub: 'one-stop-khanh-hoa',
  kind: 'client',
  communes: ['22657'],
  exp: now + 600,
};

function pair(type: 'ed25519' | 'ec' | 'rsa'): { privateKey: KeyObject; keys: KeySource } {
  const { privateKey, publicKey } =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ed25519');
  return { privateKey, keys: new StaticKeySource([publicKey.export({ type: 'spki', format: 'pem' }).toString()]) };
}

const ed = pair('ed25519');
const reason = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof TokenError ? error.message : `unexpected ${String(error)}`),
  );

describe('JWT verification', () => {
  it.each(['ed25519', 'ec', 'rsa'] as const)('accepts a %s-signed token and returns its claims', async (type) => {
    const { privateKey, keys } = pair(type);
    await expect(verifyJwt(signJwt(claims, privateKey), keys, options)).resolves.toMatchObject({
      sub: 'one-stop-khanh-hoa',
    });
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [h, , s] = signJwt(claims, ed.privateKey).split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, communes: ['22657', '00004'] })).toString('base64url');
    expect(await reason(verifyJwt(`${h}.${forged}.${s}`, ed.keys, options))).toBe('the signature does not verify');
  });

  it('refuses a token signed by a key it does not trust', async () => {
    expect(await reason(verifyJwt(signJwt(claims, pair('ed25519').privateKey), ed.keys, options))).toBe(
      'the signature does not verify',
    );
  });

  it('refuses alg none and HMAC tokens, even an HMAC keyed with the public key', async () => {
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const payload = b64(claims);
    expect(await reason(verifyJwt(`${b64({ alg: 'none' })}.${payload}.`, ed.keys, options))).toBe(
      'algorithm none is not accepted',
    );
    const pem = createPublicKey(ed.privateKey).export({ type: 'spki', format: 'pem' }).toString();
    const header = b64({ alg: 'HS256' });
    const mac = createHmac('sha256', pem).update(`${header}.${payload}`).digest('base64url');
    expect(await reason(verifyJwt(`${header}.${payload}.${mac}`, ed.keys, options))).toBe(
      'algorithm HS256 is not accepted',
    );
  });

  it('refuses a token whose header names an algorithm of another key type', async () => {
    const [, p, s] = signJwt(claims, ed.privateKey).split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'RS256' })).toString('base64url');
    expect(await reason(verifyJwt(`${header}.${p}.${s}`, ed.keys, options))).toBe('no RS256 key is trusted');
  });

  it.each([
    [{ iss: 'https://other.example' }, 'the token is from another issuer'],
    [{ aud: 'someone-else' }, 'the token is for another audience'],
    [{ exp: undefined }, 'the token has no expiry'],
    [{ exp: now - 31 }, 'the token has expired'],
    [{ nbf: now + 120 }, 'the token is not valid yet'],
  ])('checks the registered claims: %j', async (change, expected) => {
    expect(await reason(verifyJwt(signJwt({ ...claims, ...change }, ed.privateKey), ed.keys, options))).toBe(expected);
  });

  it('accepts an audience list containing ours and a clock difference within tolerance', async () => {
    const token = signJwt({ ...claims, aud: ['portal', 'lienthong'], exp: now - 10 }, ed.privateKey);
    await expect(verifyJwt(token, ed.keys, options)).resolves.toBeDefined();
  });

  it('refuses what is not a compact JWT', async () => {
    expect(await reason(verifyJwt('abc.def', ed.keys, options))).toBe('not a compact JWT');
    expect(await reason(verifyJwt('a b.c.d', ed.keys, options))).toBe('not a compact JWT');
    expect(await reason(verifyJwt('e30.bm90IGpzb24.', ed.keys, options))).toBe('algorithm undefined is not accepted');
  });
});

describe('principals from claims', () => {
  it('reads intake clients and LRO workers', () => {
    expect(principalFromClaims(claims)).toEqual({
      kind: 'client',
      clientId: 'one-stop-khanh-hoa',
      communes: ['22657'],
    });
    expect(principalFromClaims({ sub: 'u1', kind: 'worker', branch: 'KH-01', roles: ['officer', 'approver'] })).toEqual(
      {
        kind: 'worker',
        userId: 'u1',
        branch: 'KH-01',
        roles: ['officer', 'approver'],
      },
    );
  });

  it.each([
    [{ ...claims, sub: '' }, 'sub must be a string'],
    [{ ...claims, communes: '22657' }, 'communes must be a list of 5-digit commune codes'],
    [{ ...claims, communes: ['2265'] }, 'communes must be a list of 5-digit commune codes'],
    [{ sub: 'u1', kind: 'worker', roles: ['officer'] }, 'branch must be a string'],
    [
      { sub: 'u1', kind: 'worker', branch: 'KH-01', roles: ['admin'] },
      'roles must be a list of officer, approver, supervisor',
    ],
    [{ sub: 'u1', kind: 'robot' }, 'kind must be client or worker'],
  ])('refuses claims that describe no principal: %j', (input, invalid) => {
    expect(principalFromClaims(input)).toEqual({ invalid });
  });
});

describe('development tokens', () => {
  const env = { AUTH_DEV_KEY_DIR: mkdtempSync(path.join(tmpdir(), 'lt-auth-')) };

  it('are signed with one key pair per checkout that verifies them', async () => {
    const first = ensureDevelopmentKeys(env);
    expect(ensureDevelopmentKeys(env).publicKeyPem).toBe(first.publicKeyPem);
    const token = issueDevelopmentToken({ worker: 'u1', branch: 'KH-01', roles: ['supervisor'] }, { env });
    const verified = await verifyJwt(token, new StaticKeySource([first.publicKeyPem]), {
      issuer: DevelopmentIssuer,
      audience: DefaultAudience,
    });
    expect(principalFromClaims(verified)).toEqual({
      kind: 'worker',
      userId: 'u1',
      branch: 'KH-01',
      roles: ['supervisor'],
    });
  });

  it('are requested on the command line as a client with communes or a worker with branch and roles', () => {
    expect(parseTokenArgs(['--client', 'one-stop', '--communes', '22657,22651'])).toEqual({
      request: { client: 'one-stop', communes: ['22657', '22651'] },
    });
    expect(
      parseTokenArgs(['--worker', 'u1', '--branch', 'KH-01', '--roles', 'officer,approver', '--ttl', '60']),
    ).toEqual({
      request: { worker: 'u1', branch: 'KH-01', roles: ['officer', 'approver'] },
      ttlSec: 60,
    });
    expect(() => parseTokenArgs(['--client', 'x', '--communes', 'abc'])).toThrow('--communes must list 5-digit');
    expect(() => parseTokenArgs(['--worker', 'u1', '--branch', 'B', '--roles', 'root'])).toThrow('--roles must list');
    expect(() => parseTokenArgs(['--worker', 'u1', '--roles', 'officer'])).toThrow('--branch is required');
    expect(() => parseTokenArgs([])).toThrow('usage:');
  });
});
