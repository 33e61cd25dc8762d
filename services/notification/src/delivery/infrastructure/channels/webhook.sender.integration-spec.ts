import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { startSandbox, type SandboxProcess } from '@lienthong/testing';
import { planDeliveries, type PlannedDelivery } from '../../domain/delivery';
import { DeliveryError } from '../../domain/delivery.ports';
import { DossierStatus, type WebhookSubscription } from '../../domain/status-change';
import type { Resolver } from '@lienthong/kernel';
import { TargetGuard } from '../http/target-guard';
import { WebhookSender } from './webhook.sender';

// Real sockets: a loopback canary counts every connection made to it, on IPv4 and IPv6.

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function webhookDelivery(eventId = '019ab1a4-2c10-7d5e-8f31-6a9c0b2d4e07'): PlannedDelivery {
  const [delivery] = planDeliveries(
    {
      eventId,
      dossierCode: '000.00.56.H42-261123-0001',
      procedureCode: '1.013831',
      receivingUnitCode: '22657',
      clientId: 'one-stop-khanh-hoa',
      status: DossierStatus.SupplementRequested,
      portalStatusCode: 5,
      dueAt: '2026-12-03T08:15:00+07:00',
      changedAt: '2026-11-25T10:40:00+07:00',
    },
    null,
    true,
  );
  return delivery!;
}

const subscription = (url: string): WebhookSubscription => ({
  clientId: 'one-stop-khanh-hoa',
  url,
  secret,
  subscribedAt: '2026-11-20T09:00:00+07:00',
  sequence: 1,
});

async function listen(server: Server | HttpServer, host: string): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as { port: number }).port;
}

describe('WebhookSender against internal targets (SSRF)', () => {
  let connections = 0;
  const sockets: Socket[] = [];
  const canary4 = createServer((socket) => {
    connections += 1;
    sockets.push(socket);
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  });
  const canary6 = createServer((socket) => {
    connections += 1;
    sockets.push(socket);
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  });
  let port = 0;
  let redirector: HttpServer;
  let redirectorPort = 0;

  beforeAll(async () => {
    port = await listen(canary4, '127.0.0.1');
    await new Promise<void>((resolve) => canary6.listen(port, '::1', resolve));
    redirector = createHttpServer((_request, response) => {
      response.writeHead(302, { location: `http://127.0.0.1:${port}/internal` });
      response.end('redirecting to an internal address');
    });
    redirectorPort = await listen(redirector, '127.0.0.1');
  });

  afterAll(async () => {
    sockets.forEach((s) => s.destroy());
    await Promise.all([canary4, canary6, redirector].map((s) => new Promise((resolve) => s.close(resolve))));
  });

  // A hostile DNS: names that resolve to loopback (as `localhost` does through the system resolver).
  const hostileResolver: Resolver = (hostname) => {
    const answers: Record<string, { address: string; family: number }[]> = {
      'loopback.attacker.test': [{ address: '127.0.0.1', family: 4 }],
      'mixed.attacker.test': [
        { address: '93.184.215.14', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
      'v6.attacker.test': [{ address: '::1', family: 6 }],
    };
    const answer = answers[hostname];
    return answer ? Promise.resolve(answer) : Promise.reject(new Error('ENOTFOUND'));
  };

  const internalTargets = (): string[] => [
    `http://127.0.0.1:${port}/`,
    `https://127.0.0.1:${port}/`,
    `http://127.0.0.2:${port}/`,
    `http://[::1]:${port}/`,
    `http://localhost:${port}/`,
    `http://loopback.attacker.test:${port}/`,
    `http://mixed.attacker.test:${port}/`,
    `http://v6.attacker.test:${port}/`,
    `http://2130706433:${port}/`,
    `http://0x7f000001:${port}/`,
    `http://0x7f.0x0.0x0.0x1:${port}/`,
    `http://0177.0.0.1:${port}/`,
    `http://127.1:${port}/`,
    `http://[::ffff:127.0.0.1]:${port}/`,
    `http://[::ffff:7f00:1]:${port}/`,
    `http://0.0.0.0:${port}/`,
    `http://[::]:${port}/`,
    `http://10.0.0.1:${port}/`,
    `http://172.16.5.4:${port}/`,
    `http://192.168.1.1:${port}/`,
    `http://100.64.0.1:${port}/`,
    'http://169.254.169.254/latest/meta-data/',
    `http://[fe80::1]:${port}/`,
    `http://[fc00::1]:${port}/`,
    `http://[64:ff9b::7f00:1]:${port}/`,
  ];

  it(`refuses ${internalTargets().length} internal targets before connecting: 0 connections reach the loopback canary`, async () => {
    const sender = new WebhookSender(new TargetGuard(false, hostileResolver), 2_000);
    const localhostSender = new WebhookSender(new TargetGuard(false), 2_000);
    const targets = internalTargets();
    expect(targets.length).toBeGreaterThanOrEqual(15);
    const codes: Record<string, string> = {};
    for (const url of targets) {
      const using = url.includes('localhost') ? localhostSender : sender;
      const error = await using.send(webhookDelivery(), subscription(url)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DeliveryError);
      codes[url] = (error as DeliveryError).code;
      expect((error as DeliveryError).permanent).toBe(true);
    }
    expect(Object.entries(codes).filter(([, code]) => code !== 'TARGET_FORBIDDEN')).toEqual([]);
    expect(connections).toBe(0);
  });

  it('does not follow a redirect to an internal address', async () => {
    // Private targets allowed, so the redirecting receiver itself is reached; its 302 must not be followed.
    const sender = new WebhookSender(new TargetGuard(true), 2_000);
    const error = await sender
      .send(webhookDelivery(), subscription(`http://127.0.0.1:${redirectorPort}/hooks`))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REDIRECT_REFUSED', permanent: true });
    expect((error as Error).message).not.toContain('redirecting');
    expect(connections).toBe(0);
  });

  it('refuses plain http and credentials in URLs when private targets are not allowed', async () => {
    const sender = new WebhookSender(new TargetGuard(false, hostileResolver), 2_000);
    await expect(sender.send(webhookDelivery(), subscription('http://93.184.215.14/hooks'))).rejects.toMatchObject({
      code: 'TARGET_SCHEME',
    });
    await expect(sender.send(webhookDelivery(), subscription('https://u:p@93.184.215.14/'))).rejects.toMatchObject({
      code: 'TARGET_CREDENTIALS',
    });
    await expect(sender.send(webhookDelivery(), subscription('ftp://93.184.215.14/'))).rejects.toMatchObject({
      code: 'TARGET_SCHEME',
    });
    expect(connections).toBe(0);
  });

  it('allows loopback only, never other private ranges, when private targets are allowed (development)', async () => {
    const sender = new WebhookSender(new TargetGuard(true, hostileResolver), 2_000);
    for (const url of [
      'http://10.0.0.5/hooks',
      'https://192.168.1.10/hooks',
      'http://169.254.169.254/latest/meta-data',
    ]) {
      await expect(sender.send(webhookDelivery(), subscription(url))).rejects.toMatchObject({
        code: 'TARGET_FORBIDDEN',
      });
    }
    expect(connections).toBe(0);
  });

  it('reaches the canary when private targets are allowed (the canary can see a connection)', async () => {
    const sender = new WebhookSender(new TargetGuard(true), 2_000);
    await expect(sender.send(webhookDelivery(), subscription(`http://127.0.0.1:${port}/`))).resolves.toEqual({
      provider: 'one-stop-khanh-hoa',
    });
    expect(connections).toBe(1);
    connections = 0;
  });
});

describe('WebhookSender signatures, checked with an independent Standard Webhooks implementation', () => {
  let receiver: SandboxProcess;
  beforeAll(async () => {
    receiver = await startSandbox('intake-webhook-receiver');
  });
  afterAll(async () => {
    await receiver.stop();
  });

  it('signs what the receiver gets; a tampered body fails verification', async () => {
    const sender = new WebhookSender(new TargetGuard(true), 2_000);
    const delivery = webhookDelivery();
    const receipt = await sender.send(delivery, subscription(`${receiver.url}/hooks/one-stop-khanh-hoa`));
    // The receiver's answer body is never surfaced.
    expect(JSON.stringify(receipt)).not.toContain('receiver-private-detail');
    const [received] = await receiver.messages('one-stop-khanh-hoa');
    expect(received!.headers['webhook-id']).toBe(delivery.deliveryId);

    const verifier = new Webhook(secret);
    expect(verifier.verify(received!.raw, received!.headers)).toEqual({
      type: 'dossier.status-changed',
      timestamp: '2026-11-25T10:40:00+07:00',
      data: expect.objectContaining({
        dossierCode: '000.00.56.H42-261123-0001',
        status: 'SUPPLEMENT_REQUESTED',
        portalStatusCode: 5,
        dueAt: '2026-12-03T08:15:00+07:00',
      }),
    });
    expect(() =>
      verifier.verify(received!.raw.replace('"portalStatusCode":5', '"portalStatusCode":9'), received!.headers),
    ).toThrow();
    expect(() =>
      new Webhook('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').verify(received!.raw, received!.headers),
    ).toThrow();
  });

  it('keeps the webhook-id across retries and fails on receiver errors and timeouts', async () => {
    const sender = new WebhookSender(new TargetGuard(true), 500);
    const delivery = webhookDelivery('019ab1a4-2c10-7d5e-8f31-000000000002');
    const url = `${receiver.url}/hooks/client-b`;
    await receiver.fault('client-b', { mode: 'fail', count: 1, status: 500 });
    await expect(sender.send(delivery, { ...subscription(url), clientId: 'client-b' })).rejects.toMatchObject({
      code: 'RECEIVER_ERROR',
      permanent: false,
    });
    await receiver.fault('client-b', { mode: 'timeout', count: 1 });
    await expect(sender.send(delivery, { ...subscription(url), clientId: 'client-b' })).rejects.toMatchObject({
      code: 'PROVIDER_TIMEOUT',
    });
    await sender.send(delivery, { ...subscription(url), clientId: 'client-b' });
    await sender.send(delivery, { ...subscription(url), clientId: 'client-b' });
    const records = await receiver.messages('client-b');
    expect(records.map((r) => [r.headers['webhook-id'], r.duplicates])).toEqual([[delivery.deliveryId, 1]]);
  });
});
