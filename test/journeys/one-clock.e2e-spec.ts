import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { Topics } from '@lienthong/messaging';
import { DossierClockRules, dueDate, loadReferenceData, vietnamDateOf } from '@lienthong/statutory-clock';
import { KafkaTestConsumer, type ServiceProcess, waitFor, type SandboxProcess } from '@lienthong/testing';
import { dossierBody, intakeAuth } from '../support/dossier-body';
import { officeAuth } from '../support/office-auth';
import {
  consumerLag,
  notificationDossierGroup,
  startNotificationStack,
  type NotificationStack,
} from '../support/notification-stack';

// Black-box journey of one statutory clock (ADR 0009): a transfer received at Diên Điền (22657) for land in Khánh
// Vĩnh (22609), a commune Khánh Hòa's deployment file lists as remote, gets the remote limit (18 working days) at
// intake, and the LRO shows the same due date after every step: received, claimed, supplement requested and
// answered, tax referred and obligation met, the apology letter (ISSUE_APOLOGY, refused before the due-soon alert)
// and approval after it. The apology's new date reaches the citizen's SMS and e-mail sandboxes and the intake
// system's webhook, signed. Intake, the LRO and notification run as processes on ports 3340-3342.

const root = path.resolve(__dirname, '../..');
const logDir = path.join(root, '.cache/run/journey-logs');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const env = { OTEL_TRACES_EXPORTER: 'none' };
const queueName = `notification.deliveries-journey-${randomUUID().slice(0, 8)}`;
const officer = officeAuth({ userId: 'clock-officer', roles: ['officer'] });
const approver = officeAuth({ userId: 'clock-approver', roles: ['approver'] });

// The same reference data the services load, for choosing the receipt and reading dates.
const rules = new DossierClockRules(loadReferenceData(root));
const calendar = rules.calendarFor('22657');
const transferRemote = { unit: 'WORKING_DAY' as const, amount: 18 };

/**
 * A receipt some weeks ago whose remote due date falls about half a working day from now: within the due-soon
 * threshold (8 working hours) at once, far from late while the journey runs.
 */
function receiptDueSoon(now: Date): Date {
  const target = calendar.addWorkingMinutes(calendar.nextWorkingInstant(now), 240).getTime();
  let low = now.getTime() - 60 * 86_400_000;
  let high = now.getTime();
  while (high - low > 60_000) {
    const mid = Math.floor((low + high) / 2);
    if (dueDate(new Date(mid), transferRemote, { calendar }).getTime() <= target) low = mid;
    else high = mid;
  }
  // Whole minutes, as desks record receipts (the due date is printed to the second).
  return new Date(Math.floor(low / 60_000) * 60_000);
}

const lag = (topic: string) => consumerLag(brokers, topic, notificationDossierGroup);

interface IntakeView {
  status: string;
  portalStatusCode: number;
  dueAt: string;
  remote?: boolean;
  dueDateHistory?: { previousDueAt: string; dueAt: string; letterNumber: string; reason: string }[];
}
interface CaseView {
  state: string;
  branchCode?: string;
  clock: { dueAt: string; paused: boolean };
  documents: { kind: string; number: string; content: string }[];
  availableActions: string[];
}

describe('one statutory clock across intake and the LRO', () => {
  let sms: SandboxProcess;
  let smtp: SandboxProcess & { smtpPort?: number };
  let hooks: SandboxProcess;
  let intake: ServiceProcess;
  let office: ServiceProcess;
  let stack: NotificationStack;
  let caseEvents: KafkaTestConsumer;

  beforeAll(async () => {
    caseEvents = new KafkaTestConsumer(brokers, [Topics.CaseEvents]);
    await caseEvents.start();
    // The clock watch looks every second, so the due-soon alert comes without waiting a minute.
    stack = await startNotificationStack({
      root,
      logDir,
      env,
      queueName,
      ports: { intake: 3340, office: 3341, notification: 3342 },
      officeEnv: { CLOCK_WATCH_INTERVAL_MS: '1000' },
    });
    ({ sms, smtp, hooks, intake, office } = stack);
  }, 180_000);

  afterAll(async () => {
    await caseEvents?.stop();
    await stack?.stop();
  });

  const intakeView = async (code: string): Promise<IntakeView> => {
    const response = await fetch(`${intake.baseUrl}/v1/dossiers/${code}`, { headers: intakeAuth() });
    expect(response.status).toBe(200);
    return (await response.json()) as IntakeView;
  };
  const caseView = async (code: string): Promise<CaseView> => {
    const response = await fetch(`${office.baseUrl}/v1/cases/${code}`, { headers: officer });
    expect(response.status).toBe(200);
    return (await response.json()) as CaseView;
  };
  const post = async (code: string, what: string, auth: object, body: unknown = {}): Promise<Response> =>
    fetch(`${office.baseUrl}/v1/cases/${code}/${what}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...auth },
      body: JSON.stringify(body),
    });
  const act = async (code: string, auth: object, action: string, rest: object = {}): Promise<CaseView> => {
    const response = await post(code, 'transitions', auth, { action, ...rest });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${action} → ${response.status} ${text}`);
    return JSON.parse(text) as CaseView;
  };
  /** The LRO's last event about the dossier of type `type`, as published. */
  const lastEvent = (code: string, type: string) =>
    waitFor(
      () =>
        caseEvents.messages
          .filter((m) => m.key === code && m.headers.ce_type === type)
          .map((m) => (m.value as { data: { dueAt?: string; newDueAt?: string } }).data)
          .at(-1),
      { timeoutMs: 20_000, intervalMs: 200, description: `${type} of ${code} on Kafka` },
    );
  /**
   * After a step: intake shows portal status `portal` and the due date the LRO stated; the LRO's own view agrees
   * while its clock runs (while it is paused the view counts on, and intake shows the date of the pausing step).
   */
  const sameDueDate = async (code: string, portal: number, step: string, stated: string): Promise<string> => {
    const shown = await waitFor(
      async () => {
        const v = await intakeView(code);
        return v.portalStatusCode === portal && Date.parse(v.dueAt) === Date.parse(stated) ? v : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: `intake to show ${stated} after ${step}` },
    );
    const lro = await caseView(code);
    if (!lro.clock.paused) expect(Date.parse(lro.clock.dueAt)).toBe(Date.parse(shown.dueAt));
    console.log(`${step}: intake ${shown.dueAt}, LRO ${lro.clock.dueAt}${lro.clock.paused ? ' (paused)' : ''}`);
    return shown.dueAt;
  };

  it('a remote-commune transfer keeps one due date after every step; an apology moves both and reaches everyone', async () => {
    await waitFor(async () => (await lag(Topics.DossierEvents)) + (await lag(Topics.ClientEvents)) === 0, {
      timeoutMs: 240_000,
      intervalMs: 1_000,
      description: 'notification to catch up with earlier events',
    });
    const auth = intakeAuth();
    const subscribed = await fetch(`${intake.baseUrl}/v1/subscriptions/webhook`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ url: `${hooks.url}/hooks/one-clock` }),
    });
    expect(subscribed.status).toBe(200);
    const { secret } = (await subscribed.json()) as { secret: string };
    await waitFor(async () => (await lag(Topics.ClientEvents)) === 0, {
      timeoutMs: 30_000,
      intervalMs: 250,
      description: 'notification to consume the webhook subscription',
    });

    // A fresh dossier is not due soon: the apology letter is refused with a clear 409.
    const fresh = await fetch(`${intake.baseUrl}/v1/dossiers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...auth },
      body: JSON.stringify(dossierBody('journey-one-clock', `FRESH-${randomUUID()}`)),
    });
    expect(fresh.status).toBe(201);
    const { dossierCode: freshCode } = (await fresh.json()) as { dossierCode: string };

    // The remote transfer, received weeks ago at the desk, entered now.
    const receivedAt = receiptDueSoon(new Date());
    const body = dossierBody('journey-one-clock', `REMOTE-${randomUUID()}`, {
      receivedAt: receivedAt.toISOString(),
      parcels: [{ communeCode: '22609', mapSheetNumber: '7', parcelNumber: '51', areaM2: 300, landUseCode: 'ONT' }],
    });
    const applicant = { ...(body.applicant as object), phone: '0905123456', email: 'an.nguyen@example.vn' };
    const submitted = await fetch(`${intake.baseUrl}/v1/dossiers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...auth },
      body: JSON.stringify({ ...body, applicant }),
    });
    expect(submitted.status).toBe(201);
    const receipt = (await submitted.json()) as { dossierCode: string; dueAt: string; timeLimit: object };
    const code = receipt.dossierCode;
    expect(receipt.timeLimit).toEqual({ unit: 'WORKING_DAY', amount: 18 });
    expect(Date.parse(receipt.dueAt)).toBe(dueDate(receivedAt, transferRemote, { calendar }).getTime());
    expect((await intakeView(code)).remote).toBe(true);

    // Received: the LRO's ledger starts from intake's date (before ADR 0009 it used the normal limit, 10 days early).
    await waitFor(
      async () => (await fetch(`${office.baseUrl}/v1/cases/${code}`, { headers: officer })).status === 200,
      { timeoutMs: 120_000, intervalMs: 500, description: `case ${code} at the LRO` },
    );
    expect((await caseView(code)).branchCode).toBe('KH-DIENKHANH');
    const received = await lastEvent(code, 'case.received');
    expect(Date.parse(received.dueAt!)).toBe(Date.parse(receipt.dueAt));
    await sameDueDate(code, 4, 'received', received.dueAt!);

    // Claimed and reviewed.
    await post(code, 'claim', officer);
    await sameDueDate(code, 4, 'claimed', (await lastEvent(code, 'case.state-changed')).dueAt!);
    await act(code, officer, 'START_REVIEW');

    // Supplement requested (paused) and answered at the desk (running again).
    await act(code, officer, 'REQUEST_SUPPLEMENT', {
      reason: 'Thiếu hợp đồng công chứng',
      details: { missingDocuments: [{ name: 'Hợp đồng chuyển nhượng có công chứng' }] },
    });
    await sameDueDate(code, 5, 'supplement requested', (await lastEvent(code, 'case.supplement-requested')).dueAt!);
    const contract = Buffer.from(`%PDF-1.4\n% one-clock ${code}\n`);
    const sha256 = createHash('sha256').update(contract).digest('hex');
    const uploaded = await fetch(`${intake.baseUrl}/v1/files/${sha256}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf', ...auth },
      body: contract,
    });
    expect([200, 201]).toContain(uploaded.status);
    const answered = await fetch(`${intake.baseUrl}/v1/dossiers/${code}/supplements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...auth },
      body: JSON.stringify({
        supplementRequestNumber: 1,
        documents: [
          {
            kind: 'TRANSFER_CONTRACT',
            fileName: 'hop-dong.pdf',
            mediaType: 'application/pdf',
            sizeBytes: contract.length,
            sha256,
          },
        ],
      }),
    });
    expect(answered.status).toBe(200);
    await waitFor(async () => ((await caseView(code)).state === 'IN_REVIEW' ? true : undefined), {
      timeoutMs: 20_000,
      intervalMs: 200,
      description: 'the case back in review',
    });
    // The third case.state-changed (claim, review, supplement received) is the resumption.
    const resumed = await waitFor(() => {
      const changes = caseEvents.messages.filter((m) => m.key === code && m.headers.ce_type === 'case.state-changed');
      return changes.length >= 3 ? (changes[2]!.value as { data: { dueAt: string } }).data : undefined;
    });
    await sameDueDate(code, 4, 'supplemented', resumed.dueAt);

    // Tax referral (paused) and obligation met (running again).
    await act(code, officer, 'SEND_TO_TAX', { details: { taxAuthorityCode: 'CCT-KH-DIENKHANH' } });
    await sameDueDate(code, 6, 'tax referred', (await lastEvent(code, 'case.tax-referred')).dueAt!);
    await act(code, officer, 'RECORD_OBLIGATION_MET', { details: { taxNoticeNumber: 'TB-1', amount: 2_500_000 } });
    const beforeApology = await sameDueDate(
      code,
      4,
      'obligation met',
      (await lastEvent(code, 'case.obligation-met')).dueAt!,
    );

    // The apology: refused on a case that is not due soon, offered once the due-soon alert fired.
    await waitFor(
      async () => (await fetch(`${office.baseUrl}/v1/cases/${freshCode}`, { headers: officer })).status === 200,
      { timeoutMs: 60_000, intervalMs: 500, description: `case ${freshCode} at the LRO` },
    );
    await post(freshCode, 'claim', officer);
    const early = await post(freshCode, 'transitions', officer, {
      action: 'ISSUE_APOLOGY',
      reason: 'Chờ đo đạc',
      details: { newDueAt: vietnamDateOf(calendar.addWorkingMinutes(new Date(), 20 * 480)) },
    });
    expect(early.status).toBe(409);
    expect(((await early.json()) as { detail: string }).detail).toContain('due-soon alert');
    await lastEvent(code, 'case.due-soon');
    expect((await caseView(code)).availableActions).toContain('ISSUE_APOLOGY');
    const newDay = vietnamDateOf(
      calendar.addWorkingMinutes(new Date(beforeApology), 5 * calendar.minutesPerWorkingDay),
    );
    const reason = 'Chờ kết quả đo đạc bổ sung tại thực địa';
    const apologised = await act(code, officer, 'ISSUE_APOLOGY', { reason, details: { newDueAt: newDay } });
    const newDueAt = calendar.closeOfDay(newDay).getTime();
    expect(Date.parse(apologised.clock.dueAt)).toBe(newDueAt);
    expect(apologised.state).toBe('OBLIGATION_MET'); // the letter changes the date, not the state
    expect(apologised.documents.at(-1)).toMatchObject({ kind: 'APOLOGY_LETTER', number: `${code}/XL-1` });
    const issued = await lastEvent(code, 'case.apology-issued');
    expect(Date.parse(issued.newDueAt!)).toBe(newDueAt);
    const moved = await waitFor(
      async () => {
        const v = await intakeView(code);
        return Date.parse(v.dueAt) === newDueAt ? v : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: 'intake to show the new due date' },
    );
    expect(moved.dueDateHistory).toEqual([
      {
        previousDueAt: expect.any(String),
        dueAt: moved.dueAt,
        at: expect.any(String),
        letterNumber: `${code}/XL-1`,
        reason,
      },
    ]);
    expect(Date.parse(moved.dueDateHistory![0]!.previousDueAt)).toBe(Date.parse(beforeApology));

    // A later LRO step keeps the agreed date on both sides.
    await act(code, approver, 'APPROVE');
    const approved = await lastEvent(code, 'case.approved');
    expect(Date.parse(approved.dueAt!)).toBe(newDueAt);
    await sameDueDate(code, 4, 'approved', approved.dueAt!);

    // The citizen hears the new date by SMS and e-mail (initials, no reason), the intake system by signed webhook.
    const dayMonth = newDay.split('-').reverse().join('/');
    const [text] = await waitFor(async () => {
      const found = (await sms.messages()).filter((m) => m.raw.includes(code) && m.raw.includes('xin loi'));
      return found.length > 0 ? found : undefined;
    });
    expect(text!.raw).toContain(`17:00 ${dayMonth}`);
    expect(text!.raw).not.toContain('đo đạc');
    const [mail] = await waitFor(async () => {
      const found = (await smtp.messages()).filter(
        (m) => String(m.body.subject).includes(code) && String(m.body.subject).includes('Phiếu xin lỗi'),
      );
      return found.length > 0 ? found : undefined;
    });
    expect(String(mail!.body.text)).toContain(`17:00 ${dayMonth}`);
    const hook = await waitFor(async () => {
      const found = (await hooks.messages('one-clock')).filter(
        (m) => m.raw.includes(code) && m.raw.includes('dueDateChange'),
      );
      return found.length > 0 ? found[0] : undefined;
    });
    const payload = new Webhook(secret).verify(hook.raw, hook.headers) as {
      data: { dueAt: string; reason: string; dueDateChange: { previousDueAt: string; letterNumber: string } };
    };
    expect(Date.parse(payload.data.dueAt)).toBe(newDueAt);
    expect(payload.data.dueDateChange).toEqual({ previousDueAt: expect.any(String), letterNumber: `${code}/XL-1` });
    expect(payload.data.reason).toBe(reason);
  }, 600_000);
});
