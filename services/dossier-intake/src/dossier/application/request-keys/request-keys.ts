/**
 * Idempotency of the POSTs that change a dossier (supplements, withdrawal; architecture §5): the first request with a
 * key records its body hash and, once done, its answer; a retry with the same body gets that answer, another body
 * a 422, and a retry while the first is still running a 409 with Retry-After.
 */
export type KeyClaim =
  | { state: 'new' }
  | { state: 'replay'; status: number; body: unknown }
  | { state: 'mismatch' }
  | { state: 'in-flight' };

export abstract class RequestKeys {
  /** Claims `key` for a request with body hash `requestHash` (scope = client id and operation). */
  abstract claim(scope: string, key: string, requestHash: string): Promise<KeyClaim>;
  /** Records the answer given, for replays. */
  abstract complete(scope: string, key: string, status: number, body: unknown): Promise<void>;
  /** Frees the key after a refused request (nothing changed), so a corrected retry can run. */
  abstract release(scope: string, key: string): Promise<void>;
}
