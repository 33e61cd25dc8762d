import { validateEvent } from '@lienthong/event-contracts';
import { FixedClock, ValidationError } from '@lienthong/kernel';
import { ClientEventsRelay, ClientRepository, type ClientSettings } from '../domain/client.ports';
import { webhookUrlProblems } from '../domain/webhook-subscription';
import { SubscribeWebhookHandler } from './subscribe-webhook.handler';

class InMemoryClients extends ClientRepository {
  readonly rows = new Map<string, { settings: ClientSettings; outbox: unknown[] }>();
  override find(clientId: string): Promise<ClientSettings | null> {
    return Promise.resolve(structuredClone(this.rows.get(clientId)?.settings ?? null));
  }
  override save(settings: ClientSettings, expectedVersion: number, outbox: readonly unknown[]): Promise<boolean> {
    const row = this.rows.get(settings.clientId);
    if ((row?.settings.version ?? 0) !== expectedVersion) return Promise.resolve(false);
    this.rows.set(settings.clientId, {
      settings: structuredClone(settings),
      outbox: [...(row?.outbox ?? []), ...outbox],
    });
    return Promise.resolve(true);
  }
}

class RecordingRelay extends ClientEventsRelay {
  readonly relayed: string[] = [];
  override relay(clientId: string): Promise<number> {
    this.relayed.push(clientId);
    return Promise.resolve(1);
  }
}

describe('SubscribeWebhookHandler', () => {
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  let clients: InMemoryClients;
  let relay: RecordingRelay;
  const handler = (allowPrivateHosts = false) =>
    new SubscribeWebhookHandler(clients, relay, { allowPrivateHosts }, clock);

  beforeEach(() => {
    clients = new InMemoryClients();
    relay = new RecordingRelay();
  });

  it('stores the webhook and announces client.webhook-subscribed, keyed by the client, per the contract', async () => {
    const subscription = await handler().execute('one-stop-khanh-hoa', { url: 'https://motcua.example.vn/hooks' });
    expect(subscription.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const events = clients.rows
      .get('one-stop-khanh-hoa')!
      .outbox.map(
        (e) => JSON.parse(JSON.stringify((e as { event: unknown }).event)) as { subject: string; data: unknown },
      );
    expect(events).toHaveLength(1);
    expect(validateEvent(events[0])).toEqual([]);
    expect(events[0]).toMatchObject({ subject: 'one-stop-khanh-hoa', sequence: 1, data: subscription });
    expect(relay.relayed).toEqual(['one-stop-khanh-hoa']);
  });

  it('replaces the webhook with a given secret; the next event has the next sequence; reads never show it', async () => {
    await handler().execute('c1', { url: 'https://a.example.vn/h' });
    const secret = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
    await handler().execute('c1', { url: 'https://b.example.vn/h', secret });
    const outbox = clients.rows.get('c1')!.outbox as { event: { sequence: number; data: { secret: string } } }[];
    expect(outbox.map((e) => e.event.sequence)).toEqual([1, 2]);
    expect(outbox[1]!.event.data.secret).toBe(secret);
    expect(await handler().current('c1')).toEqual({
      clientId: 'c1',
      url: 'https://b.example.vn/h',
      subscribedAt: '2026-11-20T02:00:00.000Z',
    });
    expect(await handler().current('nobody')).toBeNull();
  });

  it('refuses plain http and private hosts unless the deployment allows them (development), storing nothing', async () => {
    for (const url of ['http://motcua.example.vn/h', 'https://127.0.0.1/h', 'https://10.1.2.3/h', 'ftp://x.vn/h']) {
      await expect(handler().execute('c2', { url })).rejects.toBeInstanceOf(ValidationError);
    }
    expect(clients.rows.size).toBe(0);
    await expect(handler(true).execute('c2', { url: 'http://127.0.0.1:3105/hooks' })).resolves.toMatchObject({
      url: 'http://127.0.0.1:3105/hooks',
    });
  });

  it('names each problem of a URL', () => {
    expect(webhookUrlProblems('not a url', false).map((p) => p.code)).toEqual(['INVALID_URL']);
    expect(webhookUrlProblems('https://u:p@x.example.vn/#f', false).map((p) => p.code)).toEqual([
      'CREDENTIALS_IN_URL',
      'FRAGMENT_IN_URL',
    ]);
    expect(webhookUrlProblems('http://192.168.1.5/h', false).map((p) => p.code)).toEqual([
      'PRIVATE_HOST',
      'HTTPS_REQUIRED',
    ]);
    expect(webhookUrlProblems('http://public.example.vn/h', true).map((p) => p.code)).toEqual(['HTTPS_REQUIRED']);
    expect(webhookUrlProblems('https://[::1]/h', false).map((p) => p.code)).toEqual(['PRIVATE_HOST']);
  });

  it('allows, in development, loopback hosts only: other private and internal hosts stay refused', () => {
    expect(webhookUrlProblems('http://127.0.0.1:4010/h', true)).toEqual([]);
    expect(webhookUrlProblems('http://localhost:4010/h', true)).toEqual([]);
    expect(webhookUrlProblems('http://[::1]:4010/h', true)).toEqual([]);
    for (const url of [
      'http://10.0.0.5/h',
      'https://192.168.1.5/h',
      'http://169.254.169.254/',
      'https://svc.internal/h',
    ]) {
      expect(webhookUrlProblems(url, true).map((p) => p.code)).toContain('PRIVATE_HOST');
    }
  });
});
