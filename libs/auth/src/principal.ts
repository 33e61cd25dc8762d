/** Roles of a Land Registration Office worker (office-api.md): who may act on a case. */
export const WorkerRoles = ['officer', 'approver', 'supervisor'] as const;
export type WorkerRole = (typeof WorkerRoles)[number];

/**
 * An intake system (a provincial one-stop software) calling the intake API. `communes` are the 5-digit commune codes
 * it may act for: every dossier outside them is invisible to it (404).
 */
export interface ClientPrincipal {
  kind: 'client';
  clientId: string;
  communes: readonly string[];
}

/** An LRO back-office worker: the branch whose cases they see and the roles they hold there. */
export interface WorkerPrincipal {
  kind: 'worker';
  userId: string;
  branch: string;
  roles: readonly WorkerRole[];
}

export type Principal = ClientPrincipal | WorkerPrincipal;

/**
 * The claims this system reads from a verified token, besides `iss`, `aud`, `exp`, `nbf` and `iat`:
 * `sub` (client id or user id), `kind` (`client` | `worker`), `communes` (clients), `branch` and `roles` (workers).
 */
export interface PrincipalClaims {
  sub: string;
  kind: Principal['kind'];
  communes?: string[];
  branch?: string;
  roles?: string[];
}

const communeCode = /^\d{5}$/;

/** Reads a principal from verified claims; returns a reason instead when the claims do not describe one. */
export function principalFromClaims(claims: Record<string, unknown>): Principal | { invalid: string } {
  const sub = claims['sub'];
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) return { invalid: 'sub must be a string' };
  if (claims['kind'] === 'client') {
    const communes = claims['communes'];
    if (!Array.isArray(communes) || !communes.every((c) => typeof c === 'string' && communeCode.test(c))) {
      return { invalid: 'communes must be a list of 5-digit commune codes' };
    }
    return { kind: 'client', clientId: sub, communes: [...(communes as string[])] };
  }
  if (claims['kind'] === 'worker') {
    const branch = claims['branch'];
    const roles = claims['roles'];
    if (typeof branch !== 'string' || branch.length === 0) return { invalid: 'branch must be a string' };
    if (!Array.isArray(roles) || !roles.every((r) => (WorkerRoles as readonly unknown[]).includes(r))) {
      return { invalid: `roles must be a list of ${WorkerRoles.join(', ')}` };
    }
    return { kind: 'worker', userId: sub, branch, roles: [...(roles as WorkerRole[])] };
  }
  return { invalid: 'kind must be client or worker' };
}
