import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Topics } from '@lienthong/messaging';
import { KafkaTestConsumer, ServiceProcess, waitFor } from '@lienthong/testing';
import { dossierBody, intakeAuth } from '../support/dossier-body';
import { officeAuth } from '../support/office-auth';

// Black-box journey of the front desk (issue 4): a dossier handed over in the VBDLIS compatibility format reaches
// the LRO, the front desk's view follows it with dossier.status-changed, another commune's client sees nothing,
// the webhook subscription is announced, and a withdrawal reaches the topic. Asserted only through HTTP and Kafka.

const root = path.resolve(__dirname, '../..');
const logDir = path.join(root, '.cache/run/journey-logs');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const env = { OTEL_TRACES_EXPORTER: 'none' };
const service = (name: string, port: number) => new ServiceProcess({ name, port, root, logDir, env });
const intake = service('dossier-intake', 3201);
const office = service('registration-office', 3202);

/** Today in Vietnam, as the compatibility payload states times: local, without offset. */
function localNow(minutesAgo: number): { iso: string; yymmdd: string } {
  const local = new Date(Date.now() + 7 * 3_600_000 - minutesAgo * 60_000);
  const iso = local.toISOString().slice(0, 19);
  return { iso, yymmdd: iso.slice(2, 10).replace(/-/g, '') };
}

function tiepnhan(receipt: string, receivedAt: string): Record<string, unknown> {
  const pdf = Buffer.from('%PDF-1.4\n% Đơn đăng ký biến động đất đai, tài sản gắn liền với đất\n%%EOF\n');
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('bản scan')]);
  return {
    LaQuyTrinhCapTinh: true,
    TinhId: 56,
    HuyenId: 0,
    XaId: 22657,
    SoBienNhan: receipt,
    MaHoSoMotCua: receipt,
    NguoiTiepNhan: 'Lê Thị Thu',
    NgayTiepNhan: receivedAt,
    DiaChiTaiSan: 'Thôn Phú Ân Nam 2, xã Diên Điền, tỉnh Khánh Hòa',
    ThongTinNguoiNopDon: {
      HoTen: 'Võ Minh Tuấn',
      SoChungMinh: '056085011223',
      DiaChiChiTiet: 'Thôn Phú Ân Nam 1, xã Diên Điền',
      SoDienThoai: '0935111222',
      Email: null,
    },
    ThongTinQuyTrinh: { MaQuyTrinh: '1.013831', TenQuyTrinh: 'Đăng ký biến động quyền sử dụng đất (chuyển nhượng)' },
    ThongTinThuaDat: [{ SoThuTuThua: '88', SoHieuBanDo: '15', DienTich: '150.2', DiaChiChiTiet: 'Thôn Phú Ân Nam 2' }],
    DanhSachGiayToDinhKem: [
      {
        TenGiayTo: 'Đơn đăng ký biến động đất đai, tài sản gắn liền với đất',
        SoBanChinh: 1,
        SoBanSao: 0,
        TapTin: { name: 'don-dang-ky.pdf', data: pdf.toString('base64') },
      },
      {
        TenGiayTo: 'Giấy chứng nhận quyền sử dụng đất',
        SoBanChinh: 0,
        SoBanSao: 1,
        TapTin: { name: 'giay-chung-nhan.png', data: png.toString('base64') },
      },
    ],
  };
}

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('the front desk follows its dossiers', () => {
  let events: KafkaTestConsumer;

  beforeAll(async () => {
    events = new KafkaTestConsumer(brokers, [Topics.DossierEvents, Topics.ClientEvents]);
    await events.start();
    await Promise.all([intake.start(), office.start()]);
  }, 120_000);

  afterAll(async () => {
    await events?.stop();
    await Promise.all([intake.stop(), office.stop()]);
  });

  it('a VBDLIS tiepnhan payload with two attachments becomes a dossier the LRO receives, followed at the desk', async () => {
    // A receipt number of the national format for today, with a number far from the service's own counter.
    const now = localNow(2);
    const receipt = `000.00.56.H42-${now.yymmdd}-${String(5000 + Math.floor(Math.random() * 4999))}`;
    const answer = await post(`${intake.baseUrl}/v1/compat/vbdlis/tiepnhan`, tiepnhan(receipt, now.iso), intakeAuth());
    expect(answer.status).toBe(201);
    expect(await answer.json()).toMatchObject({ data: 1, status: { success: true } });

    const kase = await waitFor(
      async () => {
        const response = await fetch(`${office.baseUrl}/v1/cases/${receipt}`, { headers: officeAuth() });
        return response.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined;
      },
      { timeoutMs: 20_000, description: `case ${receipt} at registration-office` },
    );
    expect(kase).toMatchObject({ dossierCode: receipt, communeCode: '22657' });

    const view = await waitFor(
      async () => {
        const response = await fetch(`${intake.baseUrl}/v1/dossiers/${receipt}`, { headers: intakeAuth() });
        const body = (await response.json()) as { status: string; portalStatusCode: number; applicant: object };
        return body.status === 'IN_PROGRESS' ? body : undefined;
      },
      { timeoutMs: 20_000, description: `dossier ${receipt} in progress at intake` },
    );
    expect(view.portalStatusCode).toBe(4);
    expect(JSON.stringify(view)).not.toContain('056085011223');

    // The desk's view changed twice, each announced once: RECEIVED, then IN_PROGRESS.
    await events.waitForMessage(
      (m) => m.key === receipt && (m.value as { data?: { status?: string } }).data?.status === 'IN_PROGRESS',
    );
    const changes = events.messages
      .filter((m) => m.key === receipt && m.headers.ce_type === 'dossier.status-changed')
      .map((m) => (m.value as { data: { status: string; clientId: string } }).data);
    expect(changes.map((c) => c.status)).toEqual(['RECEIVED', 'IN_PROGRESS']);
    expect(changes[0]!.clientId).toBe('test-intake');
    // The LRO got references to the files, never their bytes.
    const submitted = events.messages.find((m) => m.key === receipt && m.headers.ce_type === 'dossier.submitted')!;
    expect((submitted.value as { data: { documents: unknown[] } }).data.documents).toHaveLength(2);
    expect(JSON.stringify(submitted.value)).not.toContain('base64');

    // The citizen withdraws at the desk: the LRO is told, the view shows portal status 7.
    const withdrawal = await post(
      `${intake.baseUrl}/v1/dossiers/${receipt}/withdrawal`,
      { reason: 'Người nộp xin rút hồ sơ' },
      { ...intakeAuth(), 'idempotency-key': randomUUID() },
    );
    expect(withdrawal.status).toBe(200);
    expect(await withdrawal.json()).toMatchObject({ status: 'WITHDRAWAL_REQUESTED', portalStatusCode: 7 });
    await events.waitForMessage((m) => m.key === receipt && m.headers.ce_type === 'dossier.withdrawn');
  });

  it('a client of another commune cannot read, list or change the dossier: 404 everywhere', async () => {
    const reference = `BN-${randomUUID()}`;
    const submitted = await post(`${intake.baseUrl}/v1/dossiers`, dossierBody('journey-desk', reference), {
      ...intakeAuth(),
      'idempotency-key': randomUUID(),
    });
    expect(submitted.status).toBe(201);
    const { dossierCode } = (await submitted.json()) as { dossierCode: string };
    const other = intakeAuth(['21439']);
    expect((await fetch(`${intake.baseUrl}/v1/dossiers/${dossierCode}`, { headers: other })).status).toBe(404);
    expect((await fetch(`${intake.baseUrl}/v1/dossiers?communeCode=22657`, { headers: other })).status).toBe(404);
    const listed = (await (await fetch(`${intake.baseUrl}/v1/dossiers?limit=100`, { headers: other })).json()) as {
      items: { dossierCode: string }[];
    };
    expect(listed.items.map((d) => d.dossierCode)).not.toContain(dossierCode);
    const withdraw = await post(
      `${intake.baseUrl}/v1/dossiers/${dossierCode}/withdrawal`,
      { reason: 'x' },
      { ...other, 'idempotency-key': randomUUID() },
    );
    expect(withdraw.status).toBe(404);
    const supplement = await post(
      `${intake.baseUrl}/v1/dossiers/${dossierCode}/supplements`,
      {
        documents: [
          {
            kind: 'MORTGAGEE_CONSENT',
            fileName: 'a.pdf',
            mediaType: 'application/pdf',
            sizeBytes: 10,
            sha256: 'a'.repeat(64),
          },
        ],
      },
      { ...other, 'idempotency-key': randomUUID() },
    );
    expect(supplement.status).toBe(404);
    // The owner still sees it, unchanged.
    const own = (await (
      await fetch(`${intake.baseUrl}/v1/dossiers/${dossierCode}`, { headers: intakeAuth() })
    ).json()) as {
      history: { status: string }[];
    };
    expect(own.history.map((h) => h.status)).not.toContain('WITHDRAWAL_REQUESTED');
  });

  it('announces the webhook subscription on the client topic, keyed by the client', async () => {
    const url = 'http://127.0.0.1:3105/hooks/lienthong';
    const response = await fetch(`${intake.baseUrl}/v1/subscriptions/webhook`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...intakeAuth() },
      body: JSON.stringify({ url }),
    });
    expect(response.status).toBe(200);
    const { secret } = (await response.json()) as { secret: string };
    expect(secret).toMatch(/^whsec_/);
    const event = await events.waitForMessage(
      (m) => m.key === 'test-intake' && (m.value as { data?: { secret?: string } }).data?.secret === secret,
    );
    expect(event.value).toMatchObject({ type: 'client.webhook-subscribed', subject: 'test-intake', data: { url } });
  });
});
