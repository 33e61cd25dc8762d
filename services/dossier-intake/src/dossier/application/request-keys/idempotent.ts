import { canonicalHash, ConflictError, IdempotencyMismatchError } from '@lienthong/kernel';
import type { RequestKeys } from './request-keys';

/**
 * Runs `work` once per (scope, key): replays the stored answer for the same body, refuses another body (422) or a
 * concurrent retry (409, retry after 1 s). A refused request (an error) frees the key; it changed nothing.
 */
export async function idempotent<T>(
  keys: RequestKeys,
  scope: string,
  key: string,
  body: unknown,
  work: () => Promise<T>,
): Promise<{ result: T; replayed: boolean }> {
  const claim = await keys.claim(scope, key, canonicalHash(body));
  if (claim.state === 'replay') return { result: claim.body as T, replayed: true };
  if (claim.state === 'mismatch') {
    throw new IdempotencyMismatchError('This Idempotency-Key was already used with a different request body.');
  }
  if (claim.state === 'in-flight') throw new ConflictError('A request with this Idempotency-Key is in progress.', 1);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await keys.release(scope, key);
    throw error;
  }
  await keys.complete(scope, key, 200, result);
  return { result, replayed: false };
}
