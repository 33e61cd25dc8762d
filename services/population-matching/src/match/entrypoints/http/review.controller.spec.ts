/* eslint-disable @typescript-eslint/require-await -- in-memory fakes of asynchronous ports */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthModule } from '@lienthong/auth';
import { validateEvent } from '@lienthong/event-contracts';
import { Clock, FixedClock } from '@lienthong/kernel';
import { createValidationPipe, ProblemDetailsFilter } from '@lienthong/runtime';
import { devToken } from '@lienthong/testing';
import { ResolveReviewHandler } from '../../application/resolve-review.handler';
import { MatchEventsRelay, VerificationRequests } from '../../domain/match.ports';
import type { PersonResult, VerificationRequest } from '../../domain/verification-request';
import { ReviewController } from './review.controller';
import { BRANCH_COMMUNES } from './reviewer';

// The review queue's HTTP surface as the service serves it (guards with the development keys, the validation pipe,
// problem details) over an in-memory store: who may list and resolve, what a resolution must carry, and that a
// refused request stores nothing and emits nothing.

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
  override async startRound() {
    return false;
  }
  override async markPending() {}
  override async save(next: VerificationRequest, expectedVersion: number, outbox: readonly unknown[]) {
    const doc = this.docs.get(next.dossierCode);
    if (!doc || doc.request.version !== expectedVersion) return false;
    doc.request = structuredClone(next);
    doc.outbox.push(...outbox);
    return true;
  }
  override async needingReview(limit: number) {
    return [...this.docs.values()]
      .map((d) => structuredClone(d.request))
      .filter((r) => r.state === 'COMPLETED' && r.persons.some((p) => p.result?.verdict === 'NEEDS_REVIEW'))
      .slice(0, limit);
  }
}

class CountingRelay extends MatchEventsRelay {
  readonly relayed: string[] = [];
  override async relay(code: string) {
    this.relayed.push(code);
    return 1;
  }
}

const result = (verdict: PersonResult['verdict'], score: number): PersonResult => ({
  verdict,
  score,
  mismatchedFields: verdict === 'MATCHED' ? [] : ['dateOfBirth'],
  evidence: { number: { field: 'personalIdNumber', outcome: 'EXACT' } },
  reasons:
    verdict === 'MATCHED'
      ? ['ID_EXACT', 'NAME_EXACT', 'DOB_EXACT', 'GENDER_SAME']
      : ['ID_EXACT', 'NAME_EXACT', 'DOB_DAY_DIFFERS', 'GENDER_SAME', 'SCORE_BETWEEN_THRESHOLDS'],
  checkedAt: '2026-12-01T02:00:00.000Z',
});

function request(code: string, communeCode: string): VerificationRequest {
  return {
    dossierCode: code,
    communeCode,
    matchId: code,
    state: 'COMPLETED',
    persons: [
      {
        role: 'APPLICANT',
        fullName: 'Lê Hoàng Minh',
        personalIdNumber: '079095007890',
        dateOfBirth: '1995-11-20',
        gender: 'MALE',
        result: result('MATCHED', 1),
      },
      {
        role: 'TRANSFEROR',
        fullName: 'Nguyễn Văn An',
        personalIdNumber: '056080001234',
        dateOfBirth: '1980-03-14',
        gender: 'MALE',
        result: result('NEEDS_REVIEW', 0.825),
      },
    ],
    requestedAt: '2026-12-01T01:59:00.000Z',
    intakeSequence: 1,
    round: 1,
    completedRound: 1,
    completedAt: '2026-12-01T02:00:00.000Z',
    version: 2,
    correlationId: 'corr-1',
    causationId: 'ev-1',
  };
}

const worker = (roles: ('officer' | 'approver' | 'supervisor')[], branch = 'KH-DIENKHANH', id = 'officer-7') => ({
  authorization: `Bearer ${devToken({ worker: id, branch, roles })}`,
});
const officer = worker(['officer']);
const reason = 'Ngày sinh ghi nhầm trên hồ sơ; đã đối chiếu bản chính căn cước.';

describe('ReviewController over HTTP', () => {
  let app: INestApplication;
  let baseUrl: string;
  let requests: MemoryRequests;
  let relay: CountingRelay;

  beforeEach(async () => {
    requests = new MemoryRequests();
    relay = new CountingRelay();
    await requests.createIfAbsent(request('000.00.56.H42-261201-0001', '22657'));
    await requests.createIfAbsent(request('000.00.51.H55-261201-0001', '21439'));

    @Module({
      imports: [AuthModule],
      controllers: [ReviewController],
      providers: [
        ResolveReviewHandler,
        { provide: VerificationRequests, useValue: requests },
        { provide: MatchEventsRelay, useValue: relay },
        { provide: Clock, useValue: new FixedClock(new Date('2026-12-01T03:00:00Z')) },
        {
          provide: BRANCH_COMMUNES,
          useValue: new Map([
            ['KH-DIENKHANH', new Set(['22651', '22657'])],
            ['KH-VANNINH', new Set(['22525'])],
            ['QNG-DUCPHO', new Set(['21439'])],
          ]),
        },
      ],
    })
    class ReviewHttpTestModule {}

    app = await NestFactory.create(ReviewHttpTestModule, { logger: false, abortOnError: false });
    // As bootstrapHybridService configures it.
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.listen(0, '127.0.0.1');
    const server = app.getHttpServer() as Server;
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await app.close();
  });

  const list = (headers: object) => fetch(`${baseUrl}/v1/reviews`, { headers: { ...headers } });
  const resolve = (code: string, index: string | number, headers: object, body: unknown) =>
    fetch(`${baseUrl}/v1/matches/${code}/persons/${index}/resolution`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const kh = '000.00.56.H42-261201-0001';

  /** Nothing was stored or emitted for the dossier. */
  function unchanged(code = kh): void {
    const doc = requests.docs.get(code)!;
    expect(doc.request.version).toBe(2);
    expect(doc.request.persons[1]!.result!.resolution).toBeUndefined();
    expect(doc.outbox).toEqual([]);
    expect(relay.relayed).toEqual([]);
  }

  it("lists the branch's persons awaiting review, numbers masked, to officers and supervisors", async () => {
    for (const headers of [officer, worker(['supervisor'])]) {
      const response = await list(headers);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).not.toContain('056080001234');
      expect(text).not.toContain('079095007890');
      expect(JSON.parse(text)).toEqual({
        items: [
          {
            dossierCode: kh,
            index: 1,
            role: 'TRANSFEROR',
            fullName: 'Nguyễn Văn An',
            maskedPersonalId: '0560******34',
            mismatchedFields: ['dateOfBirth'],
            reasons: ['ID_EXACT', 'NAME_EXACT', 'DOB_DAY_DIFFERS', 'GENDER_SAME', 'SCORE_BETWEEN_THRESHOLDS'],
            score: 0.825,
            checkedAt: '2026-12-01T02:00:00.000Z',
          },
        ],
      });
    }
    // Another branch sees its own dossier only.
    const other = (await (await list(worker(['officer'], 'QNG-DUCPHO'))).json()) as {
      items: { dossierCode: string }[];
    };
    expect(other.items.map((i) => i.dossierCode)).toEqual(['000.00.51.H55-261201-0001']);
    // A branch the service does not know sees nothing.
    expect(await (await list(worker(['officer'], 'XX-NOWHERE'))).json()).toEqual({ items: [] });
  });

  it('refuses the queue without a worker token (401), to intake systems and to approvers (403)', async () => {
    const anonymous = await list({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    const client = { authorization: `Bearer ${devToken({ client: 'one-stop', communes: ['22657'] })}` };
    expect((await list(client)).status).toBe(403);
    expect((await list(worker(['approver']))).status).toBe(403);
  });

  it('lets only officers resolve (401, 403 for approvers, supervisors and intake systems)', async () => {
    const body = { verdict: 'MATCHED', reason };
    expect((await resolve(kh, 1, {}, body)).status).toBe(401);
    expect((await resolve(kh, 1, worker(['approver']), body)).status).toBe(403);
    expect((await resolve(kh, 1, worker(['supervisor', 'approver']), body)).status).toBe(403);
    const client = { authorization: `Bearer ${devToken({ client: 'one-stop', communes: ['22657'] })}` };
    expect((await resolve(kh, 1, client, body)).status).toBe(403);
    unchanged();
  });

  it.each([
    ['no reason', { verdict: 'MATCHED' }, 'reason'],
    ['an empty reason', { verdict: 'MATCHED', reason: '' }, 'reason'],
    ['a reason of blanks', { verdict: 'MATCHED', reason: '   ' }, 'reason'],
    ['a reason over 1,000 characters', { verdict: 'MATCHED', reason: 'x'.repeat(1001) }, 'reason'],
    ['a reason that is not text', { verdict: 'MATCHED', reason: 42 }, 'reason'],
    ['no verdict', { reason }, 'verdict'],
    ['a verdict other than MATCHED or MISMATCH', { verdict: 'NEEDS_REVIEW', reason }, 'verdict'],
    ['an unknown field', { verdict: 'MATCHED', reason, personalIdNumber: '056080001234' }, 'personalIdNumber'],
  ])('refuses a resolution with %s (400, field named, nothing stored)', async (_name, body, field) => {
    const response = await resolve(kh, 1, officer, body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const text = await response.text();
    expect(text).not.toContain('056080001234');
    expect((JSON.parse(text) as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
    unchanged();
  });

  it('refuses a person index that is not a number (400) and one the dossier lacks (404)', async () => {
    expect((await resolve(kh, 'first', officer, { verdict: 'MATCHED', reason })).status).toBe(400);
    expect((await resolve(kh, 5, officer, { verdict: 'MATCHED', reason })).status).toBe(404);
    unchanged();
  });

  it("answers 404 for another branch's dossier and for an unknown one, as if neither existed", async () => {
    const body = { verdict: 'MATCHED', reason };
    const foreign = await resolve(kh, 1, worker(['officer'], 'QNG-DUCPHO'), body);
    const unknown = await resolve('000.00.56.H42-261201-0999', 1, officer, body);
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    unchanged();
  });

  it('resolves with 204 and match.resolved, removes the person from the queue, and refuses a second time (409)', async () => {
    expect((await resolve(kh, 0, officer, { verdict: 'MATCHED', reason })).status).toBe(409);
    unchanged();

    const response = await resolve(kh, 1, officer, { verdict: 'MISMATCH', reason: `  ${reason}  ` });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    const doc = requests.docs.get(kh)!;
    expect(doc.request.version).toBe(3);
    expect(doc.request.persons[1]!.result!.resolution).toEqual({
      verdict: 'MISMATCH',
      reason,
      userId: 'officer-7',
      unitCode: 'KH-DIENKHANH',
      at: '2026-12-01T03:00:00.000Z',
    });
    expect(doc.outbox).toHaveLength(1);
    const event = (doc.outbox[0] as { event: Record<string, unknown> }).event;
    expect(event).toMatchObject({
      type: 'match.resolved',
      subject: kh,
      sequence: 3,
      correlationId: 'corr-1',
      data: {
        dossierCode: kh,
        role: 'TRANSFEROR',
        maskedPersonalId: '0560******34',
        verdict: 'MISMATCH',
        resolvedBy: { unitCode: 'KH-DIENKHANH', userId: 'officer-7' },
        note: reason,
        reasons: ['ID_EXACT', 'NAME_EXACT', 'DOB_DAY_DIFFERS', 'GENDER_SAME', 'SCORE_BETWEEN_THRESHOLDS'],
      },
    });
    expect(validateEvent(JSON.parse(JSON.stringify(event)))).toEqual([]);
    expect(JSON.stringify(event)).not.toContain('056080001234');
    expect(relay.relayed).toEqual([kh]);

    expect(await (await list(officer)).json()).toEqual({ items: [] });
    const again = await resolve(kh, 1, officer, { verdict: 'MATCHED', reason });
    expect(again.status).toBe(409);
    expect(requests.docs.get(kh)!.outbox).toHaveLength(1);
  });

  it('gives a dossier to the branch of its land: received at 22657 for land in 22525, reviewed by KH-VANNINH (ADR 0008)', async () => {
    const code = '000.00.56.H42-261201-0002';
    await requests.createIfAbsent({ ...request(code, '22657'), landCommuneCodes: ['22525'] });
    const vanNinh = worker(['officer'], 'KH-VANNINH', 'officer-vn');
    const listed = (await (await list(vanNinh)).json()) as { items: { dossierCode: string }[] };
    expect(listed.items.map((i) => i.dossierCode)).toEqual([code]);
    const atDienKhanh = (await (await list(officer)).json()) as { items: { dossierCode: string }[] };
    expect(atDienKhanh.items.map((i) => i.dossierCode)).not.toContain(code);

    expect((await resolve(code, 1, officer, { verdict: 'MATCHED', reason })).status).toBe(404);
    expect((await resolve(code, 1, vanNinh, { verdict: 'MATCHED', reason })).status).toBe(204);
    expect(requests.docs.get(code)!.request.persons[1]!.result!.resolution).toMatchObject({ unitCode: 'KH-VANNINH' });
  });
});
