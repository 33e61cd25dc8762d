import { canonicalHash, ConflictError, FixedClock, IdempotencyMismatchError, ValidationError } from '@lienthong/kernel';
import type { OutboxEntry } from '@lienthong/messaging';
import type { DossierSubmission } from '../../domain/dossier';
import type { SubmissionReservation } from '../../domain/dossier.ports';
import {
  InMemoryDossierCodeCounter,
  InMemoryDossierRepository,
} from '../../infrastructure/in-memory/in-memory-dossier.repository';
import { DossierEventsRelay } from '../dossier-events-relay';
import { type ReceivingAgencies } from '../receiving-agencies';
import { SubmitDossierCommand } from './submit-dossier.command';
import { SubmitDossierHandler } from './submit-dossier.handler';
import path from 'node:path';
import { loadReferenceData } from '@lienthong/statutory-clock';
import { ReferenceDataLookups } from '../../infrastructure/reference-data/reference-data-lookups';
import { ReferenceDataSchedule } from '../../infrastructure/reference-data/reference-data-schedule';

// The real catalogue and calendar (contracts/reference-data), read from the repository.
const referenceData = loadReferenceData(path.resolve(__dirname, '../../../../../..'));
const schedule = new ReferenceDataSchedule(referenceData);
const lookups = new ReferenceDataLookups(referenceData);

class InMemoryDossiers extends InMemoryDossierRepository {}

class InMemoryCounter extends InMemoryDossierCodeCounter {}

class RecordingRelay extends DossierEventsRelay {
  readonly relayed: string[] = [];
  fail = false;
  override relay(code: string): Promise<number> {
    if (this.fail) return Promise.reject(new Error('broker unavailable'));
    this.relayed.push(code);
    return Promise.resolve(1);
  }
}

const agencies: ReceivingAgencies = { agencyFor: (c) => (c === '22657' ? '000.00.56.H42' : undefined) };

function submission(overrides: Partial<DossierSubmission> = {}): DossierSubmission {
  const an = {
    fullName: 'Nguyễn Văn An',
    personalIdNumber: '056080001234',
    dateOfBirth: '1980-03-15',
    gender: 'MALE' as const,
  };
  return {
    procedureCode: '1.013831',
    caseCode: 'TRANSFER',
    receivingUnitCode: '22657',
    channel: 'DIRECT',
    receivedAt: '2026-11-23T08:15:00+07:00',
    externalReference: { system: 'one-stop-khanh-hoa', id: 'BN-2026-0001234' },
    applicant: an,
    parties: [
      { ...an, role: 'TRANSFEROR' },
      {
        fullName: 'Lê Hoàng Minh',
        personalIdNumber: '079095007890',
        dateOfBirth: '1995-11-20',
        gender: 'MALE',
        role: 'TRANSFEREE',
      },
    ],
    parcels: [{ communeCode: '22657', mapSheetNumber: '12', parcelNumber: '345', areaM2: 120.5, landUseCode: 'ONT' }],
    ...overrides,
  };
}

describe('SubmitDossierHandler', () => {
  let dossiers: InMemoryDossiers;
  let relay: RecordingRelay;
  let handler: SubmitDossierHandler;

  beforeEach(() => {
    dossiers = new InMemoryDossiers();
    relay = new RecordingRelay();
    handler = new SubmitDossierHandler(
      dossiers,
      new InMemoryCounter(),
      agencies,
      relay,
      schedule,
      new FixedClock(new Date('2026-11-23T02:00:00Z')),
      lookups,
    );
  });

  it('issues the code {agency}-{yyMMdd}-{NNNN} on the receipt day in Vietnam, stores the event and publishes it', async () => {
    const { result, replayed } = await handler.execute(new SubmitDossierCommand('client-a', 'k1', submission()));
    expect(replayed).toBe(false);
    expect(result).toEqual({
      dossierCode: '000.00.56.H42-261123-0001',
      status: 'RECEIVED',
      portalStatusCode: 2,
      receivedAt: '2026-11-23T08:15:00+07:00',
      // Transfer: 8 working days (Decree 151/2025), counted in working hours from 08:15.
      dueAt: '2026-12-03T08:15:00+07:00',
      timeLimit: { unit: 'WORKING_DAY', amount: 8 },
      links: { self: '/v1/dossiers/000.00.56.H42-261123-0001' },
    });
    const [stored] = dossiers.rows;
    const [entry] = stored!.outbox as OutboxEntry[];
    expect(entry!.event).toMatchObject({ type: 'dossier.submitted', subject: result.dossierCode, sequence: 1 });
    expect(entry!.event.data).not.toHaveProperty('externalReference');
    expect(relay.relayed).toEqual([result.dossierCode]);
  });

  it('numbers dossiers of one agency and day consecutively', async () => {
    await handler.execute(new SubmitDossierCommand('client-a', 'k1', submission()));
    const { result } = await handler.execute(
      new SubmitDossierCommand('client-a', 'k2', submission({ externalReference: { system: 's', id: '2' } })),
    );
    expect(result.dossierCode).toBe('000.00.56.H42-261123-0002');
  });

  it('uses the Vietnamese calendar day: 23:30 UTC is already the next day in Hà Nội', async () => {
    const { result } = await handler.execute(
      new SubmitDossierCommand('client-a', 'k1', submission({ receivedAt: '2026-11-22T23:30:00Z' })),
    );
    expect(result.dossierCode).toBe('000.00.56.H42-261123-0001');
  });

  it('replays the original answer for the same key and body, and stores nothing new', async () => {
    const first = await handler.execute(new SubmitDossierCommand('client-a', 'k1', submission()));
    const again = await handler.execute(new SubmitDossierCommand('client-a', 'k1', submission()));
    expect(again).toEqual({ result: first.result, replayed: true });
    expect(dossiers.rows).toHaveLength(1);
  });

  it('refuses the same key with a different body', async () => {
    await handler.execute(new SubmitDossierCommand('client-a', 'k1', submission()));
    await expect(
      handler.execute(new SubmitDossierCommand('client-a', 'k1', submission({ summary: 'changed' }))),
    ).rejects.toBeInstanceOf(IdempotencyMismatchError);
  });

  it('refuses a second dossier with the same external reference', async () => {
    await handler.execute(new SubmitDossierCommand('client-a', 'k1', submission()));
    await expect(handler.execute(new SubmitDossierCommand('client-a', 'k2', submission()))).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('refuses a procedure that is not in the catalogue, or a case the procedure does not have, storing nothing', async () => {
    for (const [overrides, code] of [
      [{ procedureCode: '1.999999' }, 'UNKNOWN_PROCEDURE'],
      [{ caseCode: 'LOTTERY_WIN' }, 'UNKNOWN_CASE'],
    ] as const) {
      const error = await handler
        .execute(new SubmitDossierCommand('client-a', `k-${code}`, submission(overrides)))
        .catch((e: unknown) => e);
      expect((error as ValidationError).errors.map((e) => e.code)).toEqual([code]);
    }
    expect(dossiers.rows).toHaveLength(0);
  });

  it('rejects an unknown receiving commune and a receipt time in the future, storing nothing', async () => {
    const error = await handler
      .execute(
        new SubmitDossierCommand(
          'client-a',
          'k1',
          submission({ receivingUnitCode: '99999', receivedAt: '2027-01-01T08:00:00+07:00' }),
        ),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors.map((e) => e.code)).toEqual(['UNKNOWN_COMMUNE', 'IN_THE_FUTURE']);
    // A real commune that is not a receiving unit of this deployment.
    const other = await handler
      .execute(new SubmitDossierCommand('client-a', 'k2', submission({ receivingUnitCode: '22651' })))
      .catch((e: unknown) => e);
    expect((other as ValidationError).errors.map((e) => e.code)).toEqual(['UNKNOWN_RECEIVING_UNIT']);
    expect(dossiers.rows).toHaveLength(0);
  });

  it('finishes, under the reserved code, a submission whose first attempt stopped before storing the dossier', async () => {
    const hash = canonicalHash(submission());
    await dossiers.reserve({
      clientId: 'client-a',
      idempotencyKey: 'k1',
      requestHash: hash,
      dossierCode: '000.00.56.H42-261123-0007',
    });
    const { result, replayed } = await handler.execute(new SubmitDossierCommand('client-a', 'k1', submission()));
    expect(replayed).toBe(false);
    expect(result.dossierCode).toBe('000.00.56.H42-261123-0007');
    expect(dossiers.rows).toHaveLength(1);
  });

  it('answers 409 in progress to a concurrent request with the same key while the first one is still issuing its code', async () => {
    const hash = canonicalHash(submission());
    class RacingDossiers extends InMemoryDossiers {
      private lookups = 0;
      // The first lookup misses; by the time this request reserves, a concurrent one with the same key has.
      override findReservation(clientId: string, key: string): Promise<SubmissionReservation | null> {
        this.lookups += 1;
        if (this.lookups === 1) return Promise.resolve(null);
        // The first request reserved the key a moment ago and is still issuing its number.
        return Promise.resolve({ clientId, idempotencyKey: key, requestHash: hash, reservedAt: new Date() });
      }
      override reserve(): Promise<boolean> {
        return Promise.resolve(false);
      }
    }
    const racing = new RacingDossiers();
    const contender = new SubmitDossierHandler(
      racing,
      new InMemoryCounter(),
      agencies,
      relay,
      schedule,
      new FixedClock(new Date('2026-11-23T02:00:00Z')),
      lookups,
    );
    contender.reservationWaitMs = 200;
    const error = await contender
      .execute(new SubmitDossierCommand('client-a', 'k1', submission()))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).retryAfterSeconds).toBe(1);
  });

  it('accepts the dossier even when the broker is down; the event stays in the outbox', async () => {
    relay.fail = true;
    const { result } = await handler.execute(new SubmitDossierCommand('client-a', 'k1', submission()));
    expect(result.status).toBe('RECEIVED');
    expect(dossiers.rows[0]!.outbox).toHaveLength(2);
  });
});
