import { issueDevelopmentToken, type DevelopmentTokenRequest } from '@lienthong/auth';

/**
 * A bearer token for tests, signed with the development key the services trust locally:
 * `devToken({ client: 'one-stop', communes: ['22657'] })` or
 * `devToken({ worker: 'u1', branch: 'KH-01', roles: ['officer'] })`.
 */
export function devToken(request: DevelopmentTokenRequest, ttlSec?: number): string {
  return issueDevelopmentToken(request, { ttlSec });
}
