import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { ensureDevelopmentKeys, DevelopmentIssuer, routeProtection, ServiceAudiences, signJwt } from '@lienthong/auth';
import { devToken } from '@lienthong/testing';
import { dossierBody } from '../support/dossier-body';
import {
  documentCounts,
  registeredRoutes,
  ServiceNamesUnderTest,
  startServices,
  type RunningService,
  type ServiceName,
} from './service-stack';

// Attacks on the four services as composed by their entry points (global guard, headers, body handling), each on a
// database of this run: every case asserts the refusal and that no collection of the service gained a document.
// Threat model and OWASP mapping: docs/security.md.

let stack: Awaited<ReturnType<typeof startServices>>;
let services: Record<ServiceName, RunningService>;
beforeAll(async () => {
  stack = await startServices();
  services = stack.services;
}, 120_000);
afterAll(() => stack?.stop());

/** One guarded route per service, a write where the service has one, and the kind of caller it is for. */
const target: Record<ServiceName, { method: string; path: string; kind: 'client' | 'worker'; body?: unknown }> = {
  'dossier-intake': { method: 'POST', path: '/v1/dossiers', kind: 'client', body: dossierBody('security', 'r-1') },
  'registration-office': { method: 'POST', path: '/v1/cases/000.00.56.H42-261201-0001/claim', kind: 'worker' },
  'population-matching': {
    method: 'POST',
    path: '/v1/matches/000.00.56.H42-261201-0001/persons/0/resolution',
    kind: 'worker',
    body: { outcome: 'MATCHED', reason: 'seen the card' },
  },
  notification: { method: 'GET', path: '/v1/status-logs/000.00.56.H42-261201-0001', kind: 'client' },
};

const keys = ensureDevelopmentKeys();
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
function claimsFor(kind: 'client' | 'worker', change: Record<string, unknown> = {}): Record<string, unknown> {
  const principal =
    kind === 'client'
      ? { sub: 'attacker-intake', kind, communes: ['22657'] }
      : { sub: 'attacker-officer', kind, branch: 'KH-DIENKHANH', roles: ['officer', 'approver', 'supervisor'] };
  return { iss: DevelopmentIssuer, aud: [...ServiceAudiences], iat: now(), exp: now() + 600, ...principal, ...change };
}
function signRaw(header: Record<string, unknown>, claims: object, key: KeyObject, digest: string | null): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${sign(digest, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

/** Tokens an attacker can make, each with the reason the services must refuse it. */
function attackTokens(service: ServiceName, kind: 'client' | 'worker'): [string, string][] {
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
  const valid = signJwt(claimsFor(kind), keys.privateKey, keys.kid);
  const [header, payload] = valid.split('.') as [string, string];
  const others = ServiceAudiences.filter((a) => a !== service);
  return [
    ['signed by another key', signJwt(claimsFor(kind), generateKeyPairSync('ed25519').privateKey)],
    [
      'payload changed after signing',
      `${header}.${b64(claimsFor(kind, { sub: 'someone-else' }))}.${valid.split('.')[2]}`,
    ],
    ['expired', signJwt(claimsFor(kind, { iat: now() - 7_200, exp: now() - 3_600 }), keys.privateKey)],
    [
      'older than the maximum age',
      signJwt(claimsFor(kind, { iat: now() - 90_000, exp: now() + 600 }), keys.privateKey),
    ],
    ['for the other services only', signJwt(claimsFor(kind, { aud: others }), keys.privateKey)],
    ['from another issuer', signJwt(claimsFor(kind, { iss: 'https://evil.example' }), keys.privateKey)],
    ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`],
    [
      'HS256 keyed with the public key',
      (() => {
        const h = b64({ alg: 'HS256', typ: 'JWT' });
        return `${h}.${payload}.${createHmac('sha256', keys.publicKeyPem).update(`${h}.${payload}`).digest('base64url')}`;
      })(),
    ],
    ['ES384 on P-384', signRaw({ alg: 'ES384' }, claimsFor(kind), p384, 'sha384')],
    ['ES256 header on a P-384 key', signRaw({ alg: 'ES256' }, claimsFor(kind), p384, 'sha256')],
    [
      'a critical extension',
      signRaw({ alg: 'EdDSA', crit: ['x-scope'], 'x-scope': '*' }, claimsFor(kind), keys.privateKey, null),
    ],
    ['a worker without a role', signJwt(claimsFor('worker', { roles: [] }), keys.privateKey)],
    ['a sub outside the safe alphabet', signJwt(claimsFor(kind, { sub: 'x"}, {"$ne": null' }), keys.privateKey)],
    ['a sub with a line break', signJwt(claimsFor(kind, { sub: 'ops\nlevel=admin' }), keys.privateKey)],
  ];
}

async function call(
  service: RunningService,
  request: { method: string; path: string; body?: unknown; rawBody?: string },
  token?: string,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const body = request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  const response = await fetch(`${service.baseUrl}${request.path}`, {
    method: request.method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      'idempotency-key': 'security-suite',
    },
    body,
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (the console's page): status and headers are what the tests read
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

describe.each(ServiceNamesUnderTest)('%s', (name) => {
  it('registers no route that is neither guarded nor marked public (read from the Nest container)', () => {
    const routes = registeredRoutes(services[name].app);
    expect(routes.length).toBeGreaterThan(2);
    const unguarded = routes
      .filter((route) => routeProtection(route.handler, route.controller) === 'unguarded')
      .map((route) => `${route.method} ${route.path}`);
    expect(unguarded).toEqual([]);
    const publicRoutes = routes
      .filter((route) => routeProtection(route.handler, route.controller) === 'public')
      .map((route) => route.path.split('/')[1] ?? '')
      .filter((top) => !['health', 'metrics'].includes(top));
    // Besides health and metrics, only the console's page and its two static files are public.
    expect(publicRoutes).toEqual(name === 'registration-office' ? ['', 'console.js', 'console.css'] : []);
  });

  it('answers 401 on every guarded route without a token, and stores nothing', async () => {
    const before = await documentCounts(services[name]);
    const routes = registeredRoutes(services[name].app).filter(
      (route) => routeProtection(route.handler, route.controller) === 'guarded',
    );
    for (const route of routes) {
      // Path parameters filled with plausible values; `dossiers:import` keeps its literal colon.
      const path = route.path
        .replace(/\/:sha256/g, `/${'a'.repeat(64)}`)
        .replace(/\/:index/g, '/0')
        .replace(/\/:[A-Za-z]+/g, '/X-1');
      const result = await call(services[name], {
        method: route.method,
        path,
        body: route.method === 'GET' ? undefined : {},
      });
      expect({ route: `${route.method} ${route.path}`, status: result.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
      });
      expect(result.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    }
    expect(await documentCounts(services[name])).toEqual(before);
  });

  it.each(attackTokens(name, target[name].kind).map(([why, token]) => [why, token]))(
    'refuses a token %s with 401 and stores nothing',
    async (_why, token) => {
      const before = await documentCounts(services[name]);
      const result = await call(services[name], target[name], token);
      expect(result.status).toBe(401);
      expect(result.body).toMatchObject({ status: 401 });
      expect(await documentCounts(services[name])).toEqual(before);
    },
  );

  it('refuses malformed Authorization headers with 401 before anything is read', async () => {
    const valid = devToken(
      target[name].kind === 'client'
        ? { client: 'security-intake', communes: ['22657'] }
        : { worker: 'security-officer', branch: 'KH-DIENKHANH', roles: ['officer'] },
    );
    const before = await documentCounts(services[name]);
    for (const authorization of [
      `Basic ${Buffer.from('admin:admin').toString('base64')}`,
      'Bearer',
      `Bearer  ${valid}`,
      `Bearer ${valid} ${valid}`,
      `Token ${valid}`,
      `Bearer ${'a'.repeat(9_000)}.b.c`,
      `Bearer ${valid.replace(/\./g, '$')}`,
    ]) {
      const response = await fetch(`${services[name].baseUrl}${target[name].path}`, {
        method: target[name].method,
        headers: { authorization, 'content-type': 'application/json', 'idempotency-key': 'security-suite' },
        body: target[name].method === 'GET' ? undefined : JSON.stringify(target[name].body ?? {}),
      });
      expect({ authorization: authorization.slice(0, 20), status: response.status }).toEqual({
        authorization: authorization.slice(0, 20),
        status: 401,
      });
    }
    expect(await documentCounts(services[name])).toEqual(before);
  });

  it('refuses a valid token of the wrong kind of caller (403), an operator included', async () => {
    const wrong =
      target[name].kind === 'client'
        ? devToken({ worker: 'attacker', branch: 'KH-DIENKHANH', roles: ['supervisor'] })
        : devToken({ client: 'attacker', communes: ['22657'] });
    expect((await call(services[name], target[name], wrong)).status).toBe(403);
    expect((await call(services[name], target[name], devToken({ operator: 'ops-1' }))).status).toBe(403);
  });

  it('sends the security headers: CSP self only and no framing, nosniff, no HSTS over plain http', async () => {
    for (const path of ['/health/live', target[name].path]) {
      const { headers } = await call(services[name], { method: 'GET', path });
      const csp = headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('strict-transport-security')).toBeNull();
      expect(headers.get('x-powered-by')).toBeNull();
    }
  });
});

describe('prototype pollution', () => {
  const withKey = (body: object, json: string) => JSON.stringify(body).replace(/^\{/, `{${json},`);
  const client = devToken({ client: 'security-intake', communes: ['22657'] });
  const officer = devToken({ worker: 'security-officer', branch: 'KH-DIENKHANH', roles: ['officer', 'supervisor'] });

  const cases: [ServiceName, string, { method: string; path: string; rawBody: string }, string, string][] = [
    [
      'dossier-intake',
      'a submission with __proto__',
      {
        method: 'POST',
        path: '/v1/dossiers',
        rawBody: withKey(dossierBody('security', 'p-1'), '"__proto__":{"isAdmin":true}'),
      },
      client,
      '__proto__',
    ],
    [
      'dossier-intake',
      'a submission with constructor.prototype in a party',
      {
        method: 'POST',
        path: '/v1/dossiers',
        rawBody: JSON.stringify(dossierBody('security', 'p-2')).replace(
          '"role":"TRANSFEROR"',
          '"role":"TRANSFEROR","constructor":{"prototype":{"polluted":1}}',
        ),
      },
      client,
      'parties[0].constructor',
    ],
    [
      'dossier-intake',
      'a webhook subscription with __proto__',
      {
        method: 'PUT',
        path: '/v1/subscriptions/webhook',
        rawBody: withKey(
          { url: 'https://hooks.example.vn/lt', secret: 's'.repeat(32) },
          '"__proto__":{"url":"http://127.0.0.1"}',
        ),
      },
      client,
      '__proto__',
    ],
    [
      'registration-office',
      'an assignment with __proto__',
      {
        method: 'POST',
        path: '/v1/cases/000.00.56.H42-261201-0001/assign',
        rawBody: withKey({ userId: 'u1' }, '"__proto__":{"roles":["supervisor"]}'),
      },
      officer,
      '__proto__',
    ],
    [
      'population-matching',
      'a resolution with constructor',
      {
        method: 'POST',
        path: '/v1/matches/000.00.56.H42-261201-0001/persons/0/resolution',
        rawBody: withKey({ outcome: 'MATCHED', reason: 'seen the card' }, '"constructor":{"name":"x"}'),
      },
      officer,
      'constructor',
    ],
  ];

  it.each(cases)(
    '%s: refuses %s with 400 naming the field, and stores nothing',
    async (name, _what, request, token, field) => {
      const before = await documentCounts(services[name]);
      const result = await call(services[name], request, token);
      expect(result.status).toBe(400);
      expect(result.headers.get('content-type')).toContain('application/problem+json');
      expect(result.body['errors']).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, code: 'UNKNOWN_FIELD' })]),
      );
      expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
      expect(await documentCounts(services[name])).toEqual(before);
    },
  );
});
