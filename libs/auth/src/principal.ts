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

/**
 * A national or provincial operator of the platform itself (the console's operations views, e.g. registry status):
 * tied to no branch and no commune, so it sees no case or dossier through this kind alone.
 */
export interface OperatorPrincipal {
  kind: 'operator';
  userId: string;
}

/** The kinds of caller, defined once for every service. */
export const PrincipalKinds = ['client', 'worker', 'operator'] as const;
export type PrincipalKind = (typeof PrincipalKinds)[number];

export type Principal = ClientPrincipal | WorkerPrincipal | OperatorPrincipal;

/**
 * The audiences of the four services: a token's `aud` lists those it is meant for, and each service accepts only
 * tokens naming it (ADR 0010). Equal to the services' names (ServiceNames in @lienthong/messaging).
 */
export const ServiceAudiences = [
  'dossier-intake',
  'registration-office',
  'notification',
  'population-matching',
] as const;
export type ServiceAudience = (typeof ServiceAudiences)[number];

/**
 * The audience all services accepted before ADR 0010; still accepted while AUTH_ACCEPT_SHARED_AUDIENCE is true
 * (the migration), refused once it is switched off.
 */
export const SharedAudience = 'lienthong';

/**
 * What a `sub` may look like: letters, digits and `._:@-`, starting with a letter or digit, at most 128 characters.
 * It reaches logs, spans, audit entries and database keys, so nothing that could break out of any of them.
 */
export const SafeSubject = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/**
 * The claims this system reads from a verified token, besides `iss`, `aud`, `exp`, `nbf` and `iat`:
 * `sub` (client id or user id), `kind` (`client` | `worker` | `operator`), `communes` (clients), `branch` and `roles`
 * (workers).
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
  if (typeof sub !== 'string' || !SafeSubject.test(sub)) {
    return { invalid: 'sub must be 1-128 letters, digits or ._:@- starting with a letter or digit' };
  }
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
    if (typeof branch !== 'string' || !SafeSubject.test(branch)) return { invalid: 'branch must be a branch code' };
    if (
      !Array.isArray(roles) ||
      roles.length === 0 ||
      !roles.every((r) => (WorkerRoles as readonly unknown[]).includes(r))
    ) {
      return { invalid: `roles must be a non-empty list of ${WorkerRoles.join(', ')}` };
    }
    return { kind: 'worker', userId: sub, branch, roles: [...(roles as WorkerRole[])] };
  }
  if (claims['kind'] === 'operator') return { kind: 'operator', userId: sub };
  return { invalid: `kind must be one of ${PrincipalKinds.join(', ')}` };
}
