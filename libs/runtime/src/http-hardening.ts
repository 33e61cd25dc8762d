import { ValidationError, type FieldError } from '@lienthong/kernel';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * The Content-Security-Policy of every response: everything from the service's own origin only, no framing, no
 * plugins, no inline script or style (the console loads /console.js and /console.css), forms posting nowhere else.
 */
export const ContentSecurityPolicy = {
  'default-src': ["'self'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'connect-src': ["'self'"],
} as const;

/**
 * Security headers on every response (helmet): the CSP above, `X-Content-Type-Options: nosniff`, no referrer, no
 * cross-origin embedding, `X-Frame-Options: DENY` for old browsers; `Strict-Transport-Security` only when `hsts`
 * (the service is reached over TLS, env HTTP_HSTS), since over plain http it would pin a local host to https. The
 * OpenAPI UI under `/docs` (development aid, no data) also allows its own inline style and data: images.
 */
export function securityHeaders(options: { hsts: boolean }): RequestHandler {
  const common = {
    strictTransportSecurity: options.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' as const },
    xFrameOptions: { action: 'deny' as const },
  };
  const api = helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: ContentSecurityPolicy } });
  const docs = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...ContentSecurityPolicy,
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
      },
    },
  });
  return (request, response, next) =>
    (request.path === '/docs' || request.path.startsWith('/docs/') ? docs : api)(request, response, next);
}

/** Keys that would reach an object's prototype (or its constructor) if code ever merged the body into one. */
const ForbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Paths of the keys `__proto__`, `constructor` and `prototype` anywhere in a parsed JSON value (JSON.parse keeps
 * them as own properties; class-transformer then drops them silently, so the whitelist never saw them).
 */
export function forbiddenKeyPaths(value: unknown): string[] {
  const found: string[] = [];
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0 && found.length < 20) {
    const { value: current, path } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      current.forEach((item, index) => stack.push({ value: item, path: `${path}[${index}]` }));
      continue;
    }
    for (const key of Object.keys(current)) {
      const field = path ? `${path}.${key}` : key;
      if (ForbiddenKeys.has(key)) found.push(field);
      else stack.push({ value: (current as Record<string, unknown>)[key], path: field });
    }
  }
  return found.slice(0, 20).sort();
}

/**
 * Refuses, with a 400 validation problem naming each field, a JSON body holding `__proto__`, `constructor` or
 * `prototype` keys, as the contracts say of unknown fields, instead of the silent drop. Bodies of `ownJsonBodies`
 * (read by the service itself, e.g. VBDLIS with its own error shape) are left to their route.
 */
export function refuseForbiddenKeys(ownJsonBodies: readonly string[] = []): RequestHandler {
  const own = new Set(ownJsonBodies);
  return (request: Request, _response: Response, next: NextFunction) => {
    if (own.has(request.path) || request.body === null || typeof request.body !== 'object') return next();
    const paths = forbiddenKeyPaths(request.body);
    if (paths.length === 0) return next();
    const errors: FieldError[] = paths.map((field) => ({
      field,
      code: 'UNKNOWN_FIELD',
      message: `${field.split(/[.[]/).pop()} is not a field of this request`,
    }));
    next(new ValidationError('The request has invalid fields.', errors));
  };
}
