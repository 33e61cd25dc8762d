import { devToken } from '@lienthong/testing';

/**
 * The Authorization header of an LRO worker (registration-office's API needs a worker token; the branch comes from
 * it). Defaults: an officer of KH-DIENKHANH, the branch serving the test dossiers' commune 22657.
 */
export function officeAuth(
  options: { userId?: string; branch?: string; roles?: ('officer' | 'approver' | 'supervisor')[] } = {},
): { authorization: string } {
  const token = devToken({
    worker: options.userId ?? 'test-officer',
    branch: options.branch ?? 'KH-DIENKHANH',
    roles: options.roles ?? ['officer', 'approver', 'supervisor'],
  });
  return { authorization: `Bearer ${token}` };
}

/**
 * The Authorization header of a platform operator (no branch, no commune): for operational views such as
 * population-matching's registry status.
 */
export function operatorAuth(userId = 'test-operator'): { authorization: string } {
  return { authorization: `Bearer ${devToken({ operator: userId })}` };
}
