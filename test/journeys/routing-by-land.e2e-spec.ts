import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Topics } from '@lienthong/messaging';
import { KafkaTestConsumer, ServiceProcess, waitFor } from '@lienthong/testing';
import { dossierBody, intakeAuth } from '../support/dossier-body';
import { officeAuth } from '../support/office-auth';

// Black-box journey of issue 13 §2 (ADR 0008): a dossier received at Diên Điền (22657, a commune of KH-DIENKHANH)
// for land in Vạn Hưng (22525) becomes a case of KH-VANNINH, the branch with jurisdiction over the land; the front
// desk that received it follows it as before. A supervisor then moves the case to another branch of the province,
// with a reason, and the case leaves one worklist for the other. Only HTTP and Kafka.

const root = path.resolve(__dirname, '../..');
const logDir = path.join(root, '.cache/run/journey-logs');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
// No files in these dossiers: a local document store keeps the journey independent of the S3 store.
const env = {
  OTEL_TRACES_EXPORTER: 'none',
  FILE_STORE: 'fs',
  FILE_STORE_DIR: path.join(root, '.cache/run/journey-routing-files'),
};
const intake = new ServiceProcess({ name: 'dossier-intake', port: 3331, root, logDir, env });
const office = new ServiceProcess({ name: 'registration-office', port: 3332, root, logDir, env });

const vanNinhOfficer = officeAuth({ userId: 'vn-officer', branch: 'KH-VANNINH', roles: ['officer'] });
const vanNinhSupervisor = officeAuth({ userId: 'vn-supervisor', branch: 'KH-VANNINH', roles: ['supervisor'] });
const dienKhanhOfficer = officeAuth({ userId: 'dk-officer', branch: 'KH-DIENKHANH', roles: ['officer'] });
const dienKhanhSupervisor = officeAuth({ userId: 'dk-supervisor', branch: 'KH-DIENKHANH', roles: ['supervisor'] });

interface CaseView {
  dossierCode: string;
  state: string;
  communeCode: string;
  branchCode?: string;
  branch?: { code: string; name: string };
  procedure?: { code: string; name: { vi: string; en: string } };
  commune?: { code: string; name: string; provinceName: string };
  parcels: { communeCode: string; commune?: { name: string } }[];
  persons: { role: string; roleLabel?: { vi: string; en: string } }[];
  stateLabel: { vi: string; en: string };
  multiBranch: boolean;
}
interface WorklistPage {
  items: { dossierCode: string }[];
  nextCursor?: string;
}

const landInVanHung = {
  parcels: [{ communeCode: '22525', mapSheetNumber: '21', parcelNumber: '88', areaM2: 310.5, landUseCode: 'ONT' }],
};

async function submit(extra: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${intake.baseUrl}/v1/dossiers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...intakeAuth() },
    body: JSON.stringify(dossierBody('journey-routing', `ROUTE-${randomUUID()}`, extra)),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`submission → ${response.status} ${text}`);
  return (JSON.parse(text) as { dossierCode: string }).dossierCode;
}

async function caseAs(code: string, auth: object): Promise<{ status: number; view?: CaseView }> {
  const response = await fetch(`${office.baseUrl}/v1/cases/${code}`, { headers: auth });
  return response.status === 200
    ? { status: 200, view: (await response.json()) as CaseView }
    : { status: response.status };
}

/** Every code of the branch's worklist among received transfers filed at 22657 (all pages: other runs' cases too). */
async function worklistCodes(auth: object): Promise<string[]> {
  const codes: string[] = [];
  let cursor: string | undefined;
  do {
    const query = `state=RECEIVED&procedureCode=1.013831&communeCode=22657&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
    const response = await fetch(`${office.baseUrl}/v1/worklist?${query}`, { headers: auth });
    expect(response.status).toBe(200);
    const page = (await response.json()) as WorklistPage;
    codes.push(...page.items.map((i) => i.dossierCode));
    cursor = page.nextCursor && encodeURIComponent(page.nextCursor);
  } while (cursor);
  return codes;
}

async function move(code: string, auth: object, body: unknown, key = randomUUID()): Promise<Response> {
  return fetch(`${office.baseUrl}/v1/cases/${code}/move`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key, ...auth },
    body: JSON.stringify(body),
  });
}

describe('routing a dossier to the branch with jurisdiction over the land', () => {
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

  it('received at 22657 for land in Vạn Hưng 22525: a KH-VANNINH case, 404 at KH-DIENKHANH, followed by the front desk', async () => {
    const code = await submit(landInVanHung);

    const atVanNinh = await waitFor(async () => (await caseAs(code, vanNinhOfficer)).view, {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: `case ${code} at KH-VANNINH`,
    });
    expect(atVanNinh).toMatchObject({
      dossierCode: code,
      communeCode: '22657',
      branchCode: 'KH-VANNINH',
      branch: { code: 'KH-VANNINH', name: 'Chi nhánh Văn phòng đăng ký đất đai Vạn Ninh' },
      commune: { code: '22657', name: 'Diên Điền', provinceName: 'Khánh Hoà' },
      procedure: { code: '1.013831', name: { vi: expect.stringMatching(/chuyển nhượng/i) } },
      parcels: [{ communeCode: '22525', commune: { name: 'Vạn Hưng' } }],
      stateLabel: { vi: 'Đã tiếp nhận', en: 'Received' },
      multiBranch: false,
    });
    expect(atVanNinh.persons[0]).toMatchObject({ role: 'APPLICANT', roleLabel: { vi: 'Người nộp hồ sơ' } });
    expect(await worklistCodes(vanNinhOfficer)).toContain(code);

    expect((await caseAs(code, dienKhanhOfficer)).status).toBe(404);
    expect(await worklistCodes(dienKhanhOfficer)).not.toContain(code);

    const received = await caseEvents.waitForMessage(
      (m) => m.key === code && m.headers.ce_type === 'case.received',
      30_000,
      `case.received of ${code}`,
    );
    expect((received.value as { data: { branchCode?: string } }).data.branchCode).toBe('KH-VANNINH');

    // The receiving front desk (commune 22657) still serves the dossier and sees the LRO's progress.
    const desk = await waitFor(
      async () => {
        const response = await fetch(`${intake.baseUrl}/v1/dossiers/${code}`, { headers: intakeAuth() });
        expect(response.status).toBe(200);
        const view = (await response.json()) as { status: string; portalStatusCode: number; receivingUnitCode: string };
        return view.status === 'IN_PROGRESS' ? view : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300, description: `intake to show ${code} in progress at the LRO` },
    );
    expect(desk).toMatchObject({ receivingUnitCode: '22657', portalStatusCode: 4 });
  });

  it('a supervisor moves a misrouted case to another branch of the province; refusals change nothing', async () => {
    const code = await submit(landInVanHung);
    await waitFor(async () => (await caseAs(code, vanNinhOfficer)).view, {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: `case ${code} at KH-VANNINH`,
    });
    const reason = 'Thửa đất nằm trên ranh giới, hồ sơ địa chính do chi nhánh Diên Khánh quản lý';

    // Refusals: clear problems, and the case stays where it is.
    const noReason = await move(code, vanNinhSupervisor, { branchCode: 'KH-DIENKHANH' });
    expect(noReason.status).toBe(400);
    expect(noReason.headers.get('content-type')).toContain('application/problem+json');
    const blankReason = await move(code, vanNinhSupervisor, { branchCode: 'KH-DIENKHANH', reason: '  ' });
    expect(blankReason.status).toBe(400);
    const otherProvince = await move(code, vanNinhSupervisor, { branchCode: 'QNG-DUCPHO', reason });
    expect(otherProvince.status).toBe(400);
    expect(JSON.stringify(await otherProvince.json())).toContain('OTHER_PROVINCE');
    expect((await move(code, vanNinhOfficer, { branchCode: 'KH-DIENKHANH', reason })).status).toBe(403);
    expect((await move(code, dienKhanhSupervisor, { branchCode: 'KH-DIENKHANH', reason })).status).toBe(404);
    expect((await move(code, vanNinhSupervisor, { branchCode: 'KH-VANNINH', reason })).status).toBe(409);
    expect((await caseAs(code, vanNinhOfficer)).view?.branchCode).toBe('KH-VANNINH');

    // The move, retried with the same key: one move, one event.
    const key = randomUUID();
    const moved = await move(code, vanNinhSupervisor, { branchCode: 'KH-DIENKHANH', reason }, key);
    expect(moved.status).toBe(200);
    const result = (await moved.json()) as { previousBranchCode: string; branchCode: string };
    expect(result).toMatchObject({ dossierCode: code, previousBranchCode: 'KH-VANNINH', branchCode: 'KH-DIENKHANH' });
    const retried = await move(code, vanNinhSupervisor, { branchCode: 'KH-DIENKHANH', reason }, key);
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(await retried.json()).toEqual(result);

    expect((await caseAs(code, vanNinhOfficer)).status).toBe(404);
    expect(await worklistCodes(vanNinhOfficer)).not.toContain(code);
    const atDienKhanh = await caseAs(code, dienKhanhOfficer);
    expect(atDienKhanh.view).toMatchObject({ branchCode: 'KH-DIENKHANH', state: 'RECEIVED' });
    expect(await worklistCodes(dienKhanhOfficer)).toContain(code);

    const audit = await fetch(`${office.baseUrl}/v1/cases/${code}/audit`, { headers: dienKhanhSupervisor });
    expect(audit.status).toBe(200);
    const trail = (await audit.json()) as {
      intact: boolean;
      entries: { kind: string; actor: string; branch?: string; what: string; reason?: string }[];
    };
    expect(trail.intact).toBe(true);
    expect(trail.entries.filter((e) => e.kind === 'MOVE')).toEqual([
      expect.objectContaining({
        actor: 'vn-supervisor',
        branch: 'KH-VANNINH',
        what: 'MOVE KH-VANNINH → KH-DIENKHANH',
        reason,
      }),
    ]);

    const event = await caseEvents.waitForMessage(
      (m) => m.key === code && m.headers.ce_type === 'case.moved',
      30_000,
      `case.moved of ${code}`,
    );
    expect((event.value as { data: unknown }).data).toMatchObject({
      fromBranchCode: 'KH-VANNINH',
      branchCode: 'KH-DIENKHANH',
      actor: { unitCode: 'KH-VANNINH', userId: 'vn-supervisor' },
      reason,
    });
    expect(caseEvents.messages.filter((m) => m.key === code && m.headers.ce_type === 'case.moved')).toHaveLength(1);
  });
});
