import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEventData } from '@lienthong/event-contracts';
import { FixedClock } from '@lienthong/kernel';
import { LookupScheduler, RegistryHealth, VerificationRequests } from '../domain/match.ports';
import type { VerificationRequest } from '../domain/verification-request';
import { RecordDossierHandler } from './record-dossier.handler';

class Requests extends VerificationRequests {
  readonly stored = new Map<string, VerificationRequest>();
  override createIfAbsent(request: VerificationRequest): Promise<boolean> {
    if (this.stored.has(request.dossierCode)) return Promise.resolve(false);
    this.stored.set(request.dossierCode, request);
    return Promise.resolve(true);
  }
  override find(code: string): Promise<VerificationRequest | null> {
    return Promise.resolve(this.stored.get(code) ?? null);
  }
  override startRound(): Promise<boolean> {
    return Promise.resolve(false);
  }
  override markPending(): Promise<void> {
    return Promise.resolve();
  }
  override save(): Promise<boolean> {
    return Promise.resolve(false);
  }
  override needingReview(): Promise<VerificationRequest[]> {
    return Promise.resolve([]);
  }
}

class Scheduler extends LookupScheduler {
  readonly scheduled: string[] = [];
  override schedule(code: string, round: number): Promise<void> {
    this.scheduled.push(`${code}#${round}`);
    return Promise.resolve();
  }
}

// The golden dossier.imported, as intake publishes it for an open backlog dossier.
const golden = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../../../contracts/events/examples/dossier-imported.v1.json'), 'utf8'),
) as { id: string; subject: string; correlationId: string; data: unknown };

describe('RecordDossierHandler.imported (dossier.imported)', () => {
  const setUp = () => {
    const requests = new Requests();
    const scheduler = new Scheduler();
    const health = new (class extends RegistryHealth {
      override degraded = () => false;
    })();
    const handler = new RecordDossierHandler(
      requests,
      scheduler,
      new FixedClock(new Date('2026-12-07T02:00:05Z')),
      health,
    );
    const facts = { dossierCode: golden.subject, sequence: 1, eventId: golden.id, correlationId: golden.correlationId };
    return { requests, scheduler, handler, facts };
  };

  it('spends no registry quota unless the import asked for verification', async () => {
    const { requests, scheduler, handler, facts } = setUp();
    const data = parseEventData('dossier.imported', golden.data);
    expect(data.identityVerification).toBe(false);
    expect(await handler.imported(facts, data)).toBe(false);
    expect(requests.stored.size).toBe(0);
    expect(scheduler.scheduled).toEqual([]);
  });

  it('verifies the persons like a submitted dossier’s when it did (verifyIdentities=true)', async () => {
    const { requests, scheduler, handler, facts } = setUp();
    const data = parseEventData('dossier.imported', { ...(golden.data as object), identityVerification: true });
    expect(await handler.imported(facts, data)).toBe(true);
    expect(requests.stored.get(golden.subject)).toMatchObject({ round: 1, landCommuneCodes: ['22525'] });
    expect(requests.stored.get(golden.subject)!.persons.length).toBe(3);
    expect(scheduler.scheduled).toEqual([`${golden.subject}#1`]);
  });
});
