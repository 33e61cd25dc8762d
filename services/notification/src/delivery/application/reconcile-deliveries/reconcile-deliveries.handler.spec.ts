import { planDeliveries } from '../../domain/delivery';
import {
  DeliveryQueue,
  DeliveryRepository,
  type DeliveryJob,
  type DeliveryLogEntry,
  type DeliveryStatus,
  type Notice,
} from '../../domain/delivery.ports';
import { DossierStatus } from '../../domain/status-change';
import { ReconcileDeliveriesHandler } from './reconcile-deliveries.handler';

class Repo extends DeliveryRepository {
  constructor(
    private readonly notices: Notice[],
    private readonly outcomes: Map<string, { status: DeliveryStatus; attempts: number }>,
  ) {
    super();
  }
  saveNotice(n: Notice): Promise<Notice> {
    return Promise.resolve(n);
  }
  findNotice(): Promise<Notice | null> {
    return Promise.resolve(null);
  }
  findOutcome(id: string): Promise<{ status: DeliveryStatus; attempts: number } | null> {
    return Promise.resolve(this.outcomes.get(id) ?? null);
  }
  recordAttempt(): Promise<boolean> {
    return Promise.resolve(false);
  }
  logOf(): Promise<DeliveryLogEntry[]> {
    return Promise.resolve([]);
  }
  noticesSince(since: Date): Promise<Notice[]> {
    return Promise.resolve(this.notices.filter((n) => Date.parse(n.plannedAt) >= since.getTime()));
  }
}

class Queue extends DeliveryQueue {
  readonly jobs: DeliveryJob[] = [];
  enqueue(jobs: DeliveryJob[]): Promise<void> {
    this.jobs.push(...jobs);
    return Promise.resolve();
  }
}

describe('ReconcileDeliveriesHandler', () => {
  it('re-queues recent deliveries that are neither sent nor given up, continuing their attempt count', async () => {
    const notice = (eventId: string, plannedAt: string): Notice => ({
      eventId,
      dossierCode: 'X-1',
      clientId: 'c1',
      plannedAt,
      deliveries: planDeliveries(
        {
          eventId,
          dossierCode: 'X-1',
          procedureCode: '1.013831',
          receivingUnitCode: '22657',
          clientId: 'c1',
          status: DossierStatus.SupplementRequested,
          portalStatusCode: 5,
          dueAt: '2026-12-03T08:15:00+07:00',
          changedAt: '2026-11-25T10:40:00+07:00',
        },
        {
          dossierCode: 'X-1',
          procedureCode: '1.013831',
          applicant: { fullName: 'A B', phone: '0905123456', email: 'a@b.vn' },
        },
        true,
      ),
    });
    const recent = notice('e-recent', '2026-11-25T03:00:00.000Z');
    const old = notice('e-old', '2026-11-20T03:00:00.000Z');
    const [webhook, sms, email] = recent.deliveries;
    const outcomes = new Map<string, { status: DeliveryStatus; attempts: number }>([
      [webhook!.deliveryId, { status: 'SENT', attempts: 1 }],
      [sms!.deliveryId, { status: 'RETRYING', attempts: 3 }],
    ]);
    const queue = new Queue();
    const handler = new ReconcileDeliveriesHandler(new Repo([recent, old], outcomes), queue);
    expect(await handler.execute(new Date('2026-11-24T03:00:00.000Z'))).toBe(2);
    expect(queue.jobs).toEqual([
      { deliveryId: sms!.deliveryId, eventId: 'e-recent', dossierCode: 'X-1', channel: 'SMS', priorAttempts: 3 },
      { deliveryId: email!.deliveryId, eventId: 'e-recent', dossierCode: 'X-1', channel: 'EMAIL' },
    ]);
  });
});
