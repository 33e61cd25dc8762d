import { createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { ServiceProcess, waitFor } from '@lienthong/testing';
import { dossierBody, intakeAuth } from '../support/dossier-body';
import { officeAuth } from '../support/office-auth';

// Black-box journey of issue 13 (documents by claim check): a dossier with two PDFs and one image, received at a
// commune of KH-DIENKHANH (22657) for land in Vạn Hưng (22525), becomes a KH-VANNINH case listing the three files as
// attachments; its workers download each with the same SHA-256, a KH-DIENKHANH worker gets 404; a supplement adds a
// fourth; the certificate scan the LRO uploads comes back to intake. A VBDLIS payload with a 25 MB attachment is
// visible at the LRO too. The bytes cross through the shared object store only; the events carry references.

const root = path.resolve(__dirname, '../..');
const logDir = path.join(root, '.cache/run/journey-logs');
const env = { OTEL_TRACES_EXPORTER: 'none' };
const intake = new ServiceProcess({ name: 'dossier-intake', port: 3350, root, logDir, env });
const office = new ServiceProcess({ name: 'registration-office', port: 3351, root, logDir, env });

const vanNinh = officeAuth({ userId: 'vn-officer', branch: 'KH-VANNINH', roles: ['officer'] });
const vanNinhApprover = officeAuth({ userId: 'vn-approver', branch: 'KH-VANNINH', roles: ['approver'] });
const dienKhanh = officeAuth({
  userId: 'dk-officer',
  branch: 'KH-DIENKHANH',
  roles: ['officer', 'approver', 'supervisor'],
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** A PDF-looking file of about `size` bytes (the services check the declared type, not the content). */
const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(size), Buffer.from('\n%%EOF\n')]);
const png = (size: number) =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(size)]);

interface Attachment {
  sha256: string;
  kind: string;
  label: { vi: string; en: string };
  mediaType: string;
  sizeBytes: number;
  addedWith: string;
  supplementRequestNumber?: number;
}
interface CaseView {
  state: string;
  branchCode?: string;
  attachments: Attachment[];
  documents: { kind: string }[];
}
interface DossierDocument {
  kind: string;
  fileName: string;
  sha256: string;
  mediaType: string;
  sizeBytes: number;
  addedWith: string;
}

async function uploadToIntake(bytes: Buffer, mediaType: string): Promise<void> {
  const response = await fetch(`${intake.baseUrl}/v1/files/${sha256(bytes)}`, {
    method: 'PUT',
    headers: { 'content-type': mediaType, ...intakeAuth() },
    body: bytes,
  });
  expect([200, 201]).toContain(response.status);
}

async function caseAt(code: string, auth: object): Promise<CaseView> {
  const response = await fetch(`${office.baseUrl}/v1/cases/${code}`, { headers: auth as Record<string, string> });
  expect(response.status).toBe(200);
  return (await response.json()) as CaseView;
}

/** Downloads a file and returns its status, headers and the SHA-256 of the body. */
async function download(url: string, auth: object): Promise<{ status: number; headers: Headers; sha256?: string }> {
  const response = await fetch(url, { headers: auth as Record<string, string> });
  if (response.status !== 200) {
    await response.body?.cancel();
    return { status: response.status, headers: response.headers };
  }
  return {
    status: 200,
    headers: response.headers,
    sha256: sha256(Buffer.from(await response.arrayBuffer())),
  };
}

async function act(code: string, auth: object, action: string, rest: object = {}): Promise<Response> {
  return fetch(`${office.baseUrl}/v1/cases/${code}/transitions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...auth },
    body: JSON.stringify({ action, ...rest }),
  });
}

async function actOk(code: string, auth: object, action: string, rest: object = {}): Promise<CaseView> {
  const response = await act(code, auth, action, rest);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${action} → ${response.status} ${text}`);
  return JSON.parse(text) as CaseView;
}

async function intakeDocuments(code: string): Promise<{ portalStatusCode: number; documents: DossierDocument[] }> {
  const response = await fetch(`${intake.baseUrl}/v1/dossiers/${code}`, { headers: intakeAuth() });
  expect(response.status).toBe(200);
  return (await response.json()) as { portalStatusCode: number; documents: DossierDocument[] };
}

describe('documents cross from the commune to the LRO with jurisdiction and back', () => {
  beforeAll(async () => {
    await Promise.all([intake.start(), office.start()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([intake.stop(), office.stop()]);
  });

  it('three files become attachments of the KH-VANNINH case, a supplement adds a fourth, the certificate scan returns', async () => {
    const application = pdf(300_000);
    const contract = pdf(1_200_000);
    const photo = png(500_000);
    for (const [bytes, type] of [
      [application, 'application/pdf'],
      [contract, 'application/pdf'],
      [photo, 'image/png'],
    ] as const) {
      await uploadToIntake(bytes, type);
    }
    const documents = [
      { kind: 'APPLICATION_FORM', fileName: 'don-nguyen-van-an.pdf', mediaType: 'application/pdf', bytes: application },
      { kind: 'TRANSFER_CONTRACT', fileName: 'hop-dong-an-minh.pdf', mediaType: 'application/pdf', bytes: contract },
      { kind: 'LAND_USE_CERTIFICATE', fileName: 'so-do-chup.png', mediaType: 'image/png', bytes: photo },
    ];
    const submitted = await fetch(`${intake.baseUrl}/v1/dossiers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...intakeAuth() },
      body: JSON.stringify(
        dossierBody('documents-journey', `DOC-${randomUUID()}`, {
          parcels: [
            { communeCode: '22525', mapSheetNumber: '7', parcelNumber: '112', areaM2: 210.4, landUseCode: 'ONT' },
          ],
          documents: documents.map(({ bytes, ...d }) => ({ ...d, sizeBytes: bytes.length, sha256: sha256(bytes) })),
        }),
      ),
    });
    expect(submitted.status).toBe(201);
    const { dossierCode: code } = (await submitted.json()) as { dossierCode: string };

    // The case lands at the branch with jurisdiction over the land, with the three files as attachments.
    const since = Date.now();
    const kase = await waitFor(
      async () => {
        const response = await fetch(`${office.baseUrl}/v1/cases/${code}`, { headers: vanNinh });
        return response.status === 200 ? ((await response.json()) as CaseView) : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: `case ${code} at KH-VANNINH` },
    );
    console.log(`dossier with 3 files: case at the LRO after ${Date.now() - since} ms`);
    expect(kase.branchCode).toBe('KH-VANNINH');
    expect(kase.documents).toEqual([]);
    expect(kase.attachments).toHaveLength(3);
    for (const d of documents) {
      expect(kase.attachments).toContainEqual(
        expect.objectContaining({
          sha256: sha256(d.bytes),
          kind: d.kind,
          mediaType: d.mediaType,
          sizeBytes: d.bytes.length,
          addedWith: 'SUBMISSION',
          label: { vi: expect.any(String), en: expect.any(String) },
        }),
      );
    }
    // The citizen's file names stay at intake.
    expect(JSON.stringify(kase)).not.toContain('nguyen-van-an');

    // A KH-VANNINH worker downloads each file with the same SHA-256; a KH-DIENKHANH worker gets 404.
    for (const d of documents) {
      const url = `${office.baseUrl}/v1/cases/${code}/attachments/${sha256(d.bytes)}`;
      const got = await download(url, vanNinh);
      expect(got.status).toBe(200);
      expect(got.sha256).toBe(sha256(d.bytes));
      expect(got.headers.get('content-type')).toBe(d.mediaType);
      expect(got.headers.get('content-length')).toBe(String(d.bytes.length));
      const disposition = got.headers.get('content-disposition') ?? '';
      expect(disposition).toMatch(/^attachment; filename="[a-z0-9-]+-[0-9a-f]{8}\.(pdf|png)"$/);
      expect(disposition).not.toContain(d.fileName);
      expect((await download(url, dienKhanh)).status).toBe(404);
    }
    expect((await fetch(`${office.baseUrl}/v1/cases/${code}`, { headers: dienKhanh })).status).toBe(404);
    // A file of the store that is not an attachment of this case is not served through it.
    const elsewhere = pdf(1_000);
    await uploadToIntake(elsewhere, 'application/pdf');
    expect(
      (await download(`${office.baseUrl}/v1/cases/${code}/attachments/${sha256(elsewhere)}`, vanNinh)).status,
    ).toBe(404);
    const audit = (await (await fetch(`${office.baseUrl}/v1/cases/${code}/audit`, { headers: vanNinh })).json()) as {
      intact: boolean;
      entries: { kind: string; actor: string }[];
    };
    expect(audit.intact).toBe(true);
    expect(audit.entries.filter((e) => e.kind === 'DOWNLOAD').map((e) => e.actor)).toEqual([
      'vn-officer',
      'vn-officer',
      'vn-officer',
    ]);

    // intake's own view lists them with the intake system's file names.
    const atIntake = await intakeDocuments(code);
    expect(atIntake.documents.map((d) => [d.fileName, d.sha256, d.addedWith])).toEqual(
      documents.map((d) => [d.fileName, sha256(d.bytes), 'SUBMISSION']),
    );

    // A supplement adds a fourth file.
    expect((await fetch(`${office.baseUrl}/v1/cases/${code}/claim`, { method: 'POST', headers: vanNinh })).status).toBe(
      200,
    );
    await actOk(code, vanNinh, 'START_REVIEW');
    await actOk(code, vanNinh, 'REQUEST_SUPPLEMENT', {
      reason: 'Thiếu văn bản đồng ý của bên nhận thế chấp.',
      details: { missingDocuments: [{ componentCode: 'MORTGAGEE_CONSENT', name: 'Văn bản đồng ý của ngân hàng' }] },
    });
    await waitFor(async () => ((await intakeDocuments(code)).portalStatusCode === 5 ? true : undefined), {
      timeoutMs: 20_000,
      intervalMs: 200,
      description: 'intake to show the supplement request',
    });
    const consent = pdf(400_000);
    await uploadToIntake(consent, 'application/pdf');
    const answered = await fetch(`${intake.baseUrl}/v1/dossiers/${code}/supplements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...intakeAuth() },
      body: JSON.stringify({
        supplementRequestNumber: 1,
        documents: [
          {
            kind: 'MORTGAGEE_CONSENT',
            fileName: 'van-ban-dong-y-vietcombank.pdf',
            mediaType: 'application/pdf',
            sizeBytes: consent.length,
            sha256: sha256(consent),
          },
        ],
      }),
    });
    expect(answered.status).toBe(200);
    const supplemented = await waitFor(
      async () => {
        const view = await caseAt(code, vanNinh);
        return view.attachments.length === 4 ? view : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: 'the supplement file as the fourth attachment' },
    );
    expect(supplemented.state).toBe('IN_REVIEW');
    expect(supplemented.attachments[3]).toMatchObject({
      sha256: sha256(consent),
      kind: 'MORTGAGEE_CONSENT',
      addedWith: 'SUPPLEMENT',
      supplementRequestNumber: 1,
    });
    const consentDownload = await download(
      `${office.baseUrl}/v1/cases/${code}/attachments/${sha256(consent)}`,
      vanNinh,
    );
    expect(consentDownload.sha256).toBe(sha256(consent));

    // Through tax and approval to the certificate; the LRO uploads its scan and names it.
    await actOk(code, vanNinh, 'SEND_TO_TAX', { details: { taxAuthorityCode: 'CCT-KH-VANNINH' } });
    await actOk(code, vanNinh, 'RECORD_OBLIGATION_MET', { details: { taxNoticeNumber: 'TB-2026-0913', amount: 1 } });
    await actOk(code, vanNinhApprover, 'APPROVE');
    const scan = pdf(2_000_000);
    const scanUrl = `${office.baseUrl}/v1/cases/${code}/attachments/${sha256(scan)}`;
    const wrongBytes = await fetch(scanUrl, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf', ...vanNinh },
      body: pdf(10),
    });
    expect(wrongBytes.status).toBe(400);
    const notMine = await fetch(scanUrl, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf', ...dienKhanh },
      body: scan,
    });
    expect(notMine.status).toBe(404);
    const unknownScan = await act(code, vanNinh, 'ISSUE_CERTIFICATE', {
      details: { certificateSerial: 'DA 07654321', certificateScanSha256: sha256(scan) },
    });
    expect(unknownScan.status).toBe(400);
    const uploaded = await fetch(scanUrl, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf', ...vanNinh },
      body: scan,
    });
    expect(uploaded.status).toBe(201);
    expect(await uploaded.json()).toMatchObject({
      sha256: sha256(scan),
      kind: 'CERTIFICATE_SCAN',
      addedWith: 'LRO_RESULT',
    });
    const issued = await actOk(code, vanNinh, 'ISSUE_CERTIFICATE', {
      details: { certificateSerial: 'DA 07654321', certificateScanSha256: sha256(scan) },
    });
    expect(issued.state).toBe('CERTIFICATE_ISSUED');
    expect(issued.attachments.map((a) => a.addedWith)).toEqual([
      'SUBMISSION',
      'SUBMISSION',
      'SUBMISSION',
      'SUPPLEMENT',
      'LRO_RESULT',
    ]);

    // The scan comes back to intake: listed as a result document and downloadable with the same SHA-256.
    const back = await waitFor(
      async () => {
        const view = await intakeDocuments(code);
        return view.documents.some((d) => d.addedWith === 'LRO_RESULT') ? view : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: 'the certificate scan at intake' },
    );
    expect(back.portalStatusCode).toBe(9);
    expect(back.documents.map((d) => [d.addedWith, d.sha256])).toEqual([
      ...documents.map((d) => ['SUBMISSION', sha256(d.bytes)]),
      ['SUPPLEMENT', sha256(consent)],
      ['LRO_RESULT', sha256(scan)],
    ]);
    const result = await download(`${intake.baseUrl}/v1/dossiers/${code}/documents/${sha256(scan)}`, intakeAuth());
    expect(result.status).toBe(200);
    expect(result.sha256).toBe(sha256(scan));
    expect(result.headers.get('content-type')).toBe('application/pdf');
    expect(result.headers.get('content-length')).toBe(String(scan.length));
    // Another commune's intake system does not see it.
    expect(
      (await download(`${intake.baseUrl}/v1/dossiers/${code}/documents/${sha256(scan)}`, intakeAuth(['21439']))).status,
    ).toBe(404);
  }, 300_000);

  it('a VBDLIS payload with a 25 MB attachment is accepted, stored once and visible at the LRO', async () => {
    const local = new Date(Date.now() + 7 * 3_600_000 - 2 * 60_000).toISOString().slice(0, 19);
    const receipt = `000.00.56.H42-${local.slice(2, 10).replace(/-/g, '')}-${String(5000 + Math.floor(Math.random() * 4999))}`;
    const scan = pdf(25 * 1024 * 1024);
    const body = JSON.stringify({
      LaQuyTrinhCapTinh: true,
      TinhId: 56,
      HuyenId: 0,
      XaId: 22657,
      SoBienNhan: receipt,
      MaHoSoMotCua: receipt,
      NguoiTiepNhan: 'Lê Thị Thu',
      NgayTiepNhan: local,
      DiaChiTaiSan: 'Thôn Phú Ân Nam 2, xã Diên Điền, tỉnh Khánh Hòa',
      ThongTinNguoiNopDon: { HoTen: 'Võ Minh Tuấn', SoChungMinh: '056085011223', SoDienThoai: '0935111222' },
      ThongTinQuyTrinh: { MaQuyTrinh: '1.013831', TenQuyTrinh: 'Đăng ký biến động quyền sử dụng đất (chuyển nhượng)' },
      ThongTinThuaDat: [
        { SoThuTuThua: '88', SoHieuBanDo: '15', DienTich: '150.2', DiaChiChiTiet: 'Thôn Phú Ân Nam 2' },
      ],
      DanhSachGiayToDinhKem: [
        {
          TenGiayTo: 'Hợp đồng chuyển nhượng quyền sử dụng đất (bản scan)',
          SoBanChinh: 1,
          SoBanSao: 0,
          TapTin: { name: 'hop-dong-scan.pdf', data: scan.toString('base64') },
        },
      ],
    });
    const answer = await fetch(`${intake.baseUrl}/v1/compat/vbdlis/tiepnhan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...intakeAuth() },
      body,
    });
    expect(answer.status).toBe(201);

    const kase = await waitFor(
      async () => {
        const response = await fetch(`${office.baseUrl}/v1/cases/${receipt}`, { headers: dienKhanh });
        return response.status === 200 ? ((await response.json()) as CaseView) : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: `case ${receipt} at KH-DIENKHANH` },
    );
    expect(kase.attachments).toEqual([
      expect.objectContaining({ sha256: sha256(scan), mediaType: 'application/pdf', sizeBytes: scan.length }),
    ]);
    const got = await download(`${office.baseUrl}/v1/cases/${receipt}/attachments/${sha256(scan)}`, dienKhanh);
    expect(got.status).toBe(200);
    expect(got.sha256).toBe(sha256(scan));
  }, 300_000);
});
