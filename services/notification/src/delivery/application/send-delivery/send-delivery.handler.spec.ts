import { validateEvent } from '@lienthong/event-contracts';
import { ServiceMetrics } from '@lienthong/runtime';
import { planDeliveries, type Channel, type PlannedDelivery } from '../../domain/delivery';
import {
  ChannelSender,
  DeliveryError,
  type DeliveryEventsRelay,
  DeliveryRepository,
  DirectoryRepository,
  type AttemptRecord,
  type DeliveryLogEntry,
  type DeliveryStatus,
  type Notice,
  type SendReceipt,
} from '../../domain/delivery.ports';
import { DossierStatus, type DossierContacts, type WebhookSubscription } from '../../domain/status-change';
import { DeliveryMetrics } from '../delivery-metrics';
import { type ChannelSenders, SendDeliveryHandler } from './send-delivery.handler';

class MemoryDeliveries extends DeliveryRepository {
  readonly notices = new Map<string, Notice>();
  readonly outcomes = new Map<string, { status: DeliveryStatus; attempts: number; events: unknown[] }>();

  saveNotice(notice: Notice): Promise<Notice> {
    if (!this.notices.has(notice.eventId)) this.notices.set(notice.eventId, notice);
    return Promise.resolve(this.notices.get(notice.eventId)!);
  }
  findNotice(eventId: string): Promise<Notice | null> {
    return Promise.resolve(this.notices.get(eventId) ?? null);
  }
  findOutcome(deliveryId: string): Promise<{ status: DeliveryStatus; attempts: number } | null> {
    return Promise.resolve(this.outcomes.get(deliveryId) ?? null);
  }
  recordAttempt(_notice: Notice, delivery: PlannedDelivery, attempt: AttemptRecord, event: unknown): Promise<boolean> {
    const existing = this.outcomes.get(delivery.deliveryId);
    if (
      existing &&
      (existing.status === 'SENT' || existing.status === 'FAILED' || existing.attempts >= attempt.attempt)
    ) {
      return Promise.resolve(false);
    }
    this.outcomes.set(delivery.deliveryId, {
      status: attempt.status,
      attempts: attempt.attempt,
      events: [...(existing?.events ?? []), event],
    });
    return Promise.resolve(true);
  }
  logOf(): Promise<DeliveryLogEntry[]> {
    return Promise.resolve([]);
  }
  noticesSince(): Promise<Notice[]> {
    return Promise.resolve([...this.notices.values()]);
  }
}

class MemoryDirectory extends DirectoryRepository {
  subscription: WebhookSubscription | null = null;
  saveContacts(): Promise<void> {
    return Promise.resolve();
  }
  findContacts(): Promise<DossierContacts | null> {
    return Promise.resolve(null);
  }
  saveSubscription(): Promise<boolean> {
    return Promise.resolve(true);
  }
  findSubscription(): Promise<WebhookSubscription | null> {
    return Promise.resolve(this.subscription);
  }
}

/** A sender that answers from a script: a receipt, or a DeliveryError to throw. */
class ScriptedSender extends ChannelSender {
  readonly sent: PlannedDelivery[] = [];
  constructor(
    readonly channel: Channel,
    private readonly script: (SendReceipt | DeliveryError)[],
  ) {
    super();
  }
  send(delivery: PlannedDelivery): Promise<SendReceipt> {
    this.sent.push(delivery);
    const next = this.script.shift() ?? { provider: 'default' };
    return next instanceof DeliveryError ? Promise.reject(next) : Promise.resolve(next);
  }
}

const contacts: DossierContacts = {
  dossierCode: '000.00.56.H42-261123-0001',
  procedureCode: '1.013831',
  applicant: { fullName: 'Nguyễn Văn An', phone: '0905123456', email: 'an@example.vn' },
};

function setup(script: (SendReceipt | DeliveryError)[], channel: Channel = 'SMS') {
  const deliveries = new MemoryDeliveries();
  const directory = new MemoryDirectory();
  const sender = new ScriptedSender(channel, script);
  const relayed: string[] = [];
  const relay: DeliveryEventsRelay = { relay: (id) => (relayed.push(id), Promise.resolve(1)) };
  const metrics = new ServiceMetrics('notification');
  const handler = new SendDeliveryHandler(
    deliveries,
    directory,
    { all: [sender] } satisfies ChannelSenders,
    relay,
    new DeliveryMetrics(metrics),
  );
  const planned = planDeliveries(
    {
      eventId: '019ab1a4-2c10-7d5e-8f31-6a9c0b2d4e07',
      dossierCode: contacts.dossierCode,
      procedureCode: '1.013831',
      receivingUnitCode: '22657',
      clientId: 'one-stop-khanh-hoa',
      status: DossierStatus.SupplementRequested,
      portalStatusCode: 5,
      dueAt: '2026-12-03T08:15:00+07:00',
      changedAt: '2026-11-25T10:40:00+07:00',
    },
    contacts,
    true,
  );
  const notice: Notice = {
    eventId: planned[0]!.eventId,
    dossierCode: contacts.dossierCode,
    clientId: 'one-stop-khanh-hoa',
    plannedAt: '2026-11-25T03:40:05.000Z',
    deliveries: planned,
  };
  deliveries.notices.set(notice.eventId, notice);
  const delivery = planned.find((d) => d.channel === channel)!;
  const job = { deliveryId: delivery.deliveryId, eventId: notice.eventId, dossierCode: notice.dossierCode, channel };
  return { deliveries, directory, sender, relayed, metrics, handler, delivery, job };
}

const attempt = (n: number, max = 3) => ({ attempt: n, maxAttempts: max, nextDelayMs: 2_000 * 2 ** (n - 1) });

describe('SendDeliveryHandler', () => {
  it('sends, records the outcome with a valid delivery.sent event, and relays it', async () => {
    const { handler, deliveries, relayed, job, sender } = setup([{ provider: 'primary', providerMessageId: 'm1' }]);
    expect(await handler.execute(job, attempt(1))).toBe('sent');
    expect(sender.sent).toHaveLength(1);
    const outcome = deliveries.outcomes.get(job.deliveryId)!;
    expect(outcome.status).toBe('SENT');
    const [event] = outcome.events as Record<string, unknown>[];
    expect(validateEvent(JSON.parse(JSON.stringify(event)))).toEqual([]);
    expect(event).toMatchObject({ type: 'delivery.sent', subject: job.dossierCode, causationId: job.eventId });
    expect(event!.data).toMatchObject({ channel: 'SMS', recipient: '0905****56', attempt: 1 });
    expect(relayed).toEqual([job.deliveryId]);
  });

  it('never sends a settled delivery again (a job run twice after a crash)', async () => {
    const { handler, sender, job } = setup([{ provider: 'primary' }, { provider: 'primary' }]);
    await handler.execute(job, attempt(1));
    expect(await handler.execute(job, attempt(1))).toBe('settled');
    expect(sender.sent).toHaveLength(1);
  });

  it('retries transient failures and gives up after the last attempt, counting it', async () => {
    const failure = (): DeliveryError => new DeliveryError('PROVIDER_UNAVAILABLE', 'no SMS provider took it');
    const { handler, deliveries, job, metrics } = setup([failure(), failure(), failure()]);
    expect(await handler.execute(job, attempt(1))).toBe('retry');
    expect(await handler.execute(job, attempt(2))).toBe('retry');
    expect(await handler.execute(job, attempt(3))).toBe('failed');
    const outcome = deliveries.outcomes.get(job.deliveryId)!;
    expect(outcome.status).toBe('FAILED');
    const events = outcome.events as { type: string; data: Record<string, unknown> }[];
    for (const event of events) expect(validateEvent(JSON.parse(JSON.stringify(event)))).toEqual([]);
    expect(events.map((e) => [e.type, e.data.final, e.data.attempt, typeof e.data.nextAttemptAt])).toEqual([
      ['delivery.failed', false, 1, 'string'],
      ['delivery.failed', false, 2, 'string'],
      ['delivery.failed', true, 3, 'undefined'],
    ]);
    const text = (await metrics.scrape()).body;
    expect(text).toMatch(
      /lienthong_notification_deliveries_exhausted_total\{channel="SMS",code="PROVIDER_UNAVAILABLE"\} 1/,
    );
  });

  it('gives up at once on a failure no retry can fix', async () => {
    const { handler, deliveries, job } = setup([new DeliveryError('PROVIDER_REJECTED', 'rejected (400)', true)]);
    expect(await handler.execute(job, attempt(1, 8))).toBe('failed');
    expect(deliveries.outcomes.get(job.deliveryId)!.status).toBe('FAILED');
  });

  it('fails a webhook whose client has no subscription, without calling the sender', async () => {
    const { handler, sender, deliveries, job } = setup([], 'WEBHOOK');
    expect(await handler.execute(job, attempt(1))).toBe('failed');
    expect(sender.sent).toHaveLength(0);
    const [event] = deliveries.outcomes.get(job.deliveryId)!.events as { data: { error: { code: string } } }[];
    expect(event!.data.error.code).toBe('NO_SUBSCRIPTION');
  });
});
