import { generateKeyPairSync, createPrivateKey, createPublicKey, createHash, type KeyObject } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { signJwt } from './jwt';
import { ServiceAudiences, type WorkerRole } from './principal';

/** Issuer of development tokens, the services' AUTH_ISSUER in development; refused in any other environment. */
export const DevelopmentIssuer = 'lienthong-development';

/** The local signing key pair: generated once per checkout under `.cache/auth/`, never committed. */
export interface DevelopmentKeys {
  privateKey: KeyObject;
  publicKeyPem: string;
  /** JWK thumbprint-like id of the public key (SHA-256 of its SPKI, base64url, 16 characters). */
  kid: string;
}

/** Where the development key pair lives: AUTH_DEV_KEY_DIR, else `$LT_CACHE/auth`, else `./.cache/auth`. */
export function developmentKeyDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['AUTH_DEV_KEY_DIR'] ?? path.join(env['LT_CACHE'] ?? path.resolve('.cache'), 'auth');
}

/** Path of the development public key, the file the services trust when no issuer is configured. */
export function developmentPublicKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(developmentKeyDir(env), 'development-signing-key.pub.pem');
}

/**
 * Returns the development key pair, creating it on first use. Creation is atomic (written aside, then hard-linked
 * into place), so services and the token command starting at the same moment all end up with the same pair.
 */
export function ensureDevelopmentKeys(env: NodeJS.ProcessEnv = process.env): DevelopmentKeys {
  const dir = developmentKeyDir(env);
  const privateFile = path.join(dir, 'development-signing-key.pem');
  const publicFile = developmentPublicKeyFile(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let privatePem: string;
  try {
    privatePem = readFileSync(privateFile, 'utf8');
  } catch {
    const { privateKey } = generateKeyPairSync('ed25519');
    const aside = `${privateFile}.${process.pid}.${Date.now()}`;
    writeFileSync(aside, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    try {
      linkSync(aside, privateFile);
    } catch {
      // another process won the race: use its key
    } finally {
      rmSync(aside, { force: true });
    }
    privatePem = readFileSync(privateFile, 'utf8');
  }
  const privateKey = createPrivateKey(privatePem);
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  writeFileSync(publicFile, publicKeyPem);
  const kid = createHash('sha256').update(publicKeyPem).digest('base64url').slice(0, 16);
  return { privateKey, publicKeyPem, kid };
}

/**
 * What a development token says: an intake system and its communes, an LRO worker with branch and roles, or a
 * platform operator.
 */
export type DevelopmentTokenRequest =
  | { client: string; communes: readonly string[] }
  | { worker: string; branch: string; roles: readonly WorkerRole[] }
  | { operator: string };

/**
 * Issues a token signed with the development key, valid for `ttlSec` (12 hours by default), for the services of
 * `audience` (all four by default; ADR 0010).
 */
export function issueDevelopmentToken(
  request: DevelopmentTokenRequest,
  options: {
    ttlSec?: number;
    env?: NodeJS.ProcessEnv;
    now?: Date;
    audience?: string | readonly string[];
  } = {},
): string {
  const keys = ensureDevelopmentKeys(options.env);
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const subject =
    'client' in request
      ? { sub: request.client, kind: 'client', communes: [...request.communes] }
      : 'worker' in request
        ? { sub: request.worker, kind: 'worker', branch: request.branch, roles: [...request.roles] }
        : { sub: request.operator, kind: 'operator' };
  const audience = options.audience ?? ServiceAudiences;
  const claims = {
    iss: DevelopmentIssuer,
    aud: typeof audience === 'string' ? audience : [...audience],
    iat,
    exp: iat + (options.ttlSec ?? 12 * 3600),
    ...subject,
  };
  return signJwt(claims, keys.privateKey, keys.kid);
}
