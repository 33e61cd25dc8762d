import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';

/** Why a token was refused; the message is safe to return to the caller (it never contains the token). */
export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

/**
 * The only signature algorithms accepted. `none`, HMAC (whose "key" a client could take from the public key) and
 * every other algorithm are refused before any key is looked at; ES256 keys must be on P-256 (RFC 7518 §3.4), RSA
 * keys at least 2048 bits (jose enforces both).
 */
export const AcceptedAlgorithms = ['EdDSA', 'ES256', 'RS256'] as const;
export type JwtAlgorithm = (typeof AcceptedAlgorithms)[number];

/** Where verification keys come from: static PEM files or an issuer's JWKS document. */
export interface KeySource {
  /** The jose key resolver: picks the key(s) by the token header's `alg` and `kid`. */
  readonly resolve: JWTVerifyGetKey;
}

export interface VerifyOptions {
  issuer: string;
  /** The audiences of which the token's `aud` must name at least one (the service's own, and during migration the shared one). */
  audience: string | readonly string[];
  /** Maximum age of a token from its `iat` (which is then required), in seconds; 24 hours by default. */
  maxTokenAgeSec?: number;
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

/**
 * Signs `claims` as a compact JWS with the algorithm that fits the private key (Ed25519, P-256 or RSA). Used for
 * development tokens and tests; production tokens come from the identity provider.
 */
export function signJwt(claims: Record<string, unknown>, privateKey: KeyObject, kid?: string): string {
  const alg = algorithmOf(privateKey);
  const header = b64url(JSON.stringify({ alg, typ: 'JWT', ...(kid ? { kid } : {}) }));
  const payload = b64url(JSON.stringify(claims));
  const signature = sign(alg === 'EdDSA' ? null : 'sha256', Buffer.from(`${header}.${payload}`), {
    key: privateKey,
    dsaEncoding: alg === 'ES256' ? 'ieee-p1363' : undefined,
  });
  return `${header}.${payload}.${b64url(signature)}`;
}

/** jose's refusals in words a client can act on (never echoing the token). */
function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) {
    return error.claim === 'iat' ? 'the token is older than the maximum age' : 'the token has expired';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const reasons: Record<string, string> = {
      iss: 'the token is from another issuer',
      aud: 'the token is for another audience',
      exp: 'the token has no expiry',
      nbf: 'the token is not valid yet',
      iat: 'the token has no valid issue time',
    };
    if (error.claim === 'exp' && error.reason === 'missing') return reasons['exp']!;
    if (error.claim === 'nbf') return reasons['nbf']!;
    return reasons[error.claim] ?? `the token's ${error.claim} claim is invalid`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token's algorithm is not accepted";
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no trusted key matches the token';
  if (error instanceof errors.JWKSTimeout) return "the issuer's keys could not be fetched";
  if (error instanceof errors.JOSENotSupported) return 'the token uses an unsupported algorithm or extension';
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) return 'not a valid compact JWT';
  if (error instanceof errors.JOSEError) return 'the token is invalid';
  if (error instanceof TypeError) return 'the token does not fit any trusted key';
  throw error;
}

/**
 * Verifies a compact JWS with jose: the algorithm is one of AcceptedAlgorithms (`alg` in the header is checked
 * against the list and against the key), unknown `crit` extensions are refused, the signature verifies with a key of
 * the source, `iss` is the configured issuer, `aud` names one of the accepted audiences, and the token is within
 * `nbf`..`exp` (both `exp` and `iat` required) and no older than the maximum age. Returns the claims.
 */
export async function verifyJwt(
  token: string,
  keys: KeySource,
  options: VerifyOptions,
): Promise<Record<string, unknown>> {
  try {
    const { payload } = await jwtVerify(token, keys.resolve, {
      algorithms: [...AcceptedAlgorithms],
      issuer: options.issuer,
      audience: typeof options.audience === 'string' ? options.audience : [...options.audience],
      maxTokenAge: options.maxTokenAgeSec ?? 86_400,
      clockTolerance: options.clockToleranceSec ?? 30,
      requiredClaims: ['exp', 'iat'],
      currentDate: options.now?.(),
      // No extension is understood: a token marking any header parameter critical is refused (RFC 7515 §4.1.11).
      crit: {},
    });
    return payload;
  } catch (error) {
    throw new TokenError(reasonOf(error));
  }
}

/** A JWK of a public key with the one algorithm it may be used with; refuses keys outside the accepted kinds. */
function publicJwk(key: KeyObject, kid?: string): JWK {
  const alg = algorithmOf(key);
  if (alg === 'ES256' && key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new TokenError(`an EC verification key must be on P-256, not ${key.asymmetricKeyDetails?.namedCurve}`);
  }
  if (alg === 'RS256' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new TokenError('an RSA verification key must have at least 2048 bits');
  }
  return { ...(key.export({ format: 'jwk' }) as JWK), alg, use: 'sig', ...(kid ? { kid } : {}) };
}

/** Keys given as PEM (SPKI) texts, e.g. read from AUTH_PUBLIC_KEY_FILE; each is bound to its one algorithm. */
export class StaticKeySource implements KeySource {
  readonly resolve: JWTVerifyGetKey;

  constructor(pems: readonly string[]) {
    const set: JSONWebKeySet = { keys: pems.map((pem) => publicJwk(createPublicKey(pem))) };
    const local = createLocalJWKSet(set);
    // PEM files carry no key id: a token's `kid` cannot select among them, so every key of its algorithm is tried.
    this.resolve = (header, token) => local({ ...header, kid: undefined }, token);
  }
}

/** Whether a URL's host is the local machine (`localhost`, 127.0.0.0/8 or ::1). */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * An issuer's JSON Web Key Set, fetched by jose and cached; an unknown `kid` (key rotation) refetches it, at most
 * once per cooldown. Only https, except plain http to the local machine when `allowLoopbackHttp` (development).
 */
export class JwksKeySource implements KeySource {
  readonly resolve: JWTVerifyGetKey;

  constructor(
    url: string,
    options: { allowLoopbackHttp?: boolean; cacheMs?: number; minRefetchMs?: number; timeoutMs?: number } = {},
  ) {
    const parsed = new URL(url);
    const plainAllowed = options.allowLoopbackHttp === true && isLoopbackUrl(parsed);
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && plainAllowed)) {
      throw new TokenError('the JWKS URL must use https (plain http only to the local machine in development)');
    }
    this.resolve = createRemoteJWKSet(parsed, {
      cacheMaxAge: options.cacheMs ?? 600_000,
      cooldownDuration: options.minRefetchMs ?? 30_000,
      timeoutDuration: options.timeoutMs ?? 5_000,
    });
  }
}
