import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { Topics } from '@lienthong/messaging';
import { type ServiceProcess, waitFor, type SandboxProcess } from '@lienthong/testing';
import { intakeAuth, dossierBody } from '../support/dossier-body';
import {
  consumerLag,
  notificationDossierGroup,
  startNotificationStack,
  type NotificationStack,
} from '../support/notification-stack';

// Black-box journey: intake, the LRO and notification as processes, with their own sandboxes of the SMS gateway,
// Zalo ZNS, SMTP and the intake system's webhook receiver. The intake system registers its webhook at intake; a
// dossier is submitted; the citizen gets the receipt by Zalo ZNS and e-mail, the intake system gets signed
// webhooks for RECEIVED and then IN_PROGRESS, and the delivery log shows it all.

const root = path.resolve(__dirname, '../..');
const logDir = path.join(root, '.cache/run/journey-logs');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const env = { OTEL_TRACES_EXPORTER: 'none' };
// A delivery queue of the journey's own, removed at the end.
const queueName = `notification.deliveries-journey-${randomUUID().slice(0, 8)}`;

const lag = (topic: string) => consumerLag(brokers, topic, notificationDossierGroup);

describe('the citizen and the intake system hear about a dossier', () => {
  let sms: SandboxProcess;
  let zalo: SandboxProcess;
  let smtp: SandboxProcess & { smtpPort?: number };
  let hooks: SandboxProcess;
  let intake: ServiceProcess;
  let notification: ServiceProcess;
  let stack: NotificationStack;

  beforeAll(async () => {
    stack = await startNotificationStack({
      root,
      logDir,
      env,
      queueName,
      ports: { intake: 3201, office: 3202, notification: 3204 },
    });
    ({ sms, zalo, smtp, hooks, intake, notification } = stack);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('sends the receipt by Zalo and e-mail, and signed RECEIVED and IN_PROGRESS webhooks', async () => {
    // Events earlier runs left on intake's topics (the group is shared) are consumed first.
    await waitFor(async () => (await lag(Topics.DossierEvents)) + (await lag(Topics.ClientEvents)) === 0, {
      timeoutMs: 240_000,
      intervalMs: 1_000,
      description: 'notification to catch up with earlier events',
    });
    const auth = intakeAuth();
    const subscribed = await fetch(`${intake.baseUrl}/v1/subscriptions/webhook`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ url: `${hooks.url}/hooks/test-intake` }),
    });
    expect(subscribed.status).toBe(200);
    const { secret } = (await subscribed.json()) as { secret: string };
    // The subscription travels on its own topic: wait until notification has stored it.
    await waitFor(async () => (await lag(Topics.ClientEvents)) === 0, {
      timeoutMs: 30_000,
      intervalMs: 250,
      description: 'notification to consume the webhook subscription',
    });

    const body = dossierBody('journey-notification', `BN-${randomUUID()}`);
    const applicant = { ...(body.applicant as object), phone: '0905123456', email: 'an.nguyen@example.vn' };
    const submitted = await fetch(`${intake.baseUrl}/v1/dossiers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...auth },
      body: JSON.stringify({ ...body, applicant }),
    });
    expect(submitted.status).toBe(201);
    const { dossierCode } = (await submitted.json()) as { dossierCode: string };

    const webhooks = await waitFor(
      async () => {
        const received = (await hooks.messages('test-intake')).filter((m) => m.raw.includes(dossierCode));
        return received.length >= 2 ? received : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'RECEIVED and IN_PROGRESS webhooks' },
    );
    const verifier = new Webhook(secret);
    const statuses = webhooks.map((m) => {
      const payload = verifier.verify(m.raw, m.headers) as { data: { status: string; portalStatusCode: number } };
      return [payload.data.status, payload.data.portalStatusCode];
    });
    expect(statuses.sort()).toEqual([
      ['IN_PROGRESS', 4],
      ['RECEIVED', 2],
    ]);
    expect(() => verifier.verify(webhooks[0]!.raw.replace(dossierCode, 'X'), webhooks[0]!.headers)).toThrow();

    const [zaloMessage] = await waitFor(async () => {
      const found = (await zalo.messages()).filter((m) => m.raw.includes(dossierCode));
      return found.length > 0 ? found : undefined;
    });
    expect(zaloMessage!.body).toMatchObject({ phone: '84905123456', template_id: 'lienthong-received-v1' });
    const [mail] = await waitFor(async () => {
      const found = (await smtp.messages()).filter((m) => String(m.body.subject).includes(dossierCode));
      return found.length > 0 ? found : undefined;
    });
    expect(mail!.body).toMatchObject({ to: ['an.nguyen@example.vn'] });
    // Initials only: no name, no identification number.
    expect(String(mail!.body.text)).toContain('N.V.A.');
    expect(mail!.raw).not.toContain('056080001234');
    expect(mail!.raw).not.toContain('Nguyễn Văn An');
    // "In progress" is for the intake system; the citizen gets no SMS about it.
    expect((await sms.messages()).filter((m) => m.raw.includes(dossierCode))).toEqual([]);

    const log = await waitFor(
      async () => {
        const response = await fetch(`${notification.baseUrl}/v1/dossiers/${dossierCode}/deliveries`, {
          headers: auth,
        });
        if (response.status !== 200) return undefined;
        const entries = ((await response.json()) as { deliveries: { channel: string; status: string }[] }).deliveries;
        return entries.length === 4 && entries.every((e) => e.status === 'SENT') ? entries : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'four sent deliveries in the log' },
    );
    expect(log.map((e) => e.channel).sort()).toEqual(['EMAIL', 'WEBHOOK', 'WEBHOOK', 'ZALO']);
  }, 400_000);
});
