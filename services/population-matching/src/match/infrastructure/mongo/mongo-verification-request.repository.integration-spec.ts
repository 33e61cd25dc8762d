import { newId } from '@lienthong/kernel';
import { connectMongo } from '@lienthong/persistence';
import type { Connection } from 'mongoose';
import { completeRound, type PersonResult, type VerificationRequest } from '../../domain/verification-request';
import { MongoLookupLog, MongoVerificationRequestRepository } from './mongo-verification-request.repository';

const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

function request(code: string): VerificationRequest {
  return {
    dossierCode: code,
    communeCode: '22657',
    matchId: code,
    state: 'AWAITING_REGISTRY',
    persons: [
      {
        role: 'APPLICANT',
        fullName: 'Nguyễn Văn An',
        personalIdNumber: '056080001234',
        dateOfBirth: '1980-03-15',
        gender: 'MALE',
      },
    ],
    requestedAt: new Date().toISOString(),
    intakeSequence: 1,
    round: 1,
    version: 0,
    correlationId: 'c',
    causationId: 'e1',
  };
}

const review: PersonResult = {
  verdict: 'NEEDS_REVIEW',
  score: 0.86,
  mismatchedFields: ['gender'],
  evidence: { number: { field: 'personalIdNumber', outcome: 'EXACT' } },
  reasons: ['SCORE_BETWEEN_THRESHOLDS'],
  checkedAt: new Date().toISOString(),
};

describe('MongoVerificationRequestRepository (real FerretDB/MongoDB)', () => {
  let connection: Connection;
  let repository: MongoVerificationRequestRepository;

  beforeAll(async () => {
    connection = await connectMongo({ url: mongoUrl, dbName: 'population_matching_it' });
    repository = new MongoVerificationRequestRepository(connection);
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('creates once, marks pending, saves a round with its events under the version check, lists reviews', async () => {
    const code = `IT-${newId()}`;
    expect(await repository.createIfAbsent(request(code))).toBe(true);
    expect(await repository.createIfAbsent(request(code))).toBe(false);

    await repository.markPending(code, 1, new Date('2026-12-01T01:00:00Z'));
    const pending = (await repository.find(code))!;
    expect(pending).toMatchObject({ state: 'IDENTITY_PENDING', pendingSince: '2026-12-01T01:00:00.000Z' });

    const { request: next } = completeRound(pending, new Map([[0, review]]), new Date());
    const events = [
      { event: { id: 'ev1', time: new Date().toISOString() } },
      { event: { id: 'ev2', time: new Date().toISOString() } },
    ];
    expect(await repository.save(next, 0, events)).toBe(true);
    // The same version again (a concurrent writer that read before us) is refused.
    expect(await repository.save(next, 0, events)).toBe(false);
    const saved = (await repository.find(code))!;
    expect(saved).toMatchObject({ state: 'COMPLETED', version: 2, completedRound: 1 });
    expect(saved.pendingSince).toBeUndefined();
    expect(saved.persons[0]!.result!.verdict).toBe('NEEDS_REVIEW');
    const raw = await repository.requests.findOne({ _id: code });
    expect(raw!.outbox).toHaveLength(2);

    const reviews = await repository.needingReview(1000);
    expect(reviews.map((r) => r.dossierCode)).toContain(code);

    // A supplement starts round 3; a stale round-1 save is refused after it.
    expect(await repository.startRound(code, 3, 'e3')).toBe(true);
    expect(await repository.startRound(code, 3, 'e3')).toBe(false);
    expect(await repository.save({ ...next, version: 3 }, 2, [])).toBe(false);
    expect((await repository.find(code))!).toMatchObject({ round: 3, state: 'AWAITING_REGISTRY' });
  });

  it('keeps a lookup log readable by purpose', async () => {
    const log = new MongoLookupLog(connection);
    const purpose = `IT-${newId()}`;
    await log.record({
      purpose,
      caller: 'population-matching',
      at: '2026-12-01T01:00:00.000Z',
      durationMs: 12,
      persons: 2,
      maskedIds: ['0560******34'],
      outcome: 'UNAVAILABLE',
    });
    await log.record({
      purpose,
      caller: 'population-matching',
      at: '2026-12-01T01:00:05.000Z',
      durationMs: 40,
      persons: 2,
      maskedIds: ['0560******34'],
      outcome: 'ANSWERED',
    });
    expect((await log.forPurpose(purpose)).map((e) => e.outcome)).toEqual(['UNAVAILABLE', 'ANSWERED']);
  });
});
