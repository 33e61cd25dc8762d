import { createHash, randomBytes } from 'node:crypto';
import { devToken } from '@lienthong/testing';

/** A `tiepnhan` body (the VBDLIS compatibility payload) with one scanned attachment, and what it carries. */
export interface VbdlisTiepNhan {
  /** The JSON text to POST to /v1/compat/vbdlis/tiepnhan (the attachment base64-encoded inside it). */
  body: string;
  /** The receipt number (MaHoSoMotCua/SoBienNhan): the external reference and idempotency key of re-sends. */
  receipt: string;
  /** The attachment's SHA-256 (lower-case hex) and size: what the dossier, the event and the store carry. */
  sha256: string;
  sizeBytes: number;
}

/** Local Vietnam time (UTC+7, no offset) as the payload states its dates: `2026-11-23T09:05:00`. */
function vietnamLocal(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 19);
}

/**
 * A realistic `tiepnhan` body (domain.md §7) received a minute ago at commune `xaId` (also the land's commune), with
 * one land-use certificate scan of `attachmentBytes` bytes: a PDF header and random (incompressible, like a scan)
 * bytes. 25 MB of file make about 33 MB of body. Receipts are not in the national code format, so the service
 * issues the dossier code.
 */
export function vbdlisTiepNhanBody(options: {
  attachmentBytes: number;
  receipt?: string;
  xaId?: number;
}): VbdlisTiepNhan {
  const file = randomBytes(options.attachmentBytes);
  Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1').copy(file);
  const receipt = options.receipt ?? `BN-${randomBytes(6).toString('hex')}`;
  const now = Date.now();
  const body = JSON.stringify({
    LaQuyTrinhCapTinh: true,
    TinhId: 56,
    HuyenId: 0,
    XaId: options.xaId ?? 22657,
    SoBienNhan: receipt,
    MaHoSoMotCua: receipt,
    NguoiTiepNhan: 'Lê Thị Thu',
    NgayTiepNhan: vietnamLocal(new Date(now - 60_000)),
    NgayHenTra: vietnamLocal(new Date(now + 10 * 86_400_000)),
    DiaChiTaiSan: 'Thôn Phú Ân Nam 2, xã Diên Điền, tỉnh Khánh Hòa',
    ThongTinNguoiNopDon: { HoTen: 'Võ Minh Tuấn', SoChungMinh: '056085011223', SoDienThoai: '0935111222' },
    ThongTinQuyTrinh: { MaQuyTrinh: '1.013831', TenQuyTrinh: 'Đăng ký biến động quyền sử dụng đất (chuyển nhượng)' },
    ThongTinThuaDat: [{ SoThuTuThua: '88', SoHieuBanDo: '15', DienTich: '150.2', DiaChiChiTiet: 'Thôn Phú Ân Nam 2' }],
    DanhSachGiayToDinhKem: [
      {
        TenGiayTo: 'Giấy chứng nhận quyền sử dụng đất (bản scan)',
        SoBanChinh: 0,
        SoBanSao: 1,
        TapTin: { name: 'giay-chung-nhan-scan.pdf', data: file.toString('base64') },
      },
    ],
  });
  return { body, receipt, sha256: createHash('sha256').update(file).digest('hex'), sizeBytes: file.length };
}

/** The Authorization header of the one-stop system that sends `tiepnhan` for `communes`. */
export function vbdlisAuth(communes: readonly string[] = ['22657']): { authorization: string } {
  return { authorization: `Bearer ${devToken({ client: 'one-stop-khanh-hoa', communes: [...communes] })}` };
}
