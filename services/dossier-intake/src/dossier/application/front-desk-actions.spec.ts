import path from 'node:path';
import { validateEvent } from '@lienthong/event-contracts';
import {
  canonicalHash,
  ConflictError,
  FixedClock,
  IdempotencyMismatchError,
  NotFoundError,
  ValidationError,
} from '@lienthong/kernel';
import { loadReferenceData } from '@lienthong/statutory-clock';
import { receiveDossier, type Dossier } from '../domain/dossier';
import { applyCaseFact } from '../domain/dossier-lifecycle';
import { InMemoryDossierRepository } from '../infrastructure/in-memory/in-memory-dossier.repository';
import { InMemoryRequestKeys } from '../infrastructure/in-memory/in-memory-request-keys';
import { ReferenceDataSchedule } from '../infrastructure/reference-data/reference-data-schedule';
import { AnswerSupplementHandler } from './answer-supplement/answer-supplement.handler';
import { DossierChanges } from './change-dossier/dossier-changes';
import { DossierEventsRelay } from './dossier-events-relay';
import { GetDossierHandler } from './get-dossier/get-dossier.handler';
import { decodeCursor, ListDossiersHandler } from './list-dossiers/list-dossiers.handler';
import { idempotent } from './request-keys/idempotent';
import { WithdrawDossierHandler } from './withdraw-dossier/withdraw-dossier.handler';

const schedule = new ReferenceDataSchedule(loadReferenceData(path.resolve(__dirname, '../../../../..')));
const clock = new FixedClock(new Date('2026-11-27T02:00:00Z'));
const ours = { clientId: 'one-stop-khanh-hoa', communes: ['22657'] };
const theirs = { clientId: 'one-stop-other', communes: ['21439'] };

class NoRelay extends DossierEventsRelay {
  override relay = () => Promise.resolve(0);
}

function dossier(code: string, commune = '22657', receivedAt = '2026-11-23T08:15:00+07:00'): Dossier {
  const person = { fullName: 'Nguyễn Văn An', personalIdNumber: '056080001234', dateOfBirth: '1980-03-15' };
  return receiveDossier(
    {
      procedureCode: '1.013831',
      caseCode: 'TRANSFER',
      receivingUnitCode: commune,
      channel: 'DIRECT',
      receivedAt,
      externalReference: { system: 'one-stop', id: code },
      applicant: { ...person, gender: 'MALE' },
      parties: [{ ...person, gender: 'MALE', role: 'TRANSFEROR' }],
      parcels: [{ communeCode: commune, mapSheetNumber: '12', parcelNumber: '345', areaM2: 120.5, landUseCode: 'ONT' }],
    },
    code,
    ours.clientId,
    new Date('2026-11-23T01:15:02Z'),
    { dueAt: '2026-12-03T08:15:00+07:00', timeLimit: { unit: 'WORKING_DAY', amount: 8 } },
  ).dossier;
}

/** The dossier as it is once the LRO asked for the mortgagee's consent (supplement request 1). */
function awaitingSupplement(code: string): Dossier {
  const inProgress = applyCaseFact(dossier(code), {
    type: 'case.received',
    sequence: 1,
    time: '2026-11-23T02:00:00Z',
    data: {},
  })!.dossier;
  return applyCaseFact(inProgress, {
    type: 'case.supplement-requested',
    sequence: 2,
    time: '2026-11-25T03:00:00Z',
    data: {
      portalStatusCode: 5,
      supplementRequestNumber: 1,
      reason: 'Thiếu văn bản đồng ý',
      missingDocuments: [{ componentCode: 'MORTGAGEE_CONSENT', name: 'Văn bản đồng ý của bên nhận thế chấp' }],
      dueAt: '2026-12-07T17:00:00+07:00',
    },
  })!.dossier;
}

const wire = (repository: InMemoryDossierRepository, code: string) =>
  repository
    .eventsOf(code)
    .map((e) => JSON.parse(JSON.stringify(e)) as { type: string; data: Record<string, unknown> });

describe('front-desk actions', () => {
  let dossiers: InMemoryDossierRepository;
  let changes: DossierChanges;

  beforeEach(() => {
    dossiers = new InMemoryDossierRepository();
    changes = new DossierChanges(dossiers, new NoRelay(), clock);
  });

  describe('answering a supplement request', () => {
    it('hands in the documents: back IN_PROGRESS, dossier.supplemented for the LRO with catalogue names', async () => {
      await dossiers.insert(awaitingSupplement('D-1'), []);
      const handler = new AnswerSupplementHandler(changes, schedule, clock);
      const after = await handler.execute(
        { dossierCode: 'D-1', supplementRequestNumber: 1, documents: [{ kind: 'MORTGAGEE_CONSENT' }] },
        ours,
      );
      expect(after.status).toBe('IN_PROGRESS');
      expect(after.supplementRequest).toBeUndefined();
      expect(after.answeredSupplementRequests).toEqual([1]);
      const events = wire(dossiers, 'D-1');
      expect(events.map((e) => e.type)).toEqual(['dossier.supplemented', 'dossier.status-changed']);
      for (const event of events) expect(validateEvent(event)).toEqual([]);
      expect(events[0]!.data).toMatchObject({
        supplementRequestNumber: 1,
        documents: [
          { componentCode: 'MORTGAGEE_CONSENT', name: 'Văn bản của bên nhận thế chấp đồng ý việc chuyển quyền' },
        ],
      });
      expect(events[1]!.data).toMatchObject({ previousStatus: 'SUPPLEMENT_REQUESTED', status: 'IN_PROGRESS' });
    });

    it('refuses without an open request (409), another request number (409), an unknown kind (400)', async () => {
      await dossiers.insert(dossier('D-2'), []);
      await dossiers.insert(awaitingSupplement('D-3'), []);
      const handler = new AnswerSupplementHandler(changes, schedule, clock);
      const docs = [{ kind: 'MORTGAGEE_CONSENT' }];
      await expect(handler.execute({ dossierCode: 'D-2', documents: docs }, ours)).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(
        handler.execute({ dossierCode: 'D-3', supplementRequestNumber: 2, documents: docs }, ours),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(
        handler.execute({ dossierCode: 'D-3', documents: [{ kind: 'NO_SUCH_KIND' }] }, ours),
      ).rejects.toBeInstanceOf(ValidationError);
      expect(wire(dossiers, 'D-2')).toEqual([]);
      expect(wire(dossiers, 'D-3')).toEqual([]);
    });
  });

  describe('withdrawal', () => {
    it('moves an active dossier to WITHDRAWAL_REQUESTED (7) and tells the LRO with the reason', async () => {
      await dossiers.insert(dossier('D-4'), []);
      const after = await new WithdrawDossierHandler(changes, clock).execute('D-4', 'Người dân xin rút', ours);
      expect(after.status).toBe('WITHDRAWAL_REQUESTED');
      const events = wire(dossiers, 'D-4');
      expect(events.map((e) => e.type)).toEqual(['dossier.withdrawn', 'dossier.status-changed']);
      for (const event of events) expect(validateEvent(event)).toEqual([]);
      expect(events[1]!.data).toMatchObject({
        status: 'WITHDRAWAL_REQUESTED',
        portalStatusCode: 7,
        reason: 'Người dân xin rút',
      });
    });

    it('refuses a second withdrawal, as an illegal state change (409)', async () => {
      await dossiers.insert(dossier('D-5'), []);
      const handler = new WithdrawDossierHandler(changes, clock);
      await handler.execute('D-5', 'r', ours);
      await expect(handler.execute('D-5', 'r', ours)).rejects.toBeInstanceOf(ConflictError);
    });
  });

  describe("another commune's dossier is absent (404) for reading, listing and changing", () => {
    it('holds for get, list, supplement and withdrawal, and nothing changes', async () => {
      await dossiers.insert(awaitingSupplement('D-6'), []);
      await expect(new GetDossierHandler(dossiers).execute('D-6', theirs)).rejects.toBeInstanceOf(NotFoundError);
      const list = new ListDossiersHandler(dossiers, clock);
      expect((await list.execute({ limit: 10 }, theirs)).items).toEqual([]);
      await expect(list.execute({ limit: 10, communeCode: '22657' }, theirs)).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        new AnswerSupplementHandler(changes, schedule, clock).execute(
          { dossierCode: 'D-6', documents: [{ kind: 'MORTGAGEE_CONSENT' }] },
          theirs,
        ),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(new WithdrawDossierHandler(changes, clock).execute('D-6', 'r', theirs)).rejects.toBeInstanceOf(
        NotFoundError,
      );
      expect((await dossiers.findByCode('D-6'))!.status).toBe('SUPPLEMENT_REQUESTED');
      expect(await new GetDossierHandler(dossiers).execute('D-6', ours)).toMatchObject({ dossierCode: 'D-6' });
    });
  });

  describe('the list', () => {
    it('pages through the caller’s dossiers with an opaque cursor, and filters', async () => {
      for (let i = 1; i <= 5; i += 1)
        await dossiers.insert(dossier(`D-${i}0`, '22657', `2026-11-2${i}T08:00:00+07:00`), []);
      await dossiers.insert(dossier('D-99', '21439'), []);
      const list = new ListDossiersHandler(dossiers, clock);
      const first = await list.execute({ limit: 2 }, ours);
      expect(first.items.map((d) => d.dossierCode)).toEqual(['D-10', 'D-20']);
      expect(first.next).not.toContain('D-');
      const second = await list.execute({ limit: 2, cursor: decodeCursor(first.next!) }, ours);
      expect(second.items.map((d) => d.dossierCode)).toEqual(['D-30', 'D-40']);
      const last = await list.execute({ limit: 2, cursor: decodeCursor(second.next!) }, ours);
      expect(last).toEqual({ items: [expect.objectContaining({ dossierCode: 'D-50' })] });
      const window = await list.execute(
        {
          limit: 10,
          receivedFrom: new Date('2026-11-22T00:00:00+07:00'),
          receivedTo: new Date('2026-11-24T00:00:00+07:00'),
        },
        ours,
      );
      expect(window.items.map((d) => d.dossierCode)).toEqual(['D-20', 'D-30']);
      // Due 3 Dec: not overdue on 27 Nov, overdue on 10 Dec.
      expect((await list.execute({ limit: 10, overdue: true }, ours)).items).toHaveLength(0);
      const later = new ListDossiersHandler(dossiers, new FixedClock(new Date('2026-12-10T00:00:00Z')));
      expect((await later.execute({ limit: 10, overdue: true }, ours)).items).toHaveLength(5);
    });
  });
});

describe('idempotent (supplements and withdrawal)', () => {
  it('runs once per key; the same body replays, another body is 422, a concurrent retry is 409', async () => {
    const keys = new InMemoryRequestKeys();
    let runs = 0;
    const work = () => {
      runs += 1;
      return Promise.resolve({ n: runs });
    };
    expect(await idempotent(keys, 's', 'k', { a: 1 }, work)).toEqual({ result: { n: 1 }, replayed: false });
    expect(await idempotent(keys, 's', 'k', { a: 1 }, work)).toEqual({ result: { n: 1 }, replayed: true });
    await expect(idempotent(keys, 's', 'k', { a: 2 }, work)).rejects.toBeInstanceOf(IdempotencyMismatchError);
    await keys.claim('s', 'busy', canonicalHash({ a: 1 })); // the first request with this key is still running
    const error = await idempotent(keys, 's', 'busy', { a: 1 }, work).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).retryAfterSeconds).toBe(1);
    expect(runs).toBe(1);
  });

  it('frees the key after a refused request, so the corrected retry runs', async () => {
    const keys = new InMemoryRequestKeys();
    await expect(
      idempotent(keys, 's', 'k', { a: 1 }, () => Promise.reject(new ConflictError('no'))),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await idempotent(keys, 's', 'k', { a: 1 }, () => Promise.resolve('ok'))).toEqual({
      result: 'ok',
      replayed: false,
    });
  });
});
