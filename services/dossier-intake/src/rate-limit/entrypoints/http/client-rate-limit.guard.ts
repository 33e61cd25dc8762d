import { HttpException, HttpStatus, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { ClientPrincipal } from '@lienthong/auth';
import type { Request, Response } from 'express';
import { RateLimiter } from '../../application/rate-limiter';

/** Name of the policy in the RateLimit header fields. */
const policyName = '"per-client"';

/**
 * The per-client request budget (intake-api.md: 429 with Retry-After). Runs after ClientAuthGuard, so the budget
 * belongs to the authenticated client id; reads and writes share it. Every answer carries the budget as the
 * IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy: "per-client";q=…;w=…`,
 * `RateLimit: "per-client";r=…;t=…`); over the budget, `429` problem details with `Retry-After` in seconds.
 */
@Injectable()
export class ClientRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: RateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const principal = http.getRequest<Request & { principal?: ClientPrincipal }>().principal;
    if (!principal) return true; // ClientAuthGuard refuses such a request before this guard runs
    const decision = await this.limiter.hit(principal.clientId);
    if (!decision) return true;
    const response = http.getResponse<Response>();
    response.setHeader('RateLimit-Policy', `${policyName};q=${decision.limit};w=${decision.windowSeconds}`);
    response.setHeader('RateLimit', `${policyName};r=${decision.remaining};t=${decision.resetSeconds}`);
    if (decision.allowed) return true;
    response.setHeader('Retry-After', String(decision.resetSeconds));
    throw new HttpException(
      `Client ${principal.clientId} sent more than ${decision.limit} requests in ${decision.windowSeconds} s; retry after ${decision.resetSeconds} s.`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/** The OpenAPI description of the 429 answer, for every controller the guard protects. */
export const rateLimitedResponse = {
  description:
    "The client's request budget (RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW_SECONDS) is spent: problem details, Retry-After in seconds",
  headers: {
    'Retry-After': { description: 'Seconds until the budget renews', schema: { type: 'integer' } },
    RateLimit: { description: '`"per-client";r=<remaining>;t=<seconds to reset>`', schema: { type: 'string' } },
    'RateLimit-Policy': { description: '`"per-client";q=<requests>;w=<window seconds>`', schema: { type: 'string' } },
  },
};
