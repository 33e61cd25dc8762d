/* eslint-disable @typescript-eslint/require-await -- in-memory fakes of asynchronous ports */
import { validateEvent } from '@lienthong/event-contracts';
import { ConflictError, FixedClock, NotFoundError, ValidationError } from '@lienthong/kernel';
import { parseBirthDate } from '../domain/matching/birth-date';
import { defaultThresholds } from '../domain/matching/person-match';
import type { LookupPurpose, RegistryQuery, RegistryRecord } from '../domain/matching/registry-record';
import {
  LookupLog,
  type LookupLogEntry,
  MatchEventsRelay,
  PopulationRegistry,
  type RegistryAnswer,
  RegistryUnavailableError,
  VerificationRequests,
} from '../domain/match.ports';
import { type VerificationRequest, VerificationState } from '../domain/verification-request';
import { RecordDossierHandler } from './record-dossier.handler';
import { ResolveReviewHandler } from './resolve-review.handler';
import { VerifyDossierHandler } from './verify-dossier.handler';

class MemoryRequests extends VerificationRequests {
  readonly docs = new Map<string, { request: VerificationRequest; outbox: unknown[] }>();
  override async createIfAbsent(request: VerificationRequest) {
    if (this.docs.has(request.dossierCode)) return false;
    this.docs.set(request.dossierCode, { request: structuredClone(request), outbox: [] });
    return true;
  }
  override async find(code: string) {
    const doc = this.docs.get(code);
    return doc ? structuredClone(doc.request) : null;
  }
  override async startRound(code: string, sequence: number, causationId: string) {
    const doc = this.docs.get(code);
    if (!doc || doc.request.intakeSequence >= sequence) return false;
    Object.assign(doc.request, { intakeSequence: sequence, round: sequence, state: 'AWAITING_REGISTRY', causationId });
    return true;
  }
  override async markPending(code: string, round: number, since: Date) {
    const doc = this.docs.get(code);
    if (doc && doc.request.round === round && doc.request.state === 'AWAITING_REGISTRY') {
      Object.assign(doc.request, { state: VerificationState.IdentityPending, pendingSince: since.toISOString() });
    }
  }
  override async save(next: VerificationRequest, expectedVersion: number, outbox: readonly unknown[]) {
    const doc = this.docs.get(next.dossierCode);
    if (!doc || doc.request.version !== expectedVersion || doc.request.round !== next.round) return false;
    doc.request = structuredClone(next);
    doc.outbox.push(...outbox);
    return true;
  }
  override async needingReview() {
    return [];
  }
}

class FakeRegistry extends PopulationRegistry {
  readonly maxBatch = 100;
  down = false;
  calls: { queries: readonly RegistryQuery[]; purpose: LookupPurpose }[] = [];
  constructor(private readonly records: RegistryRecord[]) {
    super();
  }
  override async lookup(queries: readonly RegistryQuery[], purpose: LookupPurpose): Promise<RegistryAnswer[]> {
    this.calls.push({ queries, purpose });
    if (this.down) throw new RegistryUnavailableError('connection refused');
    return queries.map((q) => ({
      requestId: q.requestId,
      records: this.records.filter((r) => r.personalIdNumber === q.personalIdNumber),
    }));
  }
}

class MemoryLog extends LookupLog {
  entries: LookupLogEntry[] = [];
  override async record(entry: LookupLogEntry) {
    this.entries.push(entry);
  }
}

class CountingRelay extends MatchEventsRelay {
  relayed: string[] = [];
  override async relay(code: string) {
    this.relayed.push(code);
    return 1;
  }
}

const prefixes = { provinces: new Set(['056', '079']), countryRange: [101, 295] as const };
const an: RegistryRecord = {
  personalIdNumber: '056080001234',
  name: { ho: 'Nguyễn', chuDem: 'Văn', ten: 'An' },
  gender: 'MALE',
  dateOfBirth: parseBirthDate('19800315'),
};
const minh: RegistryRecord = {
  personalIdNumber: '079095007890',
  name: { ho: 'Lê', chuDem: 'Hoàng', ten: 'Minh' },
  gender: 'MALE',
  dateOfBirth: parseBirthDate('19951120'),
};
const code = '000.00.56.H42-261201-0001';
const submitted = {
  receivingUnitCode: '22657',
  applicant: { fullName: 'NGUYEN VAN AN', personalIdNumber: '056080001234', dateOfBirth: '1980-03-15', gender: 'MALE' },
  parties: [
    {
      role: 'TRANSFEROR',
      fullName: 'Nguyễn Văn An',
      personalIdNumber: '056080001234',
      dateOfBirth: '1980-03-15',
      gender: 'MALE',
    },
    {
      role: 'TRANSFEREE',
      fullName: 'Lê Hoàng Mình',
      personalIdNumber: '079095007890',
      dateOfBirth: '1995-11-20',
      gender: 'MALE',
    },
  ],
};

function setUp(more: RegistryRecord[] = []) {
  const requests = new MemoryRequests();
  const registry = new FakeRegistry([an, minh, ...more]);
  const log = new MemoryLog();
  const relay = new CountingRelay();
  const clock = new FixedClock(new Date('2026-12-01T02:00:00Z'));
  const scheduled: string[] = [];
  const health = {
    down: false,
    degraded() {
      return this.down;
    },
  };
  const recorder = new RecordDossierHandler(
    requests,
    { schedule: async (c: string, r: number) => void scheduled.push(`${c}#${r}`) },
    clock,
    health,
  );
  const verifier = new VerifyDossierHandler(
    requests,
    registry,
    log,
    relay,
    clock,
    prefixes,
    defaultThresholds,
    'population-matching',
  );
  return { requests, registry, log, relay, recorder, verifier, scheduled, health };
}

const facts = { dossierCode: code, sequence: 1, eventId: 'e1', correlationId: 'c1' };

describe('verifying a dossier against the registry', () => {
  it('looks every person up in one batch, stores verdicts with match.completed and review-required, logs the lookup', async () => {
    const { requests, registry, log, relay, recorder, verifier, scheduled } = setUp();
    await recorder.submitted(facts, submitted);
    expect(scheduled).toEqual([`${code}#1`]);
    expect(await verifier.verify(code, 1)).toBe('COMPLETED');
    expect(registry.calls).toHaveLength(1);
    expect(registry.calls[0]!.queries).toHaveLength(3);
    expect(registry.calls[0]!.purpose).toEqual({ purpose: code, caller: 'population-matching' });
    const doc = requests.docs.get(code)!;
    expect(doc.request.state).toBe('COMPLETED');
    expect(doc.request.persons.map((p) => p.result?.verdict)).toEqual(['MATCHED', 'MATCHED', 'NEEDS_REVIEW']);
    const events = doc.outbox.map((e) => (e as { event: { type: string; sequence: number; data: unknown } }).event);
    expect(events.map((e) => `${e.type}@${e.sequence}`)).toEqual(['match.completed@1', 'match.review-required@2']);
    expect(JSON.stringify(events)).not.toContain('056080001234');
    for (const event of events) expect(validateEvent(JSON.parse(JSON.stringify(event)))).toEqual([]);
    // Every verdict travels with its reasons, MATCHED included.
    const completed = events[0]!.data as { persons: { verdict: string; reasons: string[] }[] };
    expect(completed.persons.map((p) => p.reasons)).toEqual([
      ['ID_EXACT', 'NAME_DIACRITICS_ONLY', 'DOB_EXACT', 'GENDER_SAME'],
      ['ID_EXACT', 'NAME_EXACT', 'DOB_EXACT', 'GENDER_SAME'],
      expect.arrayContaining(['NAME_DIACRITICS_DIFFER']),
    ]);
    const review = events[1]!.data as { persons: { role: string; reasons: string[] }[] };
    expect(review.persons).toEqual([
      expect.objectContaining({ role: 'TRANSFEREE', reasons: completed.persons[2]!.reasons }),
    ]);
    expect(log.entries).toEqual([
      expect.objectContaining({ purpose: code, caller: 'population-matching', persons: 3, outcome: 'ANSWERED' }),
    ]);
    expect(log.entries[0]!.maskedIds).toEqual(['0560******34', '0560******34', '0790******90']);
    expect(relay.relayed).toEqual([code]);
  });

  it('sends a person whose day and month of birth are swapped to review, never MATCHED, with DOB_DAY_MONTH_SWAPPED', async () => {
    // The registry says 7 March 1980; the dossier says 3 July 1980.
    const { requests, recorder, verifier } = setUp([
      { ...an, personalIdNumber: '056080007777', dateOfBirth: { year: 1980, month: 3, day: 7 } },
    ]);
    await recorder.submitted(facts, {
      ...submitted,
      applicant: {
        ...submitted.applicant,
        fullName: 'Nguyễn Văn An',
        personalIdNumber: '056080007777',
        dateOfBirth: '1980-07-03',
      },
    });
    await verifier.verify(code, 1);
    const doc = requests.docs.get(code)!;
    expect(doc.request.persons[0]!.result).toMatchObject({
      verdict: 'NEEDS_REVIEW',
      mismatchedFields: ['dateOfBirth'],
      reasons: ['ID_EXACT', 'NAME_EXACT', 'DOB_DAY_MONTH_SWAPPED', 'GENDER_SAME', 'DISCREPANCY_NEEDS_REVIEW'],
    });
    const events = doc.outbox.map((e) => (e as { event: { type: string; data: unknown } }).event);
    expect(events.map((e) => e.type)).toEqual(['match.completed', 'match.review-required']);
    const persons = (events[0]!.data as { persons: { role: string; verdict: string; reasons: string[] }[] }).persons;
    expect(persons[0]).toMatchObject({ role: 'APPLICANT', verdict: 'NEEDS_REVIEW' });
    expect(persons[0]!.reasons).toContain('DOB_DAY_MONTH_SWAPPED');
  });

  it("keeps the communes of the dossier's land, once each, for the branch scope of the review (ADR 0008)", async () => {
    const { requests, recorder } = setUp();
    const parcel = {
      communeCode: '22525',
      mapSheetNumber: '21',
      parcelNumber: '88',
      areaM2: 310.5,
      landUseCode: 'ONT',
    };
    await recorder.submitted(facts, { ...submitted, parcels: [parcel, { ...parcel, parcelNumber: '89' }] });
    expect(requests.docs.get(code)!.request).toMatchObject({ communeCode: '22657', landCommuneCodes: ['22525'] });
  });

  it('does a round once: a redelivered job changes nothing', async () => {
    const { requests, registry, recorder, verifier } = setUp();
    await recorder.submitted(facts, submitted);
    await verifier.verify(code, 1);
    expect(await verifier.verify(code, 1)).toBe('SKIPPED');
    expect(registry.calls).toHaveLength(1);
    expect(requests.docs.get(code)!.outbox).toHaveLength(2);
  });

  it('marks the dossier identity pending while the registry is down, then completes when it is back', async () => {
    const { requests, registry, log, recorder, verifier } = setUp();
    await recorder.submitted(facts, submitted);
    registry.down = true;
    await expect(verifier.verify(code, 1)).rejects.toBeInstanceOf(RegistryUnavailableError);
    expect(requests.docs.get(code)!.request).toMatchObject({
      state: 'IDENTITY_PENDING',
      pendingSince: expect.any(String),
    });
    expect(log.entries.map((e) => e.outcome)).toEqual(['UNAVAILABLE']);
    registry.down = false;
    expect(await verifier.verify(code, 1)).toBe('COMPLETED');
    expect(requests.docs.get(code)!.request.state).toBe('COMPLETED');
    expect(requests.docs.get(code)!.request.pendingSince).toBeUndefined();
  });

  it('records a dossier identity pending from the start while the registry is known to be down', async () => {
    const { requests, recorder, health, scheduled } = setUp();
    health.down = true;
    await recorder.submitted(facts, submitted);
    expect(requests.docs.get(code)!.request).toMatchObject({
      state: 'IDENTITY_PENDING',
      pendingSince: expect.any(String),
    });
    expect(scheduled).toEqual([`${code}#1`]);
  });

  it('checks again, after a supplement, only the persons not matched', async () => {
    const { requests, registry, recorder, verifier, scheduled } = setUp();
    await recorder.submitted(facts, submitted);
    await verifier.verify(code, 1);
    await recorder.supplemented({ ...facts, sequence: 3, eventId: 'e3' });
    expect(scheduled).toEqual([`${code}#1`, `${code}#3`]);
    expect(await verifier.verify(code, 1)).toBe('SKIPPED');
    expect(await verifier.verify(code, 3)).toBe('COMPLETED');
    expect(registry.calls[1]!.queries.map((q) => q.personalIdNumber)).toEqual(['079095007890']);
    const events = requests.docs.get(code)!.outbox.map((e) => (e as { event: { sequence: number } }).event.sequence);
    expect(events).toEqual([1, 2, 3, 4]);
  });

  it('lets an officer of the branch resolve a review with match.resolved; others see nothing', async () => {
    const { requests, recorder, verifier, relay } = setUp();
    await recorder.submitted(facts, submitted);
    await verifier.verify(code, 1);
    const resolver = new ResolveReviewHandler(requests, relay, new FixedClock(new Date('2026-12-01T03:00:00Z')));
    const officer = { userId: 'officer-7', branch: 'KH-DIENKHANH', communes: new Set(['22651', '22657']) };
    const stranger = { userId: 'officer-9', branch: 'QT-HOANLAO', communes: new Set(['19111']) };
    const decision = { verdict: 'MATCHED', reason: 'Tên viết sai dấu (Minh/Mình), CCCD khớp.' };
    await expect(resolver.resolve(code, 2, decision, stranger)).rejects.toBeInstanceOf(NotFoundError);
    await expect(resolver.resolve(code, 2, { verdict: 'MAYBE', reason: '' }, officer)).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(resolver.resolve(code, 0, decision, officer)).rejects.toBeInstanceOf(ConflictError);
    await resolver.resolve(code, 2, decision, officer);
    await expect(resolver.resolve(code, 2, decision, officer)).rejects.toBeInstanceOf(ConflictError);
    const doc = requests.docs.get(code)!;
    expect(doc.request.persons[2]!.result!.resolution).toMatchObject({ verdict: 'MATCHED', userId: 'officer-7' });
    const resolved = (doc.outbox.at(-1) as { event: Record<string, unknown> }).event;
    expect(resolved).toMatchObject({ type: 'match.resolved', sequence: 3 });
    expect(validateEvent(JSON.parse(JSON.stringify(resolved)))).toEqual([]);
  });
});
