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
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadReferenceData } from '@lienthong/statutory-clock';
import { FsFileStore } from '@lienthong/file-store';
import { HttpDocumentSource } from '../../infrastructure/files/http-document-source';
import { ReferenceDataLookups } from '../../infrastructure/reference-data/reference-data-lookups';
import { ReferenceDataSchedule } from '../../infrastructure/reference-data/reference-data-schedule';

// The real catalogue and calendar (contracts/reference-data), read from the repository.
const referenceData = loadReferenceData(path.resolve(__dirname, '../../../../../..'));
const schedule = new ReferenceDataSchedule(referenceData);
const lookups = new ReferenceDataLookups(referenceData);

class InMemoryDossiers extends InMemoryDossierRepository {}

class InMemoryCounter extends InMemoryDossierCodeCounter {}

const files = new FsFileStore(path.join(tmpdir(), `intake-handler-${randomUUID()}`));
const noUrls = new HttpDocumentSource({ allowedHosts: new Set(), allowLoopbackHttp: false, timeoutMs: 1_000 });

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
  let counter: InMemoryCounter;
  let handler: SubmitDossierHandler;

  beforeEach(() => {
    dossiers = new InMemoryDossiers();
    relay = new RecordingRelay();
    counter = new InMemoryCounter();
    handler = new SubmitDossierHandler(
      dossiers,
      counter,
      agencies,
      relay,
      schedule,
      new FixedClock(new Date('2026-11-23T02:00:00Z')),
      lookups,
      files,
      noUrls,
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
      files,
      noUrls,
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
  describe('a dossier code the intake system issued itself (dossierCode)', () => {
    const given = (code: string, id: string, key = id) =>
      new SubmitDossierCommand('client-a', key, submission({ externalReference: { system: 's', id } }), {
        dossierCode: code,
      });
    const issued = (id: string) =>
      new SubmitDossierCommand('client-a', id, submission({ externalReference: { system: 's', id } }));

    it('keeps the code; the counter skips its number, so the day stays gap-free, issued and given together', async () => {
      expect((await handler.execute(issued('a'))).result.dossierCode).toBe('000.00.56.H42-261123-0001');
      const { result } = await handler.execute(given('000.00.56.H42-261123-0003', 'b'));
      expect(result.dossierCode).toBe('000.00.56.H42-261123-0003');
      expect(result.links.self).toBe('/v1/dossiers/000.00.56.H42-261123-0003');
      const next = [];
      for (const id of ['c', 'd', 'e']) next.push((await handler.execute(issued(id))).result.dossierCode);
      expect(next).toEqual(['000.00.56.H42-261123-0002', '000.00.56.H42-261123-0004', '000.00.56.H42-261123-0005']);
      const stored = dossiers.rows.find((r) => r.dossier.dossierCode === '000.00.56.H42-261123-0003')!;
      expect(stored.dossier.externalReference.id).toBe('b');
      expect(dossiers.eventsOf('000.00.56.H42-261123-0003')[0]).toMatchObject({ type: 'dossier.submitted' });
    });

    it('refuses a code another dossier has (409), claiming nothing for the request', async () => {
      await handler.execute(given('000.00.56.H42-261123-0002', 'b'));
      const error = await handler.execute(given('000.00.56.H42-261123-0002', 'c')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).message).toContain('already in use');
      expect(dossiers.rows).toHaveLength(1);
      expect(dossiers.references.has('client-a|s|c')).toBe(false);
      expect(dossiers.reservations.has('client-a|c')).toBe(false);
    });

    it('refuses a code whose number the counter already handed out, even if no dossier has it (409)', async () => {
      await counter.next('000.00.56.H42', '261123'); // a number issued to a request that then stopped
      const error = await handler.execute(given('000.00.56.H42-261123-0001', 'b')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(dossiers.rows).toHaveLength(0);
    });

    it.each([
      ['another agency', '000.00.51.H55-261123-0001', 'INVALID_DOSSIER_CODE'],
      ['number 0000', '000.00.56.H42-261123-0000', 'INVALID_DOSSIER_CODE'],
      ['not the receipt day', '000.00.56.H42-261122-0001', 'DOSSIER_CODE_DAY_MISMATCH'],
      ['not the national format', 'BN-2026-0001', 'INVALID_DOSSIER_CODE'],
    ])('refuses a code of %s as a field error, storing nothing', async (_name, code, expected) => {
      const error = await handler.execute(given(code, 'b')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors).toEqual([
        expect.objectContaining({ field: 'dossierCode', code: expected }),
      ]);
      expect(dossiers.rows).toHaveLength(0);
      expect(dossiers.reservations.size).toBe(0);
      expect((await handler.execute(issued('c'))).result.dossierCode).toBe('000.00.56.H42-261123-0001');
    });

    it('replays a retry with the same key and code; the same key with another code is 422', async () => {
      const first = await handler.execute(given('000.00.56.H42-261123-0009', 'b'));
      const again = await handler.execute(given('000.00.56.H42-261123-0009', 'b'));
      expect(again).toEqual({ result: first.result, replayed: true });
      const other = await handler.execute(given('000.00.56.H42-261123-0010', 'b')).catch((e: unknown) => e);
      expect(other).toBeInstanceOf(IdempotencyMismatchError);
      expect(dossiers.rows).toHaveLength(1);
    });

    it('hashes a receipt number that is both the external reference and the code as before (VBDLIS re-sends)', async () => {
      const receipt = '000.00.56.H42-261123-0006';
      const command = new SubmitDossierCommand(
        'client-a',
        `vbdlis-tiepnhan|${receipt}`,
        submission({ externalReference: { system: 'vbdlis-tiepnhan', id: receipt } }),
        { dossierCode: receipt },
      );
      await handler.execute(command);
      // Reservations stored before codes were hashed still match a re-send of the same receipt.
      expect(dossiers.reservations.get(`client-a|vbdlis-tiepnhan|${receipt}`)!.requestHash).toBe(
        canonicalHash(command.submission),
      );
      expect((await handler.execute(command)).replayed).toBe(true);
    });

    it("never replays another client's dossier that took the reserved code first", async () => {
      await handler.execute(given('000.00.56.H42-261123-0004', 'b'));
      const code = '000.00.56.H42-261123-0004';
      const command = new SubmitDossierCommand(
        'client-b',
        'k',
        submission({ externalReference: { system: 's', id: 'x' } }),
        {
          dossierCode: code,
        },
      );
      // client-b's first attempt reserved the code, then stopped before storing; client-a's dossier has it now.
      await dossiers.reserve({
        clientId: 'client-b',
        idempotencyKey: 'k',
        requestHash: canonicalHash({ ...command.submission, dossierCode: code }),
        dossierCode: code,
      });
      await expect(handler.execute(command)).rejects.toBeInstanceOf(ConflictError);
    });
  });
});
