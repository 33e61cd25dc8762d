import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Controller, Get, Module, UseGuards, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthModule, ClientAuthGuard, CurrentPrincipal, Roles, WorkerAuthGuard } from './auth.module';
import { issueDevelopmentToken } from './development-keys';
import { signJwt } from './jwt';
import type { Principal } from './principal';
import { generateKeyPairSync } from 'node:crypto';

// The guards over real HTTP on an ephemeral loopback port, with the development key of a temporary directory.
// (Nest's own error bodies here; the services turn the same exceptions into RFC 9457 problems.)
process.env['AUTH_DEV_KEY_DIR'] = mkdtempSync(path.join(tmpdir(), 'lt-auth-guard-'));

@Controller()
class ProbeController {
  @Get('client')
  @UseGuards(ClientAuthGuard)
  client(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Get('approve')
  @UseGuards(WorkerAuthGuard)
  @Roles('approver', 'supervisor')
  approve(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}

@Module({ imports: [AuthModule], controllers: [ProbeController] })
class ProbeModule {}

describe('ClientAuthGuard and WorkerAuthGuard', () => {
  let app: INestApplication;
  let base: string;
  const client = issueDevelopmentToken({ client: 'one-stop', communes: ['22657'] });
  const officer = issueDevelopmentToken({ worker: 'u1', branch: 'KH-01', roles: ['officer'] });
  const approver = issueDevelopmentToken({ worker: 'u2', branch: 'KH-01', roles: ['approver'] });

  beforeAll(async () => {
    app = await NestFactory.create(ProbeModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });
  afterAll(() => app.close());

  const call = async (route: string, token?: string) => {
    const response = await fetch(`${base}/${route}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return {
      status: response.status,
      auth: response.headers.get('www-authenticate'),
      body: (await response.json()) as Record<string, unknown>,
    };
  };

  it('passes a client token and hands the principal to the handler', async () => {
    expect(await call('client', client)).toMatchObject({
      status: 200,
      body: { kind: 'client', clientId: 'one-stop', communes: ['22657'] },
    });
  });

  it('answers 401 problems with a reason for a missing, foreign or expired token', async () => {
    expect(await call('client')).toMatchObject({
      status: 401,
      auth: 'Bearer error="invalid_token"',
      body: { statusCode: 401, message: 'an Authorization: Bearer token is required' },
    });
    const foreign = signJwt(
      { iss: 'lienthong-development', aud: 'lienthong', sub: 'x', kind: 'client', communes: ['22657'], exp: 4e9 },
      generateKeyPairSync('ed25519').privateKey,
    );
    expect(await call('client', foreign)).toMatchObject({
      status: 401,
      body: { message: 'the signature does not verify' },
    });
    const expired = issueDevelopmentToken(
      { client: 'one-stop', communes: ['22657'] },
      { now: new Date(Date.now() - 86_400_000), ttlSec: 60 },
    );
    expect(await call('client', expired)).toMatchObject({ status: 401, body: { message: 'the token has expired' } });
  });

  it('keeps workers and intake systems to their own endpoints (403)', async () => {
    expect((await call('client', approver)).status).toBe(403);
    expect((await call('approve', client)).status).toBe(403);
  });

  it('enforces the roles of a worker endpoint', async () => {
    expect(await call('approve', officer)).toMatchObject({
      status: 403,
      body: { message: 'this action needs the role approver or supervisor' },
    });
    expect(await call('approve', approver)).toMatchObject({ status: 200, body: { userId: 'u2', branch: 'KH-01' } });
  });
});
