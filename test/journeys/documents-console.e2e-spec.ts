import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devToken, ServiceProcess, waitFor } from '@lienthong/testing';
import { chromium, type BrowserContext } from 'playwright-core';
import { dossierBody, intakeAuth } from '../support/dossier-body';
import { watchCspViolations } from '../support/csp-watch';
import { officeAuth } from '../support/office-auth';

// The dossier's files in the LRO console (Debian's headless Chromium, as lro-console): an officer sees the
// attachments of the case with the kinds' names, downloads one (same SHA-256 as submitted at intake), uploads the
// certificate scan from the certificate form and issues the certificate naming it; intake then lists the scan.

const root = path.resolve(__dirname, '../..');
const logDir = path.join(root, '.cache/run/journey-logs');
const env = { OTEL_TRACES_EXPORTER: 'none' };
const intake = new ServiceProcess({ name: 'dossier-intake', port: 3352, root, logDir, env });
const office = new ServiceProcess({ name: 'registration-office', port: 3353, root, logDir, env });
const officer = { worker: 'ui-doc-officer', branch: 'KH-DIENKHANH', roles: ['officer' as const] };
const approver = officeAuth({ userId: 'ui-doc-approver', roles: ['approver'] });
const chromiumFlags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'];
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(size), Buffer.from('\n%%EOF\n')]);

async function act(code: string, auth: object, action: string, details?: object): Promise<void> {
  const response = await fetch(`${office.baseUrl}/v1/cases/${code}/transitions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...auth },
    body: JSON.stringify({ action, ...(details ? { details } : {}) }),
  });
  if (response.status !== 200) throw new Error(`${action} → ${response.status} ${await response.text()}`);
}

describe("the dossier's files in the LRO console", () => {
  let browser: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    await Promise.all([intake.start(), office.start()]);
    profile = mkdtempSync(path.join(tmpdir(), 'lt-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: chromiumFlags,
      acceptDownloads: true,
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await Promise.all([intake.stop(), office.stop()]);
  });

  it('lists and downloads the attachments, uploads the certificate scan and issues the certificate with it', async () => {
    const contract = pdf(700_000);
    const upload = await fetch(`${intake.baseUrl}/v1/files/${sha256(contract)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf', ...intakeAuth() },
      body: contract,
    });
    expect([200, 201]).toContain(upload.status);
    const submitted = await fetch(`${intake.baseUrl}/v1/dossiers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...intakeAuth() },
      body: JSON.stringify(
        dossierBody('documents-console', `UI-DOC-${randomUUID()}`, {
          documents: [
            {
              kind: 'TRANSFER_CONTRACT',
              fileName: 'hop-dong-nguyen-van-an.pdf',
              mediaType: 'application/pdf',
              sizeBytes: contract.length,
              sha256: sha256(contract),
            },
          ],
        }),
      ),
    });
    expect(submitted.status).toBe(201);
    const { dossierCode: code } = (await submitted.json()) as { dossierCode: string };
    const auth = { authorization: `Bearer ${devToken(officer)}` };
    await waitFor(async () => (await fetch(`${office.baseUrl}/v1/cases/${code}`, { headers: auth })).status === 200, {
      timeoutMs: 60_000,
      intervalMs: 250,
      description: `case ${code} at KH-DIENKHANH`,
    });
    // To the certificate step over the API; the console does the rest.
    expect((await fetch(`${office.baseUrl}/v1/cases/${code}/claim`, { method: 'POST', headers: auth })).status).toBe(
      200,
    );
    await act(code, auth, 'START_REVIEW');
    await act(code, auth, 'SEND_TO_TAX', { taxAuthorityCode: 'CCT-KH-DIENKHANH' });
    await act(code, auth, 'RECORD_OBLIGATION_MET', { taxNoticeNumber: 'TB-UI-1', amount: 0 });
    await act(code, approver, 'APPROVE');

    const page = await browser.newPage();
    const cspViolations = await watchCspViolations(page);
    await page.goto(`${office.baseUrl}/`);
    await page.fill('#token', devToken(officer));
    await page.click('#sign-in');
    await page.waitForSelector('#worklist');
    await page.goto(`${office.baseUrl}/#/case/${encodeURIComponent(code)}`);
    const item = `#attachments li[data-sha256="${sha256(contract)}"]`;
    await page.waitForSelector(item);
    expect(await page.textContent(item)).toContain('Hợp đồng');
    expect(await page.textContent('#attachments')).not.toContain('nguyen-van-an');
    const [downloaded] = await Promise.all([page.waitForEvent('download'), page.click(`${item} button.download`)]);
    expect(downloaded.suggestedFilename()).toBe(`transfer-contract-${sha256(contract).slice(0, 8)}.pdf`);
    expect(sha256(readFileSync(await downloaded.path()))).toBe(sha256(contract));

    const scan = pdf(900_000);
    await page.click('[data-action="ISSUE_CERTIFICATE"]');
    await page.fill('#f-serial', 'DA 09990001');
    await page.setInputFiles('#f-scan', { name: 'gcn-scan.pdf', mimeType: 'application/pdf', buffer: scan });
    await page.click('#f-scan-upload');
    await page.waitForSelector(`#f-scan-state:has-text("${sha256(scan).slice(0, 12)}")`);
    await page.click('#f-submit');
    await page.waitForSelector('#case-state[data-state="CERTIFICATE_ISSUED"]');
    await page.waitForSelector(`#attachments li[data-sha256="${sha256(scan)}"]`);
    await page.screenshot({ path: path.join(logDir, 'documents-console.png'), fullPage: true });
    // Download (a blob: link) and upload ran under the CSP without a refused load.
    expect(cspViolations).toEqual([]);

    const atIntake = await waitFor(
      async () => {
        const response = await fetch(`${intake.baseUrl}/v1/dossiers/${code}`, { headers: intakeAuth() });
        const view = (await response.json()) as { documents: { addedWith: string; sha256: string }[] };
        return view.documents.some((d) => d.addedWith === 'LRO_RESULT') ? view : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: 'the certificate scan listed at intake' },
    );
    expect(atIntake.documents.find((d) => d.addedWith === 'LRO_RESULT')!.sha256).toBe(sha256(scan));
  }, 300_000);
});
