import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Topics } from '@lienthong/messaging';
import { KafkaTestConsumer, ServiceProcess, waitFor } from '@lienthong/testing';
import { dossierBody, intakeAuth } from '../support/dossier-body';
import { officeAuth } from '../support/office-auth';

// Black-box journey of issue 5: a dossier submitted at intake becomes an LRO case; the LRO asks for a supplement and
// the front desk sees portal status 5 with the clock paused; the supplement answered at intake resumes the case;
// tax, obligation met, approval, certificate and return follow, and intake ends at portal status 10. Every step is
// made on one side over HTTP and observed on the other side over HTTP.

const root = path.resolve(__dirname, '../..');
const logDir = path.join(root, '.cache/run/journey-logs');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const env = { OTEL_TRACES_EXPORTER: 'none' };
const intake = new ServiceProcess({ name: 'dossier-intake', port: 3201, root, logDir, env });
const office = new ServiceProcess({ name: 'registration-office', port: 3202, root, logDir, env });
const officer = officeAuth({ userId: 'journey-officer', roles: ['officer'] });
const approver = officeAuth({ userId: 'journey-approver', roles: ['approver'] });

interface IntakeView {
  status: string;
  portalStatusCode: number;
  dueAt: string;
  pausedIntervals: { state: string; from: string; to?: string }[];
  supplementRequest?: { number: number };
}
interface CaseView {
  state: string;
  clock: { paused: boolean; dueAt: string; pausedIntervals: { state: string; to?: string }[] };
}

async function intakeView(code: string): Promise<IntakeView> {
  const response = await fetch(`${intake.baseUrl}/v1/dossiers/${code}`, { headers: intakeAuth() });
  expect(response.status).toBe(200);
  return (await response.json()) as IntakeView;
}

async function caseView(code: string): Promise<CaseView> {
  const response = await fetch(`${office.baseUrl}/v1/cases/${code}`, { headers: officer });
  expect(response.status).toBe(200);
  return (await response.json()) as CaseView;
}

async function officePost(code: string, what: string, auth: object, body?: unknown): Promise<CaseView> {
  const response = await fetch(`${office.baseUrl}/v1/cases/${code}/${what}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...auth },
    body: JSON.stringify(body ?? {}),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${what} ${JSON.stringify(body)} → ${response.status} ${text}`);
  return JSON.parse(text) as CaseView;
}

const act = (code: string, auth: object, action: string, rest: object = {}) =>
  officePost(code, 'transitions', auth, { action, ...rest });

/** Waits until intake shows `portal`, and reports how long the crossing took. */
async function intakeShows(code: string, portal: number, step: string): Promise<IntakeView> {
  const since = Date.now();
  const view = await waitFor(
    async () => {
      const v = await intakeView(code);
      return v.portalStatusCode === portal ? v : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 200, description: `intake to show portal status ${portal} after ${step}` },
  );
  // Reported, not asserted: timing is measured by benchmarks, never by tests.
  console.log(`${step}: visible at intake after ${Date.now() - since} ms`);
  return view;
}

describe('the LRO case workflow across intake and the LRO', () => {
  let caseEvents: KafkaTestConsumer;

  beforeAll(async () => {
    caseEvents = new KafkaTestConsumer(brokers, [Topics.CaseEvents]);
    await caseEvents.start();
    await Promise.all([intake.start(), office.start()]);
  }, 120_000);

  afterAll(async () => {
    await caseEvents?.stop();
    await Promise.all([intake.stop(), office.stop()]);
  });

  it('submitted → case → supplement (status 5, clock paused) → answered → tax → approved → certificate → returned (status 10)', async () => {
    const submitted = await fetch(`${intake.baseUrl}/v1/dossiers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...intakeAuth() },
      body: JSON.stringify(dossierBody('journey-one-stop', `LRO-${randomUUID()}`)),
    });
    expect(submitted.status).toBe(201);
    const { dossierCode: code } = (await submitted.json()) as { dossierCode: string };

    // The case at the LRO without re-entry (a service that was down first catches up on what it missed, in order).
    await waitFor(
      async () => (await fetch(`${office.baseUrl}/v1/cases/${code}`, { headers: officer })).status === 200,
      {
        timeoutMs: 300_000,
        intervalMs: 1_000,
        description: `case ${code} at registration-office`,
      },
    );
    await intakeShows(code, 4, 'case received');

    // Bad requests are clear 4xx problems and change nothing.
    const anonymous = await fetch(`${office.baseUrl}/v1/cases/${code}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    const foreign = await fetch(`${office.baseUrl}/v1/cases/${code}`, {
      headers: officeAuth({ userId: 'other-officer', branch: 'QNG-DUCPHO', roles: ['officer'] }),
    });
    expect(foreign.status).toBe(404);
    const early = await fetch(`${office.baseUrl}/v1/cases/${code}/transitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...officer },
      body: JSON.stringify({ action: 'START_REVIEW' }),
    });
    expect(early.status).toBe(409);
    expect(((await early.json()) as { detail: string }).detail).toContain('claim the case');
    const unknown = await fetch(`${office.baseUrl}/v1/cases/${code}/transitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...approver },
      body: JSON.stringify({ action: 'REJECT' }),
    });
    expect(unknown.status).toBe(400);
    expect((await caseView(code)).state).toBe('RECEIVED');

    // Claim, review, supplement request: the front desk sees status 5 and the paused clock.
    expect((await officePost(code, 'claim', officer)).state).toBe('ASSIGNED');
    await act(code, officer, 'START_REVIEW');
    const requested = await act(code, officer, 'REQUEST_SUPPLEMENT', {
      reason: 'Hợp đồng chuyển nhượng là bản sao chưa chứng thực.',
      details: {
        missingDocuments: [{ componentCode: 'TRANSFER_CONTRACT', name: 'Hợp đồng chuyển nhượng (bản chính)' }],
      },
    });
    expect(requested.clock.paused).toBe(true);
    const waiting = await intakeShows(code, 5, 'supplement requested');
    expect(waiting.status).toBe('SUPPLEMENT_REQUESTED');
    expect(waiting.supplementRequest?.number).toBe(1);
    expect(waiting.pausedIntervals).toEqual([expect.objectContaining({ state: 'SUPPLEMENT_REQUESTED' })]);
    expect(waiting.pausedIntervals[0]!.to).toBeUndefined();

    // The front desk answers; the LRO's case goes back to review and its clock runs again.
    const answered = await fetch(`${intake.baseUrl}/v1/dossiers/${code}/supplements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...intakeAuth() },
      body: JSON.stringify({
        supplementRequestNumber: 1,
        documents: [
          {
            kind: 'TRANSFER_CONTRACT',
            fileName: 'hop-dong-chuyen-nhuong.pdf',
            mediaType: 'application/pdf',
            sizeBytes: 120_000,
            sha256: 'a'.repeat(64),
          },
        ],
      }),
    });
    expect(answered.status).toBe(200);
    const since = Date.now();
    const resumed = await waitFor(
      async () => {
        const c = await caseView(code);
        return c.state === 'IN_REVIEW' ? c : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: 'the case back in review at the LRO' },
    );
    console.log(`supplement answered: visible at the LRO after ${Date.now() - since} ms`);
    expect(resumed.clock.paused).toBe(false);
    expect(resumed.clock.pausedIntervals).toEqual([
      expect.objectContaining({ state: 'SUPPLEMENT_REQUESTED', to: expect.any(String) }),
    ]);

    // Tax (status 6), obligation met (4), approval, certificate (9), return (10).
    await act(code, officer, 'SEND_TO_TAX', { details: { taxAuthorityCode: 'CCT-KH-DIENKHANH' } });
    await intakeShows(code, 6, 'sent to tax');
    await act(code, officer, 'RECORD_OBLIGATION_MET', {
      details: { taxNoticeNumber: 'TB-2026-0042', amount: 2_500_000 },
    });
    await intakeShows(code, 4, 'obligation met');
    // Approval is the approver's; the officer may not.
    const refused = await fetch(`${office.baseUrl}/v1/cases/${code}/transitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...officer },
      body: JSON.stringify({ action: 'APPROVE' }),
    });
    expect(refused.status).toBe(403);
    expect((await act(code, approver, 'APPROVE')).state).toBe('APPROVED');
    await act(code, officer, 'ISSUE_CERTIFICATE', { details: { certificateSerial: 'DA 01234567' } });
    await intakeShows(code, 9, 'certificate issued');
    const returned = await act(code, officer, 'RETURN_RESULT', { details: { returnChannel: 'DIRECT' } });
    expect(returned.state).toBe('RESULT_RETURNED');
    const done = await intakeShows(code, 10, 'result returned');
    expect(done.status).toBe('RESULT_RETURNED');

    // Each step went out once, in order, as its own event.
    const types = await waitFor(
      () => {
        const seen = caseEvents.messages.filter((m) => m.key === code).map((m) => String(m.headers.ce_type));
        return seen.includes('case.result-returned') ? seen : undefined;
      },
      { description: 'the case events on Kafka' },
    );
    expect(types).toEqual([
      'case.received',
      'case.state-changed',
      'case.state-changed',
      'case.supplement-requested',
      'case.state-changed',
      'case.tax-referred',
      'case.obligation-met',
      'case.approved',
      'case.certificate-issued',
      'case.result-returned',
    ]);
    // The audit trail of the case verifies.
    const audit = (await (await fetch(`${office.baseUrl}/v1/cases/${code}/audit`, { headers: officer })).json()) as {
      intact: boolean;
      entries: { kind: string }[];
    };
    expect(audit.intact).toBe(true);
    expect(audit.entries.filter((e) => e.kind === 'ACTION').length).toBe(7);
  }, 420_000);
});
