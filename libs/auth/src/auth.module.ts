import { readFileSync } from 'node:fs';
import {
  ForbiddenException,
  Injectable,
  Module,
  SetMetadata,
  UnauthorizedException,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ConfigError, loadConfig, ServiceEnv } from '@lienthong/config';
import { trace } from '@opentelemetry/api';
import type { Request, Response } from 'express';
import { developmentPublicKeyFile, ensureDevelopmentKeys } from './development-keys';
import { JwksKeySource, StaticKeySource, TokenError, verifyJwt, type KeySource } from './jwt';
import {
  principalFromClaims,
  type ClientPrincipal,
  type Principal,
  type WorkerPrincipal,
  type WorkerRole,
} from './principal';

type AuthenticatedRequest = Request & { principal?: Principal };

/** Builds the key source the environment asks for: a JWKS URL, PEM files, or (development only) the local key pair. */
export function keySourceFromEnv(env: ServiceEnv): KeySource {
  if (env.AUTH_JWKS_URL) return new JwksKeySource(env.AUTH_JWKS_URL);
  if (env.AUTH_PUBLIC_KEY_FILE) {
    return new StaticKeySource(env.AUTH_PUBLIC_KEY_FILE.split(',').map((file) => readFileSync(file.trim(), 'utf8')));
  }
  if (env.LIENTHONG_ENV !== 'development') {
    throw new ConfigError(['AUTH_JWKS_URL or AUTH_PUBLIC_KEY_FILE is required outside development']);
  }
  ensureDevelopmentKeys();
  return new StaticKeySource([readFileSync(developmentPublicKeyFile(), 'utf8')]);
}

/** Verifies bearer tokens against the configured issuer's keys and turns them into principals. */
@Injectable()
export class TokenVerifier {
  private readonly env = loadConfig(ServiceEnv);
  private readonly keys = keySourceFromEnv(this.env);

  /** The principal of an `Authorization: Bearer <JWT>` header; throws TokenError with a reason otherwise. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new TokenError('an Authorization: Bearer token is required');
    const claims = await verifyJwt(match[1]!, this.keys, {
      issuer: this.env.AUTH_ISSUER,
      audience: this.env.AUTH_AUDIENCE,
    });
    const principal = principalFromClaims(claims);
    if ('invalid' in principal) throw new TokenError(`the token's claims are invalid: ${principal.invalid}`);
    return principal;
  }
}

async function authenticateRequest(verifier: TokenVerifier, context: ExecutionContext): Promise<Principal> {
  const http = context.switchToHttp();
  const request = http.getRequest<AuthenticatedRequest>();
  try {
    const principal = await verifier.authenticate(request.headers.authorization);
    request.principal = principal;
    trace
      .getActiveSpan()
      ?.setAttribute('enduser.id', principal.kind === 'client' ? principal.clientId : principal.userId);
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

/** The verified principal of the request (set by ClientAuthGuard or WorkerAuthGuard). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): ClientPrincipal | WorkerPrincipal | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);

/** Bearer-token authentication: import it in a feature module and guard its controllers. */
@Module({
  providers: [TokenVerifier, ClientAuthGuard, WorkerAuthGuard],
  exports: [TokenVerifier, ClientAuthGuard, WorkerAuthGuard],
})
export class AuthModule {}
