import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { maskPersonalId } from '@lienthong/kernel';
import { Redis } from 'ioredis';
import { Topics } from '@lienthong/messaging';
import { KafkaTestConsumer, ServiceProcess, startSandbox, type SandboxProcess, waitFor } from '@lienthong/testing';
import { dossierBody, intakeAuth } from '../support/dossier-body';
import { officeAuth, operatorAuth } from '../support/office-auth';

// Black-box journey of issue 6's manual review queue: a dossier names a transferor whose registry record agrees on
// the number, the name and the gender but not on the day of birth, so population-matching cannot decide
// (NEEDS_REVIEW). The LRO case shows the person as such and approval is refused; an officer of the branch finds the
// person in `GET /v1/reviews` (number masked) and resolves it with a reason; `match.resolved` goes out on the match
// topic in the trace of that request, the case shows the resolution within seconds, and approval goes through.
// Other branches, workers without the officer role and resolutions without a reason are refused.
// Issue 13: a transferor whose day and month of birth are swapped against the registry (1985-03-07 / 1985-07-03)
// would score above the match threshold, yet is NEEDS_REVIEW with the reason `DOB_DAY_MONTH_SWAPPED`, and approval
// is refused until an officer resolves it; every verdict on the case carries its reason codes, MATCHED included.

const root = path.resolve(__dirname, '../..');
const logDir = path.join(root, '.cache/run/journey-logs');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const zipkin = `http://127.0.0.1:${process.env.ZIPKIN_PORT ?? '9411'}`;
const env = {
  OTEL_TRACES_EXPORTER: 'zipkin',
  OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${zipkin}/api/v2/spans`,
  OTEL_BSP_SCHEDULE_DELAY: '500',
};
// The lookup queue of this run under a key prefix of its own: the journey's dossier waits only behind what this
// instance picks up from the intake topic, not behind lookups other runs left in the shared queue.
const queuePrefix = `journey-review-${Date.now().toString(36)}`;
const intake = new ServiceProcess({ name: 'dossier-intake', port: 3201, root, logDir, env });
const office = new ServiceProcess({ name: 'registration-office', port: 3202, root, logDir, env });

const officer = officeAuth({ userId: 'journey-officer', roles: ['officer'] });
const approver = officeAuth({ userId: 'journey-approver', roles: ['approver'] });
const supervisor = officeAuth({ userId: 'journey-supervisor', roles: ['supervisor'] });
const foreignOfficer = officeAuth({ userId: 'other-officer', branch: 'QNG-DUCPHO', roles: ['officer'] });

/** A citizen as the sandbox generated them (`GET /admin/people/{index}`). */
interface Truth {
  personalIdNumber: string;
  family: string;
  middle: string;
  given: string;
  gender: 'MALE' | 'FEMALE';
  dateOfBirth: string;
  deceased: boolean;
  storedAs: string;
}

interface CasePerson {
  index: number;
  role: string;
  maskedPersonalId: string;
  verdict?: string;
  mismatchedFields?: string[];
  reasons?: string[];
  resolution?: { verdict: string; by: string; unitCode: string; at: string; reason: string };
}
interface CaseView {
  state: string;
  blockedPersons: number;
  persons: CasePerson[];
}
interface ReviewItem {
  dossierCode: string;
  index: number;
  role: string;
  fullName: string;
  maskedPersonalId: string;
  mismatchedFields: string[];
  reasons: string[];
  score: number;
}
interface ZipkinSpan {
  traceId: string;
  kind?: string;
  localEndpoint?: { serviceName?: string };
}

describe('the manual review queue of population matching, from the registry to the LRO case', () => {
  let sandbox: SandboxProcess;
  let matching: ServiceProcess;
  let matchEvents: KafkaTestConsumer;

  beforeAll(async () => {
    // A registry of the journey's own (same seeded population as the stack's), so no other suite's faults apply.
    sandbox = await startSandbox('population-registry');
    matching = new ServiceProcess({
      name: 'population-matching',
      port: 3203,
      root,
      logDir,
      env: { ...env, REGISTRY_URL: sandbox.url, LOOKUP_QUEUE_PREFIX: queuePrefix },
    });
    matchEvents = new KafkaTestConsumer(brokers, [Topics.MatchEvents]);
    await matchEvents.start();
    await Promise.all([intake.start(), office.start(), matching.start()]);
  }, 120_000);

  afterAll(async () => {
    await matchEvents?.stop();
    // Dossiers this instance took from the intake topic are looked up before it stops, so none is left waiting in a
    // queue nobody serves; then the queue's keys go.
    if (matching) {
      await waitFor(
        async () => {
          const status = await fetch(`${matching.baseUrl}/v1/registry/status`, { headers: operatorAuth() });
          return ((await status.json()) as { backlog: number }).backlog === 0;
        },
        { timeoutMs: 120_000, intervalMs: 500, description: 'the journey lookup queue to drain' },
      ).catch((error: unknown) => console.warn(String(error)));
    }
    await Promise.all([intake.stop(), office.stop(), matching?.stop()]);
    await sandbox?.stop();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    for await (const keys of redis.scanStream({ match: `${queuePrefix}:*`, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
    redis.disconnect();
  }, 180_000);

  /**
   * The first living person at or after `from` whose record the registry stores cleanly, born by 2000 (and meeting
   * `also`).
   */
  async function citizen(from: number, also: (t: Truth) => boolean = () => true): Promise<Truth & { index: number }> {
    for (let index = from; index < from + 500; index += 1) {
      const response = await fetch(`${sandbox.url}/admin/people/${index}`);
      const { truth } = (await response.json()) as { truth: Truth };
      if (!truth.deceased && truth.storedAs === 'CLEAN' && truth.dateOfBirth <= '2000-12-31' && also(truth))
        return { ...truth, index };
    }
    throw new Error(`no suitable person from ${from}`);
  }

  async function caseView(code: string): Promise<CaseView | undefined> {
    const response = await fetch(`${office.baseUrl}/v1/cases/${code}`, { headers: officer });
    return response.status === 200 ? ((await response.json()) as CaseView) : undefined;
  }

  async function act(code: string, auth: object, what: string, body: object = {}): Promise<Response> {
    return fetch(`${office.baseUrl}/v1/cases/${code}/${what}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...auth },
      body: JSON.stringify(body),
    });
  }

  async function step(code: string, auth: object, action: string, details?: object): Promise<void> {
    const response = await act(code, auth, 'transitions', { action, ...(details ? { details } : {}) });
    if (response.status !== 200) throw new Error(`${action} → ${response.status} ${await response.text()}`);
  }

  async function reviews(auth: object): Promise<Response> {
    return fetch(`${matching.baseUrl}/v1/reviews`, { headers: auth });
  }

  function resolve(code: string, index: number, auth: object, body: unknown, headers: object = {}) {
    return fetch(`${matching.baseUrl}/v1/matches/${code}/persons/${index}/resolution`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth, ...headers },
      body: JSON.stringify(body),
    });
  }

  it('NEEDS_REVIEW blocks approval until an officer of the branch resolves it with a reason', async () => {
    // The transferor's registry record agrees on everything but the day of birth (same month): score 0.825, between
    // the review and the match thresholds. The transferee, also the applicant, agrees on everything: MATCHED.
    const seller = await citizen(1_234_567);
    const buyer = await citizen(seller.index + 1);
    const [year, month, day] = seller.dateOfBirth.split('-') as [string, string, string];
    const typedDay = String(Number(day) === 1 ? 2 : Number(day) - 1).padStart(2, '0');
    const person = (t: Truth, dateOfBirth = t.dateOfBirth) => ({
      fullName: `${t.family} ${t.middle} ${t.given}`,
      personalIdNumber: t.personalIdNumber,
      dateOfBirth,
      gender: t.gender,
    });
    const body = dossierBody('journey-one-stop', `REVIEW-${randomUUID()}`, {
      applicant: person(buyer),
      parties: [
        { role: 'TRANSFEROR', ...person(seller, `${year}-${month}-${typedDay}`) },
        { role: 'TRANSFEREE', ...person(buyer) },
      ],
    });
    const submitted = await fetch(`${intake.baseUrl}/v1/dossiers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...intakeAuth() },
      body: JSON.stringify(body),
    });
    expect(submitted.status).toBe(201);
    const { dossierCode: code } = (await submitted.json()) as { dossierCode: string };
    const sellerMasked = maskPersonalId(seller.personalIdNumber);

    // The case shows the transferor NEEDS_REVIEW (a service that was down first catches up on what it missed).
    const since = Date.now();
    const waiting = await waitFor(
      async () => {
        const c = await caseView(code);
        return c && c.persons.every((p) => p.verdict !== undefined) ? c : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 500, description: `verdicts of ${code} on the LRO case` },
    );
    console.log(`verdicts visible on the LRO case ${Date.now() - since} ms after the submission`);
    expect(waiting.persons.map((p) => [p.role, p.verdict])).toEqual([
      ['APPLICANT', 'MATCHED'],
      ['TRANSFEROR', 'NEEDS_REVIEW'],
      ['TRANSFEREE', 'MATCHED'],
    ]);
    expect(waiting.persons[1]).toMatchObject({ maskedPersonalId: sellerMasked, mismatchedFields: ['dateOfBirth'] });
    expect(waiting.blockedPersons).toBe(1);

    // Up to approval: claim, review, tax referral, obligation met; the approver is refused while the person waits.
    expect((await act(code, officer, 'claim')).status).toBe(200);
    await step(code, officer, 'START_REVIEW');
    await step(code, officer, 'SEND_TO_TAX', { taxAuthorityCode: 'CCT-KH-DIENKHANH' });
    await step(code, officer, 'RECORD_OBLIGATION_MET', { taxNoticeNumber: 'TB-2026-0107', amount: 1_800_000 });
    const blocked = await act(code, approver, 'transitions', { action: 'APPROVE' });
    expect(blocked.status).toBe(409);
    const problem = (await blocked.json()) as { detail: string };
    expect(problem.detail).toContain('blocked by population matching');
    expect(problem.detail).toContain(`TRANSFEROR ${sellerMasked} (NEEDS_REVIEW)`);

    // The branch's officer sees the person in the review queue, the number masked, never in full.
    const listed = await reviews(officer);
    expect(listed.status).toBe(200);
    const text = await listed.text();
    expect(text).not.toContain(seller.personalIdNumber);
    expect(text).not.toContain(buyer.personalIdNumber);
    const items = (JSON.parse(text) as { items: ReviewItem[] }).items.filter((i) => i.dossierCode === code);
    expect(items).toEqual([
      expect.objectContaining({
        index: 1,
        role: 'TRANSFEROR',
        fullName: person(seller).fullName,
        maskedPersonalId: sellerMasked,
        mismatchedFields: ['dateOfBirth'],
        reasons: ['ID_EXACT', 'NAME_EXACT', 'DOB_DAY_DIFFERS', 'GENDER_SAME', 'SCORE_BETWEEN_THRESHOLDS'],
        score: 0.825,
      }),
    ]);
    // A supervisor may look at the queue too.
    const seen = (await (await reviews(supervisor)).json()) as { items: ReviewItem[] };
    expect(seen.items.some((i) => i.dossierCode === code)).toBe(true);

    const reason = 'Ngày sinh trên hồ sơ ghi nhầm ngày; đã đối chiếu bản chính căn cước của bên chuyển nhượng.';
    // Another branch does not see it and cannot resolve it; a worker without the officer role may do neither.
    const foreign = (await (await reviews(foreignOfficer)).json()) as { items: ReviewItem[] };
    expect(foreign.items.some((i) => i.dossierCode === code)).toBe(false);
    expect((await resolve(code, 1, foreignOfficer, { verdict: 'MATCHED', reason })).status).toBe(404);
    expect((await reviews(approver)).status).toBe(403);
    expect((await resolve(code, 1, approver, { verdict: 'MATCHED', reason })).status).toBe(403);
    expect((await resolve(code, 1, supervisor, { verdict: 'MATCHED', reason })).status).toBe(403);
    expect((await resolve(code, 1, {}, { verdict: 'MATCHED', reason })).status).toBe(401);
    // A resolution needs a verdict of MATCHED or MISMATCH and a reason.
    const noReason = await resolve(code, 1, officer, { verdict: 'MATCHED' });
    expect(noReason.status).toBe(400);
    expect(noReason.headers.get('content-type')).toContain('application/problem+json');
    expect(((await noReason.json()) as { errors: { field: string }[] }).errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'reason' })]),
    );
    expect((await resolve(code, 1, officer, { verdict: 'MATCHED', reason: '   ' })).status).toBe(400);
    expect((await resolve(code, 1, officer, { verdict: 'NOT_FOUND', reason })).status).toBe(400);
    // A person who is not awaiting review (the applicant, MATCHED) cannot be resolved; nor one the dossier lacks.
    expect((await resolve(code, 0, officer, { verdict: 'MATCHED', reason })).status).toBe(409);
    expect((await resolve(code, 7, officer, { verdict: 'MATCHED', reason })).status).toBe(404);
    // None of that changed anything.
    const untouched = (await (await fetch(`${matching.baseUrl}/v1/matches/${code}`, { headers: officer })).json()) as {
      persons: { resolution?: unknown; finalVerdict: string }[];
    };
    expect(untouched.persons.map((p) => p.finalVerdict)).toEqual(['MATCHED', 'NEEDS_REVIEW', 'MATCHED']);
    expect(untouched.persons.every((p) => p.resolution === undefined)).toBe(true);
    expect(matchEvents.messages.filter((m) => m.key === code && m.headers.ce_type === 'match.resolved')).toEqual([]);

    // The officer resolves it, in a trace of the caller's own.
    const traceId = randomBytes(16).toString('hex');
    const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
    const resolvedAt = Date.now();
    const resolved = await resolve(code, 1, officer, { verdict: 'MATCHED', reason }, { traceparent });
    expect(resolved.status).toBe(204);

    // match.resolved on the match topic, keyed by the dossier, in that trace and the dossier's correlation.
    const event = await matchEvents.waitForMessage(
      (m) => m.key === code && m.headers.ce_type === 'match.resolved',
      20_000,
      `match.resolved of ${code}`,
    );
    const completed = await matchEvents.waitForMessage(
      (m) => m.key === code && m.headers.ce_type === 'match.completed',
    );
    expect(event.headers.traceparent?.split('-')[1]).toBe(traceId);
    expect(event.value).toMatchObject({
      type: 'match.resolved',
      subject: code,
      data: {
        dossierCode: code,
        role: 'TRANSFEROR',
        maskedPersonalId: sellerMasked,
        verdict: 'MATCHED',
        resolvedBy: { unitCode: 'KH-DIENKHANH', userId: 'journey-officer' },
        note: reason,
      },
    });
    expect((event.value as { correlationId: string }).correlationId).toBe(
      (completed.value as { correlationId: string }).correlationId,
    );
    expect(JSON.stringify(event.value)).not.toContain(seller.personalIdNumber);

    // The LRO case shows the person resolved, with the officer's reason, and nothing blocks approval any more.
    const settled = await waitFor(
      async () => {
        const c = await caseView(code);
        return c?.persons[1]?.resolution ? c : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: `the resolution of ${code} on the LRO case` },
    );
    console.log(`resolution visible on the LRO case ${Date.now() - resolvedAt} ms after the request`);
    expect(settled.persons[1]).toMatchObject({
      role: 'TRANSFEROR',
      verdict: 'MATCHED',
      mismatchedFields: ['dateOfBirth'],
      resolution: { verdict: 'MATCHED', by: 'journey-officer', unitCode: 'KH-DIENKHANH', reason },
    });
    expect(settled.blockedPersons).toBe(0);

    // The queue no longer lists the person; a second resolution is a conflict; the approver can approve now.
    const after = (await (await reviews(officer)).json()) as { items: ReviewItem[] };
    expect(after.items.some((i) => i.dossierCode === code)).toBe(false);
    expect((await resolve(code, 1, officer, { verdict: 'MISMATCH', reason })).status).toBe(409);
    const approved = await act(code, approver, 'transitions', { action: 'APPROVE' });
    expect(approved.status).toBe(200);
    expect(((await approved.json()) as CaseView).state).toBe('APPROVED');
    expect(matchEvents.messages.filter((m) => m.key === code && m.headers.ce_type === 'match.resolved')).toHaveLength(
      1,
    );

    // One trace from the officer's request at population-matching to the LRO consuming match.resolved.
    await waitFor(
      async () => {
        const response = await fetch(`${zipkin}/api/v2/trace/${traceId}`);
        if (response.status !== 200) return undefined;
        const spans = (await response.json()) as ZipkinSpan[];
        const at = (service: string, kind: string) =>
          spans.some((s) => s.localEndpoint?.serviceName === service && s.kind === kind);
        return at('population-matching', 'SERVER') && at('registration-office', 'CONSUMER');
      },
      { timeoutMs: 30_000, intervalMs: 500, description: `trace ${traceId} from the resolution to the LRO consumer` },
    );
  }, 420_000);

  it('a day/month-swapped date of birth is NEEDS_REVIEW (DOB_DAY_MONTH_SWAPPED) and blocks approval until resolved', async () => {
    // A transferor born on a day that can be read as a month (day ≤ 12, not the month itself): the dossier gives the
    // date with day and month exchanged. Name, number and gender agree, so the score (0.93) reaches the match
    // threshold; the discrepancy alone must send the person to an officer.
    const seller = await citizen(1_334_567, (t) => {
      const [, m, d] = t.dateOfBirth.split('-');
      return Number(d) <= 12 && d !== m;
    });
    const buyer = await citizen(seller.index + 1);
    const [year, month, day] = seller.dateOfBirth.split('-') as [string, string, string];
    const person = (t: Truth, dateOfBirth = t.dateOfBirth) => ({
      fullName: `${t.family} ${t.middle} ${t.given}`,
      personalIdNumber: t.personalIdNumber,
      dateOfBirth,
      gender: t.gender,
    });
    const body = dossierBody('journey-one-stop', `SWAPPED-${randomUUID()}`, {
      applicant: person(buyer),
      parties: [
        { role: 'TRANSFEROR', ...person(seller, `${year}-${day}-${month}`) },
        { role: 'TRANSFEREE', ...person(buyer) },
      ],
    });
    const submitted = await fetch(`${intake.baseUrl}/v1/dossiers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...intakeAuth() },
      body: JSON.stringify(body),
    });
    expect(submitted.status).toBe(201);
    const { dossierCode: code } = (await submitted.json()) as { dossierCode: string };
    const sellerMasked = maskPersonalId(seller.personalIdNumber);
    const exact = ['ID_EXACT', 'NAME_EXACT', 'DOB_EXACT', 'GENDER_SAME'];
    const swapped = ['ID_EXACT', 'NAME_EXACT', 'DOB_DAY_MONTH_SWAPPED', 'GENDER_SAME', 'DISCREPANCY_NEEDS_REVIEW'];

    // The case shows the transferor NEEDS_REVIEW with the swap as its reason, and every verdict with its reasons.
    const waiting = await waitFor(
      async () => {
        const c = await caseView(code);
        return c && c.persons.every((p) => p.verdict !== undefined) ? c : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 500, description: `verdicts of ${code} on the LRO case` },
    );
    expect(waiting.persons.map((p) => [p.role, p.verdict, p.reasons])).toEqual([
      ['APPLICANT', 'MATCHED', exact],
      ['TRANSFEROR', 'NEEDS_REVIEW', swapped],
      ['TRANSFEREE', 'MATCHED', exact],
    ]);
    expect(waiting.persons[1]).toMatchObject({ maskedPersonalId: sellerMasked, mismatchedFields: ['dateOfBirth'] });
    expect(waiting.blockedPersons).toBe(1);
    // The events carried them: match.completed for everyone, match.review-required for the transferor.
    const completed = await matchEvents.waitForMessage(
      (m) => m.key === code && m.headers.ce_type === 'match.completed',
      20_000,
      `match.completed of ${code}`,
    );
    expect(
      (completed.value as { data: { persons: { reasons?: string[] }[] } }).data.persons.map((p) => p.reasons),
    ).toEqual([exact, swapped, exact]);
    const review = await matchEvents.waitForMessage(
      (m) => m.key === code && m.headers.ce_type === 'match.review-required',
      20_000,
      `match.review-required of ${code}`,
    );
    expect(review.value).toMatchObject({
      data: { persons: [{ role: 'TRANSFEROR', maskedPersonalId: sellerMasked, reasons: swapped }] },
    });

    // Approval is refused while the person waits.
    expect((await act(code, officer, 'claim')).status).toBe(200);
    await step(code, officer, 'START_REVIEW');
    await step(code, officer, 'SEND_TO_TAX', { taxAuthorityCode: 'CCT-KH-DIENKHANH' });
    await step(code, officer, 'RECORD_OBLIGATION_MET', { taxNoticeNumber: 'TB-2026-0108', amount: 1_800_000 });
    const blocked = await act(code, approver, 'transitions', { action: 'APPROVE' });
    expect(blocked.status).toBe(409);
    expect(((await blocked.json()) as { detail: string }).detail).toContain(
      `TRANSFEROR ${sellerMasked} (NEEDS_REVIEW)`,
    );

    // The officer finds the person in the queue with the reason, and resolves it.
    const items = ((await (await reviews(officer)).json()) as { items: ReviewItem[] }).items.filter(
      (i) => i.dossierCode === code,
    );
    expect(items).toEqual([
      expect.objectContaining({ index: 1, role: 'TRANSFEROR', mismatchedFields: ['dateOfBirth'], reasons: swapped }),
    ]);
    const reason = 'Ngày sinh trên hồ sơ ghi đảo ngày và tháng; đã đối chiếu bản chính căn cước của bên chuyển nhượng.';
    expect((await resolve(code, 1, officer, { verdict: 'MATCHED', reason })).status).toBe(204);
    const resolvedEvent = await matchEvents.waitForMessage(
      (m) => m.key === code && m.headers.ce_type === 'match.resolved',
      20_000,
      `match.resolved of ${code}`,
    );
    expect(resolvedEvent.value).toMatchObject({ data: { role: 'TRANSFEROR', verdict: 'MATCHED', reasons: swapped } });

    // The case shows the resolution next to the reasons it settled; approval goes through.
    const settled = await waitFor(
      async () => {
        const c = await caseView(code);
        return c?.persons[1]?.resolution ? c : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: `the resolution of ${code} on the LRO case` },
    );
    expect(settled.persons[1]).toMatchObject({
      verdict: 'MATCHED',
      mismatchedFields: ['dateOfBirth'],
      reasons: swapped,
      resolution: { verdict: 'MATCHED', by: 'journey-officer', reason },
    });
    expect(settled.blockedPersons).toBe(0);
    const approved = await act(code, approver, 'transitions', { action: 'APPROVE' });
    expect(approved.status).toBe(200);
    expect(((await approved.json()) as CaseView).state).toBe('APPROVED');
  }, 420_000);
});
