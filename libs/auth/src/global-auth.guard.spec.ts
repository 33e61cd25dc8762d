import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Controller, Get, Global, Module, UseGuards, type INestApplication } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { ConfigError, ServiceEnv, loadConfig } from '@lienthong/config';
import {
  acceptedAudiences,
  Allow,
  AuthModule,
  ClientAuthGuard,
  GlobalAuthGuard,
  keySourceFromEnv,
  Public,
  routeProtection,
  SERVICE_AUDIENCE,
} from './auth.module';
import { issueDevelopmentToken } from './development-keys';

// The global guard of every service over real HTTP: public routes, routes with a principal guard, and a route
// someone forgot to guard, which must be closed to everyone.
process.env['AUTH_DEV_KEY_DIR'] = mkdtempSync(path.join(tmpdir(), 'lt-global-guard-'));

@Controller()
class ProbeController {
  @Get('health')
  @Public()
  health(): { ok: true } {
    return { ok: true };
  }

  @Get('mine')
  @UseGuards(ClientAuthGuard)
  mine(): { ok: true } {
    return { ok: true };
  }

  @Get('ops')
  @Allow('worker', 'operator')
  ops(): { ok: true } {
    return { ok: true };
  }

  @Get('forgotten')
  forgotten(): { ok: true } {
    return { ok: true };
  }
}

function probeModule(service: string) {
  // As @lienthong/runtime does: the service name from a global module, so AuthModule's verifier sees it.
  @Global()
  @Module({ providers: [{ provide: SERVICE_AUDIENCE, useValue: service }], exports: [SERVICE_AUDIENCE] })
  class ServiceModule {}

  @Module({
    imports: [ServiceModule, AuthModule],
    controllers: [ProbeController],
    providers: [{ provide: APP_GUARD, useClass: GlobalAuthGuard }],
  })
  class ProbeModule {}
  return ProbeModule;
}

describe('GlobalAuthGuard', () => {
  let app: INestApplication;
  let base: string;
  const client = issueDevelopmentToken({ client: 'one-stop', communes: ['22657'] });
  const officer = issueDevelopmentToken({ worker: 'u1', branch: 'KH-01', roles: ['officer'] });
  const operator = issueDevelopmentToken({ operator: 'ops-1' });

  beforeAll(async () => {
    app = await NestFactory.create(probeModule('population-matching'), { logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });
  afterAll(() => app.close());

  const status = async (route: string, token?: string) =>
    (await fetch(`${base}/${route}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })).status;

  it('lets anyone reach a @Public route', async () => {
    expect(await status('health')).toBe(200);
  });

  it('asks every other route for a valid token (401), whatever its own guards', async () => {
    for (const route of ['mine', 'ops', 'forgotten']) expect(await status(route)).toBe(401);
    expect(await status('mine', `${client}x`)).toBe(401);
  });

  it('closes a route that names no principal guard to every caller (403)', async () => {
    for (const token of [client, officer, operator]) expect(await status('forgotten', token)).toBe(403);
    expect(routeProtection(ProbeController.prototype.forgotten, ProbeController)).toBe('unguarded');
    expect(routeProtection(ProbeController.prototype.health, ProbeController)).toBe('public');
    expect(routeProtection(ProbeController.prototype.ops, ProbeController)).toBe('guarded');
  });

  it('reads the scheme case-insensitively (RFC 7235), the token strictly', async () => {
    const raw = async (authorization: string) => (await fetch(`${base}/ops`, { headers: { authorization } })).status;
    expect(await raw(`bearer ${operator}`)).toBe(200);
    expect(await raw(`Bearer  ${operator}`)).toBe(401);
    expect(await raw(`Bearer ${operator}.x`)).toBe(401);
  });

  it('admits the kinds named by @Allow only', async () => {
    expect(await status('ops', officer)).toBe(200);
    expect(await status('ops', operator)).toBe(200);
    expect(await status('ops', client)).toBe(403);
    expect(await status('mine', client)).toBe(200);
    expect(await status('mine', operator)).toBe(403);
  });

  it('accepts only tokens for this service, or for the shared audience during the migration', async () => {
    const forOthers = issueDevelopmentToken({ operator: 'ops-1' }, { audience: ['notification', 'dossier-intake'] });
    const shared = issueDevelopmentToken({ operator: 'ops-1' }, { audience: 'lienthong' });
    expect(await status('ops', forOthers)).toBe(401);
    expect(await status('ops', shared)).toBe(200);
  });
});

describe('audiences and key sources from the environment', () => {
  const env = (vars: Record<string, string>) => loadConfig(ServiceEnv, { LIENTHONG_ENV: 'development', ...vars });

  it('accept the service name and, until switched off, the shared audience', () => {
    expect(acceptedAudiences(env({}), 'notification')).toEqual(['notification', 'lienthong']);
    expect(acceptedAudiences(env({ AUTH_ACCEPT_SHARED_AUDIENCE: 'false' }), 'notification')).toEqual(['notification']);
    expect(acceptedAudiences(env({ AUTH_AUDIENCE: 'intake-api' }), 'dossier-intake')).toContain('intake-api');
  });

  it('requires LIENTHONG_ENV, with no default', () => {
    expect(() => loadConfig(ServiceEnv, {})).toThrow(ConfigError);
    expect(() => loadConfig(ServiceEnv, {})).toThrow(/LIENTHONG_ENV is required/);
  });

  it('refuses the development issuer and key, and plain-http JWKS, outside development', () => {
    const production = (vars: Record<string, string>) =>
      loadConfig(ServiceEnv, { LIENTHONG_ENV: 'production', ...vars });
    expect(() => keySourceFromEnv(production({}))).toThrow(/AUTH_ISSUER lienthong-development is accepted only/);
    expect(() => keySourceFromEnv(production({ AUTH_ISSUER: 'https://idp.gov.vn' }))).toThrow(
      /AUTH_JWKS_URL or AUTH_PUBLIC_KEY_FILE is required/,
    );
    const devKey = path.join(process.env['AUTH_DEV_KEY_DIR']!, 'development-signing-key.pub.pem');
    expect(() =>
      keySourceFromEnv(production({ AUTH_ISSUER: 'https://idp.gov.vn', AUTH_PUBLIC_KEY_FILE: devKey })),
    ).toThrow(/names the development key/);
    expect(() =>
      keySourceFromEnv(production({ AUTH_ISSUER: 'https://idp.gov.vn', AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks' })),
    ).toThrow(/must use https/);
    expect(() => keySourceFromEnv(env({ AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks' }))).not.toThrow();
    expect(() => keySourceFromEnv(env({ AUTH_JWKS_URL: 'http://10.0.0.5/jwks' }))).toThrow(/must use https/);
  });
});
