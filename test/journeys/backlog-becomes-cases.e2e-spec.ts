import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Topics } from '@lienthong/messaging';
import { devToken, type ServiceProcess, waitFor, type SandboxProcess } from '@lienthong/testing';
import {
  ClockLedger,
  DossierClockRules,
  loadReferenceData,
  PauseReason,
  type WorkingCalendar,
} from '@lienthong/statutory-clock';
import { dossierBody } from '../support/dossier-body';
import { officeAuth } from '../support/office-auth';
import {
  consumerLag,
  notificationDossierGroup,
  startNotificationStack,
  type NotificationStack,
} from '../support/notification-stack';

// Black-box journey of issue 13 §5: 1,000 dossiers received before go-live at Diên Điền (22657, KH-DIENKHANH) are
// imported through POST /v1/dossiers:import with their front-desk status and clock pauses: open ones of several
// states (running, paused for a supplement, for the financial obligation; with earlier pauses) and closed ones, for
// land in both branches of the province (22657/22651 → KH-DIENKHANH, 22525 → KH-VANNINH). Every open one becomes a
// case at the branch of its land in the matching state, with the same due date at intake and at the LRO; closed ones
// are no cases; nobody (citizen or intake system) is notified. A real step on an imported case afterwards is
// announced as usual. Only HTTP and Kafka.

const root = path.resolve(__dirname, '../..');
const logDir = path.join(root, '.cache/run/journey-logs');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const env = {
  OTEL_TRACES_EXPORTER: 'none',
  FILE_STORE: 'fs',
  FILE_STORE_DIR: path.join(root, '.cache/run/journey-backlog-files'),
};
const queueName = `notification.deliveries-journey-${randomUUID().slice(0, 8)}`;
const client = 'journey-backlog';
const intakeHeaders = { authorization: `Bearer ${devToken({ client, communes: ['22657'] })}` };
const branchAuth: Record<string, { authorization: string }> = {
  'KH-DIENKHANH': officeAuth({ userId: 'dk-backlog', branch: 'KH-DIENKHANH', roles: ['officer'] }),
  'KH-VANNINH': officeAuth({ userId: 'vn-backlog', branch: 'KH-VANNINH', roles: ['officer'] }),
};
const count = Number(process.env.BACKLOG_JOURNEY_COUNT ?? 1_000);
const calendar: WorkingCalendar = new DossierClockRules(loadReferenceData(root)).calendarOfProvince('56');

interface Line {
  dossierCode: string;
  status: string;
  pauses: { reason: string; from: string; to?: string }[];
  land: string;
  open: boolean;
  /** The case state the LRO must open it in. */
  state?: string;
  branch: string;
}
interface CaseView {
  state: string;
  branchCode?: string;
  dueAt: string;
  paused: boolean;
  arrivedAt: string;
  history: { note?: string }[];
  clock: { receivedAt: string; baseDueAt: string; pausedIntervals: { state: string; from: string; to?: string }[] };
}
interface DossierView {
  status: string;
  dueAt: string;
}

/** Vietnam's calendar day `daysAgo` days before now, `YYYY-MM-DD`. */
function vietnamDay(daysAgo: number): string {
  return new Date(Date.now() + 7 * 3_600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);
}
const at = (day: string, plusDays: number, time: string) =>
  `${new Date(Date.parse(`${day}T00:00:00Z`) + plusDays * 86_400_000).toISOString().slice(0, 10)}T${time}+07:00`;

/**
 * The backlog: received on 30 days between 37 and 8 days ago (after every S3 and S3C benchmark day), numbers from
 * `start` on (a window of 34 per day; the test picks one no earlier run used). Ten kinds in turn.
 */
function backlog(start: number): Line[] {
  const lands = ['22657', '22525', '22651', '22525'];
  return Array.from({ length: count }, (_, i) => {
    const day = vietnamDay(8 + (i % 30));
    const dossierCode = `000.00.56.H42-${day.slice(2).replace(/-/g, '')}-${String(start + Math.floor(i / 30)).padStart(4, '0')}`;
    const supplement = { reason: 'SUPPLEMENT', from: at(day, 1, '08:00:00'), to: at(day, 3, '14:30:00') };
    const kinds: Pick<Line, 'status' | 'pauses' | 'state'>[] = [
      { status: 'RECEIVED', pauses: [], state: 'RECEIVED' },
      { status: 'RECEIVED', pauses: [], state: 'RECEIVED' },
      { status: 'IN_PROGRESS', pauses: [], state: 'RECEIVED' },
      { status: 'IN_PROGRESS', pauses: [supplement], state: 'RECEIVED' },
      {
        status: 'SUPPLEMENT_REQUESTED',
        pauses: [{ reason: 'SUPPLEMENT', from: at(day, 4, '10:00:00') }],
        state: 'SUPPLEMENT_REQUESTED',
      },
      {
        status: 'SUPPLEMENT_REQUESTED',
        pauses: [supplement, { reason: 'SUPPLEMENT', from: at(day, 5, '15:00:00') }],
        state: 'SUPPLEMENT_REQUESTED',
      },
      {
        status: 'AWAITING_FINANCIAL_OBLIGATION',
        pauses: [supplement, { reason: 'FINANCIAL_OBLIGATION', from: at(day, 6, '09:30:00') }],
        state: 'AWAITING_FINANCIAL_OBLIGATION',
      },
      { status: 'STOPPED', pauses: [] },
      { status: 'RESULT_RETURNED', pauses: [supplement] },
      { status: 'PROCESSED', pauses: [] },
    ];
    const kind = kinds[i % kinds.length]!;
    const land = lands[i % lands.length]!;
    return {
      dossierCode,
      ...kind,
      land,
      open: kind.state !== undefined,
      branch: land === '22525' ? 'KH-VANNINH' : 'KH-DIENKHANH',
    };
  });
}

function ndjson(lines: readonly Line[]): string {
  return lines
    .map((l) => {
      const body = dossierBody(client, `OLD-${l.dossierCode}`, {
        dossierCode: l.dossierCode,
        receivedAt: at(`20${l.dossierCode.split('-')[1]!.replace(/(\d\d)(\d\d)(\d\d)/, '$1-$2-$3')}`, 0, '09:00:00'),
        status: l.status,
        pauses: l.pauses,
        parcels: [{ communeCode: l.land, mapSheetNumber: '7', parcelNumber: '120', areaM2: 95.5, landUseCode: 'ONT' }],
      });
      // Contacts, so that a notification would reach the citizen if one were planned.
      body.applicant = { ...(body.applicant as object), phone: '0905123456', email: 'an.nguyen@example.vn' };
      return JSON.stringify(body);
    })
    .join('\n');
}

/** Runs `work` over `items`, `limit` at a time. */
async function each<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
    }),
  );
  return results;
}

/** The due date of the LRO's ledger at `at`, rebuilt from its clock view with the shared library. */
function ledgerDueAt(view: CaseView, at: Date): number {
  const reasonOf: Record<string, PauseReason> = {
    SUPPLEMENT_REQUESTED: PauseReason.Supplement,
    AWAITING_FINANCIAL_OBLIGATION: PauseReason.FinancialObligation,
    PUBLIC_POSTING: PauseReason.PublicPosting,
  };
  let ledger = ClockLedger.start({
    receivedAt: new Date(view.clock.receivedAt),
    timeLimit: { unit: 'WORKING_DAY', amount: 8 },
    calendar,
    baseDueAt: new Date(view.clock.baseDueAt),
  });
  for (const p of view.clock.pausedIntervals) {
    ledger = ledger.pause(reasonOf[p.state]!, new Date(p.from));
    if (p.to) ledger = ledger.resume(reasonOf[p.state]!, new Date(p.to));
  }
  return ledger.dueAt(at).getTime();
}

const lag = (topic: string) => consumerLag(brokers, topic, notificationDossierGroup);

describe('backlog dossiers become cases', () => {
  let sms: SandboxProcess;
  let zalo: SandboxProcess;
  let smtp: SandboxProcess & { smtpPort?: number };
  let hooks: SandboxProcess;
  let intake: ServiceProcess;
  let office: ServiceProcess;
  let notification: ServiceProcess;
  let stack: NotificationStack;

  beforeAll(async () => {
    // The clock watch every 5 s: most imported dossiers are late already, and no automatic apology letter (which
    // would reach the citizen) may follow from the import.
    stack = await startNotificationStack({
      root,
      logDir,
      env,
      queueName,
      ports: { intake: 3361, office: 3362, notification: 3364 },
      officeEnv: { CLOCK_WATCH_INTERVAL_MS: '5000' },
    });
    ({ sms, zalo, smtp, hooks, intake, office, notification } = stack);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it(`imports ${count} dossiers: each open one a case at its branch with the same due date, no notification`, async () => {
    // The intake system is subscribed, so a webhook would be sent if one were planned.
    await waitFor(async () => (await lag(Topics.DossierEvents)) + (await lag(Topics.ClientEvents)) === 0, {
      timeoutMs: 240_000,
      intervalMs: 1_000,
      description: 'notification to catch up with earlier events',
    });
    const subscribed = await fetch(`${intake.baseUrl}/v1/subscriptions/webhook`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...intakeHeaders },
      body: JSON.stringify({ url: `${hooks.url}/hooks/${client}` }),
    });
    expect(subscribed.status).toBe(200);

    const importLines = async (body: string, query = '') => {
      const r = await fetch(`${intake.baseUrl}/v1/dossiers:import${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', ...intakeHeaders },
        body,
      });
      expect(r.status).toBe(200);
      return (await r.json()) as { imported: number; alreadyPresent: number };
    };
    // Earlier runs left their dossiers in the shared database: a dry run finds a window of numbers none of them used.
    let lines: Line[] = [];
    for (let attempt = 0; attempt < 10 && lines.length === 0; attempt += 1) {
      const candidate = backlog(1 + Math.floor(Math.random() * 9_900));
      if ((await importLines(ndjson(candidate), '?dryRun=true')).alreadyPresent === 0) lines = candidate;
    }
    expect(lines).toHaveLength(count);
    const open = lines.filter((l) => l.open);
    const closed = lines.filter((l) => !l.open);
    const started = Date.now();
    const report = await importLines(ndjson(lines));
    expect(report).toMatchObject({ imported: count, alreadyPresent: 0, rejected: 0, announced: open.length });
    const imported = Date.now();

    // Every open one becomes a case at the branch of its land, in the state of its status.
    const views = new Map<string, CaseView>();
    await waitFor(
      async () => {
        const missing = open.filter((l) => !views.has(l.dossierCode));
        await each(missing, 8, async (l) => {
          const r = await fetch(`${office.baseUrl}/v1/cases/${l.dossierCode}`, { headers: branchAuth[l.branch]! });
          if (r.status === 200) views.set(l.dossierCode, (await r.json()) as CaseView);
        });
        return views.size === open.length ? true : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 1_000, description: `${open.length} imported cases at the LRO` },
    );
    const opened = Date.now();
    console.log(
      `${count} dossiers (${open.length} open) imported in ${imported - started} ms; every case open at the LRO ${opened - imported} ms later`,
    );
    for (const l of open) {
      const view = views.get(l.dossierCode)!;
      expect({ code: l.dossierCode, state: view.state, branch: view.branchCode }).toEqual({
        code: l.dossierCode,
        state: l.state,
        branch: l.branch,
      });
      expect(view.history[0]!.note).toMatch(/^Imported from the backlog/);
      expect(view.paused).toBe(l.state !== 'RECEIVED');
      expect(view.clock.pausedIntervals).toHaveLength(l.pauses.length);
    }
    // Another branch sees nothing of them.
    const other = open.find((l) => l.branch === 'KH-VANNINH')!;
    expect(
      (await fetch(`${office.baseUrl}/v1/cases/${other.dossierCode}`, { headers: branchAuth['KH-DIENKHANH']! })).status,
    ).toBe(404);
    // Closed ones stay history at intake: no case at either branch.
    const closedStatuses = await each(closed, 8, async (l) => {
      for (const auth of Object.values(branchAuth)) {
        const r = await fetch(`${office.baseUrl}/v1/cases/${l.dossierCode}`, { headers: auth });
        if (r.status !== 404) return `${l.dossierCode}: ${r.status}`;
      }
      return undefined;
    });
    expect(closedStatuses.filter(Boolean)).toEqual([]);

    // Intake shows the LRO's progress (an imported RECEIVED one is IN_PROGRESS once its case is open) and the same
    // due date for every one of them: equal to the LRO's while the clock runs; while paused, the LRO's at opening.
    const expectedStatus = (l: Line) => (l.status === 'RECEIVED' ? 'IN_PROGRESS' : l.status);
    const dossiers = new Map<string, DossierView>();
    await waitFor(
      async () => {
        const pending = lines.filter(
          (l) => dossiers.get(l.dossierCode)?.status !== (l.open ? expectedStatus(l) : l.status),
        );
        await each(pending, 8, async (l) => {
          const r = await fetch(`${intake.baseUrl}/v1/dossiers/${l.dossierCode}`, { headers: intakeHeaders });
          if (r.status === 200) dossiers.set(l.dossierCode, (await r.json()) as DossierView);
        });
        return pending.length === 0 ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, description: 'intake to show every imported case opened' },
    );
    const mismatchOf = (l: Line): string | undefined => {
      const view = views.get(l.dossierCode)!;
      const atIntake = Date.parse(dossiers.get(l.dossierCode)!.dueAt);
      // Events carry due dates to the second (+07:00): a paused ledger's date at opening, to the second.
      const atLro = view.paused
        ? Math.floor(ledgerDueAt(view, new Date(view.arrivedAt)) / 1000) * 1000
        : Date.parse(view.dueAt);
      return atIntake === atLro ? undefined : `${l.dossierCode} ${l.status}: intake ${atIntake}, LRO ${atLro}`;
    };
    // A paused dossier keeps its status when its case opens: wait (with a deadline) until intake has applied every
    // case.received, re-reading those whose due date differs; a difference left at the deadline is the failure.
    let mismatches: string[] = [];
    await waitFor(
      async () => {
        const differing = open.filter((l) => mismatchOf(l) !== undefined);
        await each(differing, 8, async (l) => {
          const r = await fetch(`${intake.baseUrl}/v1/dossiers/${l.dossierCode}`, { headers: intakeHeaders });
          if (r.status === 200) dossiers.set(l.dossierCode, (await r.json()) as DossierView);
        });
        mismatches = open.flatMap((l) => mismatchOf(l) ?? []);
        return mismatches.length === 0 ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, description: 'the same due date at intake and at the LRO' },
    ).catch(() => undefined);
    expect(mismatches).toEqual([]);
    // A paused case's due date counts on at the LRO, from the same ledger.
    const paused = open.find((l) => l.state === 'SUPPLEMENT_REQUESTED')!;
    expect(ledgerDueAt(views.get(paused.dossierCode)!, new Date())).toBeGreaterThanOrEqual(
      Date.parse(dossiers.get(paused.dossierCode)!.dueAt),
    );

    // Nobody was notified: notification has read every event, planned no delivery, and no sandbox got a message.
    await waitFor(async () => (await lag(Topics.DossierEvents)) === 0, {
      timeoutMs: 120_000,
      intervalMs: 1_000,
      description: 'notification to read the imported dossiers’ events',
    });
    const logs = await each(lines.slice(0, 100), 8, async (l) => {
      const r = await fetch(`${notification.baseUrl}/v1/dossiers/${l.dossierCode}/deliveries`, {
        headers: intakeHeaders,
      });
      return r.status === 404 ? 0 : ((await r.json()) as { deliveries: unknown[] }).deliveries.length;
    });
    expect(logs.filter((n) => n > 0)).toEqual([]);
    const codes = new Set(lines.map((l) => l.dossierCode));
    const mentioned = async (sandbox: SandboxProcess, target?: string) =>
      (await sandbox.messages(target)).filter((m) => [...codes].some((c) => m.raw.includes(c)));
    expect(await mentioned(hooks, client)).toEqual([]);
    expect(await mentioned(sms)).toEqual([]);
    expect(await mentioned(zalo)).toEqual([]);
    expect(await mentioned(smtp)).toEqual([]);

    // A real step afterwards is announced as usual: a supplement request on an imported case reaches the citizen.
    const worked = open.find((l) => l.state === 'RECEIVED' && l.branch === 'KH-VANNINH')!;
    const officer = officeAuth({ userId: 'vn-backlog', branch: 'KH-VANNINH', roles: ['officer'] });
    const post = async (what: string, body: unknown = {}) => {
      const r = await fetch(`${office.baseUrl}/v1/cases/${worked.dossierCode}/${what}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...officer },
        body: JSON.stringify(body),
      });
      expect(r.status).toBe(200);
    };
    await post('claim');
    await post('transitions', { action: 'START_REVIEW' });
    await post('transitions', {
      action: 'REQUEST_SUPPLEMENT',
      reason: 'Thiếu hợp đồng công chứng',
      details: { missingDocuments: [{ name: 'Hợp đồng chuyển nhượng có công chứng' }] },
    });
    await waitFor(
      async () => ((await hooks.messages(client)).some((m) => m.raw.includes(worked.dossierCode)) ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 500, description: 'the supplement request’s webhook' },
    );
    await waitFor(
      async () => ((await smtp.messages()).some((m) => m.raw.includes(worked.dossierCode)) ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 500, description: 'the supplement request’s e-mail to the citizen' },
    );
  }, 900_000);
});
