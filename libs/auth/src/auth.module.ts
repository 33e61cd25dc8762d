import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ForbiddenException,
  Inject,
  Injectable,
  Module,
  Optional,
  SetMetadata,
  UnauthorizedException,
  UseGuards,
  applyDecorators,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ConfigError, loadConfig, ServiceEnv } from '@lienthong/config';
import { trace } from '@opentelemetry/api';
import type { Request, Response } from 'express';
import {
  DevelopmentIssuer,
  developmentKeyDir,
  developmentPublicKeyFile,
  ensureDevelopmentKeys,
} from './development-keys';
import { JwksKeySource, StaticKeySource, TokenError, verifyJwt, type KeySource } from './jwt';
import {
  principalFromClaims,
  ServiceAudiences,
  SharedAudience,
  type PrincipalKind,
  type ClientPrincipal,
  type OperatorPrincipal,
  type Principal,
  type WorkerPrincipal,
  type WorkerRole,
} from './principal';

type AuthenticatedRequest = Request & { principal?: Principal };

/** DI token of the running service's name, its own token audience (provided by @lienthong/runtime). */
export const SERVICE_AUDIENCE = Symbol('SERVICE_AUDIENCE');

/**
 * Builds the key source the environment asks for: a JWKS URL (https; plain http to loopback only in development),
 * PEM files, or (development only) the local key pair. Outside development, the development issuer and key are
 * refused, so a deployment can never trust the key any checkout generates.
 */
export function keySourceFromEnv(env: ServiceEnv): KeySource {
  const development = env.LIENTHONG_ENV === 'development';
  if (!development && env.AUTH_ISSUER === DevelopmentIssuer) {
    throw new ConfigError([`AUTH_ISSUER ${DevelopmentIssuer} is accepted only when LIENTHONG_ENV is development`]);
  }
  if (env.AUTH_JWKS_URL) {
    try {
      return new JwksKeySource(env.AUTH_JWKS_URL, { allowLoopbackHttp: development });
    } catch (error) {
      throw new ConfigError([`AUTH_JWKS_URL: ${(error as Error).message}`]);
    }
  }
  if (env.AUTH_PUBLIC_KEY_FILE) {
    const files = env.AUTH_PUBLIC_KEY_FILE.split(',').map((file) => path.resolve(file.trim()));
    if (!development && files.some((file) => path.dirname(file) === path.resolve(developmentKeyDir()))) {
      throw new ConfigError(['AUTH_PUBLIC_KEY_FILE names the development key, accepted only in development']);
    }
    try {
      return new StaticKeySource(files.map((file) => readFileSync(file, 'utf8')));
    } catch (error) {
      throw new ConfigError([`AUTH_PUBLIC_KEY_FILE: ${(error as Error).message}`]);
    }
  }
  if (!development) {
    throw new ConfigError(['AUTH_JWKS_URL or AUTH_PUBLIC_KEY_FILE is required outside development']);
  }
  ensureDevelopmentKeys();
  return new StaticKeySource([readFileSync(developmentPublicKeyFile(), 'utf8')]);
}

/**
 * The audiences a service accepts: its own (AUTH_AUDIENCE, else its name), plus the shared `lienthong` while
 * AUTH_ACCEPT_SHARED_AUDIENCE is on (ADR 0010). A composition without the runtime's service name (a component test
 * of feature modules) accepts any of the four services.
 */
export function acceptedAudiences(env: ServiceEnv, service: string | undefined): string[] {
  const own = env.AUTH_AUDIENCE ?? service;
  return [...(own ? [own] : ServiceAudiences), ...(env.AUTH_ACCEPT_SHARED_AUDIENCE ? [SharedAudience] : [])];
}

/** Verifies bearer tokens against the configured issuer's keys and turns them into principals. */
@Injectable()
export class TokenVerifier {
  private readonly env = loadConfig(ServiceEnv);
  private readonly keys = keySourceFromEnv(this.env);
  private readonly audiences: string[];

  constructor(@Optional() @Inject(SERVICE_AUDIENCE) service?: string) {
    this.audiences = acceptedAudiences(this.env, service);
  }

  /** The principal of an `Authorization: Bearer <JWT>` header; throws TokenError with a reason otherwise. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    // The scheme is case-insensitive (RFC 7235 §2.1); a compact JWS is base64url parts and dots, at most 8 KiB here.
    const match = /^Bearer ([A-Za-z0-9_.-]{1,8192})$/i.exec(authorization ?? '');
    if (!match) throw new TokenError('an Authorization: Bearer token is required');
    const claims = await verifyJwt(match[1]!, this.keys, {
      issuer: this.env.AUTH_ISSUER,
      audience: this.audiences,
      maxTokenAgeSec: this.env.AUTH_MAX_TOKEN_AGE_SEC,
    });
    const principal = principalFromClaims(claims);
    if ('invalid' in principal) throw new TokenError(`the token's claims are invalid: ${principal.invalid}`);
    return principal;
  }
}

async function authenticateRequest(verifier: TokenVerifier, context: ExecutionContext): Promise<Principal> {
  const http = context.switchToHttp();
  const request = http.getRequest<AuthenticatedRequest>();
  if (request.principal) return request.principal; // already verified by the global guard
  try {
    const principal = await verifier.authenticate(request.headers.authorization);
    request.principal = principal;
    trace
      .getActiveSpan()
      ?.setAttribute('enduser.id', principal.kind === 'client' ? principal.clientId : principal.userId);
    trace.getActiveSpan()?.setAttribute('enduser.role', principal.kind);
    return principal;
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
    throw new UnauthorizedException(error.message);
  }
}

/** Lets a request through only with a valid intake-system (client) token. */
@Injectable()
export class ClientAuthGuard implements CanActivate {
  constructor(private readonly verifier: TokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = await authenticateRequest(this.verifier, context);
    if (principal.kind !== 'client') throw new ForbiddenException('this endpoint is for intake systems');
    return true;
  }
}

const ROLES = 'lienthong:roles';

/** The roles of which a worker must hold at least one (with WorkerAuthGuard); none listed means any worker. */
export const Roles = (...roles: WorkerRole[]) => SetMetadata(ROLES, roles);

/** Lets a request through only with a valid LRO worker token holding one of the handler's `@Roles`. */
@Injectable()
export class WorkerAuthGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = await authenticateRequest(this.verifier, context);
    if (principal.kind !== 'worker') throw new ForbiddenException('this endpoint is for LRO workers');
    const required =
      this.reflector.getAllAndOverride<WorkerRole[] | undefined>(ROLES, [context.getHandler(), context.getClass()]) ??
      [];
    if (required.length > 0 && !required.some((role) => principal.roles.includes(role))) {
      throw new ForbiddenException(`this action needs the role ${required.join(' or ')}`);
    }
    return true;
  }
}

const KINDS = 'lienthong:principal-kinds';

/** Lets a request through only with a valid token of one of the kinds named by `@Allow` (workers: any role). */
@Injectable()
export class PrincipalKindGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = await authenticateRequest(this.verifier, context);
    const kinds =
      this.reflector.getAllAndOverride<PrincipalKind[] | undefined>(KINDS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? [];
    if (!kinds.includes(principal.kind)) throw new ForbiddenException(`this endpoint is for ${kinds.join(' or ')}s`);
    return true;
  }
}

/** Guards a handler or controller for the given kinds of principal (e.g. `@Allow('worker', 'operator')`). */
export const Allow = (...kinds: PrincipalKind[]) =>
  applyDecorators(SetMetadata(KINDS, kinds), UseGuards(PrincipalKindGuard));

const PUBLIC = 'lienthong:public';

/**
 * Marks a handler or controller as callable without a token: only health, metrics, the OpenAPI documents and the
 * console's static files. Everything else is refused by GlobalAuthGuard unless a principal guard admits the caller.
 */
export const Public = () => SetMetadata(PUBLIC, true);

/** The guards that decide which principals a route admits (one of them, or `@Public`, is required on every route). */
export const PrincipalGuards: readonly Type<CanActivate>[] = [ClientAuthGuard, WorkerAuthGuard, PrincipalKindGuard];

/** How a route is protected, read from its handler and controller: public, by principal guards, or not at all. */
export function routeProtection(handler: object, controller: object): 'public' | 'guarded' | 'unguarded' {
  if (Reflect.getMetadata(PUBLIC, handler) === true || Reflect.getMetadata(PUBLIC, controller) === true) {
    return 'public';
  }
  const guards = [
    ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? []),
    ...((Reflect.getMetadata(GUARDS_METADATA, controller) as unknown[] | undefined) ?? []),
  ];
  return guards.some((guard) => PrincipalGuards.includes(guard as Type<CanActivate>)) ? 'guarded' : 'unguarded';
}

/**
 * Every service's global guard (registered by @lienthong/runtime): a route marked `@Public()` passes; any other
 * needs a valid bearer token (401 otherwise), and a route that names no principal guard is refused to everyone (403):
 * a handler someone forgets to guard is closed, not open.
 */
@Injectable()
export class GlobalAuthGuard implements CanActivate {
  constructor(private readonly verifier: TokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // Kafka handlers: the broker's own access control
    const protection = routeProtection(context.getHandler(), context.getClass());
    if (protection === 'public') return true;
    await authenticateRequest(this.verifier, context);
    if (protection === 'unguarded') throw new ForbiddenException('this endpoint admits no caller');
    return true;
  }
}

/** The verified principal of the request (set by the global guard and the principal guards). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): ClientPrincipal | WorkerPrincipal | OperatorPrincipal | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);

/** Bearer-token authentication: import it in a feature module and guard its controllers. */
@Module({
  providers: [TokenVerifier, ClientAuthGuard, WorkerAuthGuard, PrincipalKindGuard, GlobalAuthGuard],
  exports: [TokenVerifier, ClientAuthGuard, WorkerAuthGuard, PrincipalKindGuard, GlobalAuthGuard],
})
export class AuthModule {}
