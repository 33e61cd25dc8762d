import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateEvent } from '@lienthong/event-contracts';
import { devToken } from '@lienthong/testing';
import { startIntakeHttpApp, type IntakeHttpApp } from '../../../../testing/intake-http-app';

// A realistic `tiepnhan` payload as a provincial one-stop system sends it (domain.md §7): Vietnamese diacritics,
// local times without offset, two base64 attachments (a PDF and a PNG scan).
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Title (Đơn đăng ký biến động đất đai) >> endobj\ntrailer <<>>\n%%EOF\n');
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR giay chung nhan scan'),
]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const token = devToken({ client: 'one-stop-khanh-hoa', communes: ['22657'] });

function payload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    LaQuyTrinhCapTinh: true,
    TinhId: 56,
    HuyenId: 0,
    XaId: 22657,
    SoBienNhan: '000.00.56.H42-261123-0002',
    MaHoSoMotCua: '000.00.56.H42-261123-0002',
    NguoiTiepNhan: 'Lê Thị Thu',
    NgayTiepNhan: '2026-11-23T09:05:00',
    NgayHenTra: '2026-12-03T09:05:00',
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
        TapTin: { name: 'don-dang-ky-bien-dong.pdf', data: pdf.toString('base64') },
      },
      {
        TenGiayTo: 'Giấy chứng nhận quyền sử dụng đất (bản scan)',
        SoBanChinh: 0,
        SoBanSao: 1,
        TapTin: { name: 'giay-chung-nhan.png', data: png.toString('base64') },
      },
    ],
    ...overrides,
  };
}

async function send(baseUrl: string, body: unknown, bearer = token) {
  const response = await fetch(`${baseUrl}/v1/compat/vbdlis/tiepnhan`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as { data: number; status: Record<string, unknown> } };
}

describe('POST /v1/compat/vbdlis/tiepnhan', () => {
  let intake: IntakeHttpApp;
  let files: string;

  beforeEach(async () => {
    files = await mkdtemp(path.join(tmpdir(), 'intake-vbdlis-'));
    intake = await startIntakeHttpApp(new Date('2026-11-23T03:00:00Z'), { fileDir: files });
  });
  afterEach(async () => {
    await intake?.close();
    await rm(files, { recursive: true, force: true });
  });

  it('turns the payload into a dossier under the receipt number, stores the files by hash, answers in VBDLIS shape', async () => {
    const answer = await send(intake.baseUrl, payload());
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ data: 1, status: { success: true, code: '201', type: 'success' } });

    const [row] = intake.dossiers.rows;
    const dossier = row!.dossier;
    expect(dossier).toMatchObject({
      dossierCode: '000.00.56.H42-261123-0002',
      procedureCode: '1.013831',
      caseCode: 'TRANSFER',
      receivingUnitCode: '22657',
      receivedAt: '2026-11-23T09:05:00+07:00',
      dueAt: '2026-12-03T09:05:00+07:00',
      externalReference: { system: 'vbdlis-tiepnhan', id: '000.00.56.H42-261123-0002' },
      // Birth year and gender read from the identification number; matching completes the date.
      applicant: { fullName: 'Võ Minh Tuấn', dateOfBirth: '1985', gender: 'MALE', phone: '0935111222' },
      parcels: [{ communeCode: '22657', mapSheetNumber: '15', parcelNumber: '88', areaM2: 150.2, landUseCode: 'KXD' }],
    });
    expect(dossier.documents).toEqual([
      {
        kind: 'APPLICATION_FORM',
        fileName: 'don-dang-ky-bien-dong.pdf',
        mediaType: 'application/pdf',
        sizeBytes: pdf.length,
        sha256: sha(pdf),
      },
      {
        kind: 'LAND_USE_CERTIFICATE',
        fileName: 'giay-chung-nhan.png',
        mediaType: 'image/png',
        sizeBytes: png.length,
        sha256: sha(png),
      },
    ]);
    expect(await readFile(path.join(files, sha(pdf).slice(0, 2), sha(pdf)))).toEqual(pdf);
    expect(await readFile(path.join(files, sha(png).slice(0, 2), sha(png)))).toEqual(png);

    // The event the LRO receives: per the contract, references only, never the bytes or file names.
    const submitted = JSON.parse(JSON.stringify((row!.outbox[0] as { event: unknown }).event)) as { data: object };
    expect(validateEvent(submitted)).toEqual([]);
    expect(submitted.data).toMatchObject({ documents: [{ sha256: sha(pdf) }, { sha256: sha(png) }] });
    const wire = JSON.stringify(submitted);
    expect(wire).not.toContain(pdf.toString('base64'));
    expect(wire).not.toContain('don-dang-ky-bien-dong.pdf');
  });

  it('is idempotent on the receipt: re-sending it answers 200 and creates nothing more', async () => {
    expect((await send(intake.baseUrl, payload())).status).toBe(201);
    const again = await send(intake.baseUrl, payload());
    expect(again.status).toBe(200);
    expect(again.body.data).toBe(1);
    expect(intake.dossiers.rows).toHaveLength(1);
  });

  it('refuses, in VBDLIS shape and storing nothing: another commune (404), bad base64 or file type, a legacy id, a foreign code', async () => {
    const refusals: [Record<string, unknown>, number, string?][] = [
      [{ XaId: 21439, TinhId: 51 }, 404],
      [{ TinhId: 51 }, 400, 'TinhId'],
      [{ NgayTiepNhan: '23/11/2026 09:05' }, 400, 'NgayTiepNhan'],
      [{ ThongTinNguoiNopDon: { HoTen: 'Võ Minh Tuấn', SoChungMinh: '056085011' } }, 400, 'LEGACY_ID_NOT_SUPPORTED'],
      [{ SoBienNhan: '000.00.51.H55-261123-0002', MaHoSoMotCua: null }, 400, 'SoBienNhan'],
      [{ ThongTinQuyTrinh: { MaQuyTrinh: 'TTHC-LOCAL-7' } }, 400, 'ThongTinQuyTrinh.MaQuyTrinh'],
      [
        {
          DanhSachGiayToDinhKem: [
            {
              TenGiayTo: 'Đơn',
              SoBanChinh: 1,
              SoBanSao: 0,
              TapTin: { name: 'a.exe', data: Buffer.from('MZ...').toString('base64') },
            },
          ],
        },
        400,
        'UNSUPPORTED_FILE_TYPE',
      ],
      [
        {
          DanhSachGiayToDinhKem: [
            { TenGiayTo: 'Đơn', SoBanChinh: 1, SoBanSao: 0, TapTin: { name: 'a.pdf', data: '%%%' } },
          ],
        },
        400,
        'TapTin.data',
      ],
    ];
    for (const [overrides, status, mention] of refusals) {
      const answer = await send(intake.baseUrl, payload(overrides));
      expect({ overrides, status: answer.status }).toEqual({ overrides, status });
      expect(answer.body).toMatchObject({ data: 0, status: { success: false, code: String(status), type: 'error' } });
      if (mention) expect(answer.body.status['message']).toContain(mention);
      expect(answer.text).not.toMatch(/\d{12}/);
    }
    expect(intake.dossiers.rows).toHaveLength(0);
    expect(intake.dossiers.reservations.size).toBe(0);
    expect(await readFile(path.join(files, sha(pdf).slice(0, 2), sha(pdf))).catch(() => 'absent')).toBe('absent');
  });

  it('maps a local procedure code through the table and keeps the service’s own number when the receipt is not a national code', async () => {
    const answer = await send(
      intake.baseUrl,
      payload({
        SoBienNhan: 'BN-2026-0007',
        MaHoSoMotCua: null,
        ThongTinQuyTrinh: { MaQuyTrinh: '1.013831.000.00.00.H42', TenQuyTrinh: 'Chuyển nhượng' },
      }),
    );
    expect(answer.status).toBe(201);
    const dossier = intake.dossiers.rows[0]!.dossier;
    expect(dossier.dossierCode).toBe('000.00.56.H42-261123-0001');
    expect(dossier.externalReference.id).toBe('BN-2026-0007');
  });
});
