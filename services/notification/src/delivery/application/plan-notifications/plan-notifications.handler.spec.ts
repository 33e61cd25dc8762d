import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EventEnvelope } from '@lienthong/messaging';
import {
  DeliveryQueue,
  DeliveryRepository,
  DirectoryRepository,
  type DeliveryJob,
  type DeliveryLogEntry,
  type DeliveryStatus,
  type Notice,
} from '../../domain/delivery.ports';
import type { DossierContacts, WebhookSubscription } from '../../domain/status-change';
import { PlanNotificationsHandler } from './plan-notifications.handler';

class Directory extends DirectoryRepository {
  saveContacts(): Promise<void> {
    return Promise.resolve();
  }
  findContacts(dossierCode: string): Promise<DossierContacts | null> {
    return Promise.resolve({
      dossierCode,
      procedureCode: '1.013831',
      clientId: 'one-stop-khanh-hoa',
      applicant: { fullName: 'Nguyễn Văn An', phone: '0905123456', email: 'an.nguyen@example.vn' },
    });
  }
  saveSubscription(): Promise<boolean> {
    return Promise.resolve(true);
  }
  findSubscription(clientId: string): Promise<WebhookSubscription | null> {
    return Promise.resolve({
      clientId,
      url: 'https://intake.example.vn/hook',
      secret: 'whsec_x',
    } as WebhookSubscription);
  }
}

class Repo extends DeliveryRepository {
  readonly notices: Notice[] = [];
  saveNotice(n: Notice): Promise<Notice> {
    this.notices.push(n);
    return Promise.resolve(n);
  }
  findNotice(eventId: string): Promise<Notice | null> {
    return Promise.resolve(this.notices.find((n) => n.eventId === eventId) ?? null);
  }
  findOutcome(): Promise<{ status: DeliveryStatus; attempts: number } | null> {
    return Promise.resolve(null);
  }
  recordAttempt(): Promise<boolean> {
    return Promise.resolve(false);
  }
  logOf(): Promise<DeliveryLogEntry[]> {
    return Promise.resolve([]);
  }
  noticesSince(): Promise<Notice[]> {
    return Promise.resolve([]);
  }
}

class Queue extends DeliveryQueue {
  readonly jobs: DeliveryJob[] = [];
  enqueue(jobs: DeliveryJob[]): Promise<void> {
    this.jobs.push(...jobs);
    return Promise.resolve();
  }
}

const golden = JSON.parse(
  readFileSync(
    path.resolve(__dirname, '../../../../../../contracts/events/examples/dossier-status-changed.v1.json'),
    'utf8',
  ),
) as EventEnvelope<Record<string, unknown>>;

describe('PlanNotificationsHandler', () => {
  const setUp = () => {
    const repo = new Repo();
    const queue = new Queue();
    return { repo, queue, handler: new PlanNotificationsHandler(new Directory(), repo, queue) };
  };

  it('tells the citizen and the intake system about a status change', async () => {
    const { repo, queue, handler } = setUp();
    expect(await handler.execute(golden)).toBeGreaterThan(1);
    expect(repo.notices[0]!.deliveries.map((d) => d.channel).sort()).toEqual(['EMAIL', 'SMS', 'WEBHOOK']);
    expect(queue.jobs.length).toBe(3);
  });

  it('sends nothing, no citizen message and no webhook, when the LRO opens a case imported from the backlog', async () => {
    const { repo, queue, handler } = setUp();
    const opened = {
      ...golden,
      id: '019ab1a4-2c10-7d5e-8f31-6a9c0b2d4e99',
      data: { ...golden.data, status: 'IN_PROGRESS', portalStatusCode: 4, previousStatus: 'RECEIVED', imported: true },
    };
    expect(await handler.execute(opened)).toBe(0);
    expect(repo.notices).toEqual([]);
    expect(queue.jobs).toEqual([]);
  });
});
