import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** Why a token was refused; the message is safe to return to the caller (it never contains the token). */
export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

/** Signature algorithms accepted, each bound to one key type so a key can never be used with another algorithm. */
const algorithms = {
  EdDSA: { keyType: 'ed25519', digest: null, dsaEncoding: undefined },
  ES256: { keyType: 'ec', digest: 'sha256', dsaEncoding: 'ieee-p1363' },
  RS256: { keyType: 'rsa', digest: 'sha256', dsaEncoding: undefined },
} as const;
export type JwtAlgorithm = keyof typeof algorithms;

/** A verification key with its JWK `kid`, when it has one. */
export interface VerificationKey {
  kid?: string;
  key: KeyObject;
}

/** Where verification keys come from: static PEM files or an issuer's JWKS document. */
export interface KeySource {
  /** The keys that may have signed a token with this `kid` (all keys when the token names none). */
  keysFor(kid: string | undefined): Promise<VerificationKey[]>;
}

export interface VerifyOptions {
  issuer: string;
  audience: string;
  /** Tolerated clock difference with the issuer, in seconds. */
  clockToleranceSec?: number;
  now?: () => Date;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function algorithmOf(key: KeyObject): JwtAlgorithm {
  const type = key.asymmetricKeyType;
  if (type === 'ed25519') return 'EdDSA';
  if (type === 'ec') return 'ES256';
  if (type === 'rsa') return 'RS256';
  throw new TokenError(`unsupported key type ${type ?? 'unknown'}`);
}

/** Signs `claims` as a compact JWS with the algorithm that fits the private key (Ed25519, P-256 or RSA). */
export function signJwt(claims: Record<string, unknown>, privateKey: KeyObject, kid?: string): string {
  const alg = algorithmOf(privateKey);
  const header = b64url(JSON.stringify({ alg, typ: 'JWT', ...(kid ? { kid } : {}) }));
  const payload = b64url(JSON.stringify(claims));
  const { digest, dsaEncoding } = algorithms[alg];
  const signature = sign(digest, Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding });
  return `${header}.${payload}.${b64url(signature)}`;
}

function parsePart(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new TokenError(`the token's ${what} is not a JSON object`);
}

/**
 * Verifies a compact JWS: the algorithm is one of EdDSA, ES256, RS256 and matches the key's type (`none` and HMAC
 * are refused), the signature verifies with a key of the source, `iss` and `aud` are the configured ones, and the
 * token is within `nbf`..`exp` (which is required). Returns the claims.
 */
export async function verifyJwt(
  token: string,
  keys: KeySource,
  options: VerifyOptions,
): Promise<Record<string, unknown>> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) throw new TokenError('not a compact JWT');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = parsePart(headerPart, 'header');
  const alg = header['alg'];
  if (typeof alg !== 'string' || !Object.hasOwn(algorithms, alg)) {
    throw new TokenError(`algorithm ${String(alg)} is not accepted`);
  }
  const { keyType, digest, dsaEncoding } = algorithms[alg as JwtAlgorithm];
  const kid = typeof header['kid'] === 'string' ? header['kid'] : undefined;
  const candidates = (await keys.keysFor(kid)).filter((k) => k.key.asymmetricKeyType === keyType);
  if (candidates.length === 0) throw new TokenError(`no ${alg} key${kid ? ` with kid ${kid}` : ''} is trusted`);
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  if (!candidates.some(({ key }) => verify(digest, signed, { key, dsaEncoding }, signature))) {
    throw new TokenError('the signature does not verify');
  }

  const claims = parsePart(payloadPart, 'payload');
  const now = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  const tolerance = options.clockToleranceSec ?? 30;
  if (claims['iss'] !== options.issuer) throw new TokenError('the token is from another issuer');
  const aud = claims['aud'];
  if (!(aud === options.audience || (Array.isArray(aud) && aud.includes(options.audience)))) {
    throw new TokenError('the token is for another audience');
  }
  if (typeof claims['exp'] !== 'number') throw new TokenError('the token has no expiry');
  if (now - tolerance >= claims['exp']) throw new TokenError('the token has expired');
  if (typeof claims['nbf'] === 'number' && now + tolerance < claims['nbf'])
    throw new TokenError('the token is not valid yet');
  return claims;
}

/** Keys given as PEM (SPKI) texts, e.g. read from AUTH_PUBLIC_KEY_FILE. */
export class StaticKeySource implements KeySource {
  private readonly keys: VerificationKey[];

  constructor(pems: readonly string[]) {
    this.keys = pems.map((pem) => ({ key: createPublicKey(pem) }));
  }

  keysFor(): Promise<VerificationKey[]> {
    return Promise.resolve(this.keys);
  }
}

/**
 * An issuer's JSON Web Key Set, fetched over HTTP(S) and cached; an unknown `kid` (key rotation) refetches it, at
 * most once per `minRefetchMs`. A fetch that fails keeps the keys already known.
 */
export class JwksKeySource implements KeySource {
  private keys: VerificationKey[] = [];
  private fetchedAt = 0;
  private inFlight?: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly options: { cacheMs?: number; minRefetchMs?: number; timeoutMs?: number } = {},
  ) {}

  async keysFor(kid: string | undefined): Promise<VerificationKey[]> {
    const age = Date.now() - this.fetchedAt;
    const known = this.keys.some((k) => kid === undefined || k.kid === kid);
    if (age > (this.options.cacheMs ?? 600_000) || (!known && age > (this.options.minRefetchMs ?? 30_000))) {
      await (this.inFlight ??= this.refresh().finally(() => (this.inFlight = undefined)));
    }
    return this.keys.filter((k) => kid === undefined || k.kid === undefined || k.kid === kid);
  }

  private async refresh(): Promise<void> {
    this.fetchedAt = Date.now();
    try {
      const response = await fetch(this.url, {
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
      if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
      const body = (await response.json()) as { keys?: (Record<string, unknown> & { kid?: string; use?: string })[] };
      this.keys = (body.keys ?? [])
        .filter((jwk) => jwk.use === undefined || jwk.use === 'sig')
        .flatMap((jwk) => {
          try {
            return [{ kid: jwk.kid, key: createPublicKey({ key: jwk, format: 'jwk' }) }];
          } catch {
            return []; // a key type this runtime cannot read is simply not trusted
          }
        });
    } catch {
      // Keep what we had: a passing outage of the issuer must not lock every client out.
    }
  }
}
