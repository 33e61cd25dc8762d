import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEvent, createKafka, KafkaPublisher, Topics } from '@lienthong/messaging';
import { devToken, KafkaTestConsumer, ServiceProcess, waitFor } from '@lienthong/testing';
import { chromium, type BrowserContext } from 'playwright-core';
import { dossierBody } from '../support/dossier-body';
import { watchCspViolations } from '../support/csp-watch';
import { officeAuth } from '../support/office-auth';

// The back-office console in a real browser (Debian's headless Chromium, installed by deploy/local/browser.sh),
// against registration-office as its own process on the real Kafka and FerretDB. A dossier arrives as intake
// publishes it; an officer signs in with a token, claims the case, requests a supplement and sees the clock pause.

const root = path.resolve(__dirname, '../..');
const logDir = path.join(root, '.cache/run/journey-logs');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const office = new ServiceProcess({
  name: 'registration-office',
  port: 3202,
  root,
  logDir,
  env: { OTEL_TRACES_EXPORTER: 'none' },
});
const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('the LRO console in a browser', () => {
  let publisher: KafkaPublisher;
  let events: KafkaTestConsumer;
  let browser: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    events = new KafkaTestConsumer(brokers, [Topics.CaseEvents]);
    await events.start();
    publisher = new KafkaPublisher(createKafka({ clientId: 'lro-console-journey', brokers }));
    await publisher.connect();
    await office.start();
    profile = mkdtempSync(path.join(tmpdir(), 'lt-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: chromiumFlags,
      viewport: { width: 1400, height: 1000 },
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await publisher?.disconnect();
    await events?.stop();
    await office.stop();
  });

  it('signs in with a token, claims a case, requests a supplement and sees the clock pause', async () => {
    const started = Date.now();
    const code = `000.00.56.H42-UI${Date.now()}`;
    const { externalReference: _reference, ...data } = dossierBody('console-journey', code);
    await publisher.publish(Topics.DossierEvents, [
      createEvent({
        type: 'dossier.submitted',
        source: '/dossier-intake',
        subject: code,
        sequence: 1,
        data: { dossierCode: code, clientId: 'console-journey', ...data },
      }),
    ]);
    await waitFor(
      async () => (await fetch(`${office.baseUrl}/v1/cases/${code}`, { headers: officeAuth() })).status === 200,
      // A service that was down catches up on the dossier events published meanwhile, in order, before this one.
      { timeoutMs: 300_000, intervalMs: 1_000, description: `case ${code} at registration-office` },
    );

    // Reported, not asserted: timing is measured by benchmarks, never by tests.
    console.log(`case visible at registration-office ${Date.now() - started} ms after the publish`);
    const page = await browser.newPage();
    const cspViolations = await watchCspViolations(page);
    const served = await page.goto(`${office.baseUrl}/`);
    expect(served?.headers()['content-security-policy']).toContain("default-src 'self'");
    expect(served?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    // Sign in: the console keeps the token for the tab only.
    await page.fill('#token', devToken({ worker: 'ui-officer', branch: 'KH-DIENKHANH', roles: ['officer'] }));
    await page.click('#sign-in');
    await page.waitForSelector('#worklist');
    expect(await page.textContent('#who')).toContain('ui-officer');

    await page.goto(`${office.baseUrl}/#/case/${encodeURIComponent(code)}`);
    await page.waitForSelector('#case-state[data-state="RECEIVED"]');
    await page.click('[data-action="CLAIM"]');
    await page.waitForSelector('#case-state[data-state="ASSIGNED"]');
    expect(await page.textContent('#clock-status')).toContain('Đang tính');
    // Names next to codes: the procedure, the receiving commune and its province, the land, the branch.
    const names = (await page.textContent('#case-names')) ?? '';
    expect(names).toContain('Chuyển nhượng');
    expect(names).toContain('Xã Diên Điền, Khánh Hoà');
    expect(names).toContain('Chi nhánh Văn phòng đăng ký đất đai Diên Khánh');

    await page.click('[data-action="REQUEST_SUPPLEMENT"]');
    await page.fill('#f-reason', 'Hợp đồng chuyển nhượng là bản sao chưa chứng thực.');
    await page.fill('#f-missing', 'Hợp đồng chuyển nhượng có công chứng (bản chính)');
    await page.click('#f-submit');
    await page.waitForSelector('#case-state[data-state="SUPPLEMENT_REQUESTED"]');
    await page.waitForSelector('#clock-status[data-paused="true"]');
    expect(await page.textContent('#clock-status')).toContain('Tạm dừng');
    expect(await page.textContent('#pauses')).toContain('Chờ bổ sung');
    expect(await page.textContent('#documents')).toContain('PHIẾU YÊU CẦU BỔ SUNG');
    await page.waitForSelector('#audit-status');
    expect(await page.textContent('#audit-status')).toBe('Chuỗi băm nguyên vẹn');
    // Identification numbers stay masked on screen.
    const persons = (await page.textContent('#persons')) ?? '';
    expect(persons).toContain('0560******34');
    expect(persons).not.toContain('056080001234');
    expect(persons).toContain('Người nộp hồ sơ');
    expect(persons).toContain('Bên nhận chuyển nhượng');
    await page.screenshot({ path: path.join(logDir, 'lro-console-supplement.png'), fullPage: true });

    // English is available.
    await page.click('#lang');
    // A selector, not a string of script: the page's CSP refuses eval, also of a test's polling function.
    await page.waitForSelector('#clock-status:has-text("Paused")');
    expect(await page.textContent('#case-state')).toBe('Supplement requested');

    // The same facts through the API and on Kafka: the clock is paused, and the event went out once.
    const kase = (await (await fetch(`${office.baseUrl}/v1/cases/${code}`, { headers: officeAuth() })).json()) as {
      clock: { paused: boolean; pausedIntervals: { state: string; to?: string }[] };
    };
    expect(kase.clock.paused).toBe(true);
    expect(kase.clock.pausedIntervals).toEqual([expect.objectContaining({ state: 'SUPPLEMENT_REQUESTED' })]);
    const requested = await events.waitForMessage(
      (m) => m.key === code && m.headers.ce_type === 'case.supplement-requested',
    );
    expect(requested.value).toMatchObject({ data: { portalStatusCode: 5, supplementRequestNumber: 1 } });

    // The supervisor's dashboard counts the branch's open cases; an officer may not see it.
    const supervisor = officeAuth({ userId: 'ui-supervisor', roles: ['supervisor'] });
    expect(
      (await fetch(`${office.baseUrl}/v1/dashboard`, { headers: officeAuth({ roles: ['officer'] }) })).status,
    ).toBe(403);
    const dashboard = (await (await fetch(`${office.baseUrl}/v1/dashboard`, { headers: supervisor })).json()) as {
      open: number;
      byState: Record<string, number>;
      byCommune: Record<string, { open: number }>;
    };
    expect(dashboard.byState.SUPPLEMENT_REQUESTED).toBeGreaterThanOrEqual(1);
    expect(dashboard.byCommune['22657']!.open).toBeGreaterThanOrEqual(1);
    await page.evaluate((token) => sessionStorage.setItem('lt.token', token), supervisor.authorization.slice(7));
    await page.goto(`${office.baseUrl}/#/dashboard`);
    await page.reload();
    await page.waitForSelector('#dashboard');
    expect(await page.textContent('#dashboard')).toContain('22657');
    await page.screenshot({ path: path.join(logDir, 'lro-console-dashboard.png'), fullPage: true });
    // The whole session ran under the CSP without a refused script, style, image or request.
    expect(cspViolations).toEqual([]);
  }, 420_000);
});
