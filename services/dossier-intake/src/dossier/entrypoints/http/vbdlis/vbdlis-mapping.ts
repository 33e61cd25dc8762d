import { ValidationError, type FieldError } from '@lienthong/kernel';
import type { DocumentReference, DossierSubmission, Person } from '../../../domain/dossier';
import { dossierCodePattern } from '../../../domain/dossier-code';
import type { ReferenceLookups } from '../../../domain/submission-rules';
import { documentMediaTypes, maxDocumentBytes } from '../dossier-actions.request';
import { base64Digest, base64Stream } from './base64-file';
import type { VbdlisGiayTo, VbdlisTiepNhanRequest } from './vbdlis-tiepnhan.request';

/**
 * An attachment, hashed, ready for the file store: its bytes are decoded from the payload's base64 text chunk by
 * chunk while they stream into the store (`open`), never as a whole.
 */
export interface DecodedFile {
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  open(): NodeJS.ReadableStream;
  reference: DocumentReference;
}

/** The canonical submission a `tiepnhan` payload stands for, and what goes with it. */
export interface MappedTiepNhan {
  submission: DossierSubmission;
  /** The receipt number, when it has the national dossier-code format: the dossier keeps it. */
  dossierCode?: string;
  /** MaHoSoMotCua or SoBienNhan: the external reference, and the idempotency key of the re-sends. */
  receipt: string;
  files: DecodedFile[];
}

/** Procedure codes of the one-stop systems → catalogue procedure and case (VBDLIS_PROCEDURE_MAP). */
export type ProcedureTable = ReadonlyMap<string, { procedureCode: string; caseCode?: string }>;

/** Parses `local:national[:CASE],...`. */
export function parseProcedureTable(value: string | undefined): ProcedureTable {
  const table = new Map<string, { procedureCode: string; caseCode?: string }>();
  for (const entry of (value ?? '').split(',').filter(Boolean)) {
    const [local, procedureCode, caseCode] = entry.split(':') as [string, string, string | undefined];
    table.set(local, { procedureCode, ...(caseCode ? { caseCode } : {}) });
  }
  return table;
}

// The case of a multi-case procedure named in its Vietnamese title (e.g. "... (chuyển nhượng)").
const casesByWord: readonly [RegExp, string][] = [
  [/chuyển nhượng/i, 'TRANSFER'],
  [/thừa kế/i, 'INHERITANCE'],
  [/tặng cho/i, 'GIFT'],
  [/góp vốn/i, 'CAPITAL_CONTRIBUTION'],
  [/chuyển đổi/i, 'LAND_EXCHANGE'],
];

// Document kinds of the catalogue recognised in the attachment's Vietnamese name; OTHER_DOCUMENT otherwise.
const kindsByWord: readonly [RegExp, string][] = [
  [/^đơn/i, 'APPLICATION_FORM'],
  [/giấy chứng nhận/i, 'LAND_USE_CERTIFICATE'],
  [/hợp đồng/i, 'TRANSFER_CONTRACT'],
  [/thừa kế/i, 'INHERITANCE_DOCUMENT'],
  [/thế chấp/i, 'MORTGAGEE_CONSENT'],
  [/ủy quyền|uỷ quyền/i, 'POWER_OF_ATTORNEY'],
];

function kindOf(attachment: VbdlisGiayTo): string {
  return kindsByWord.find(([word]) => word.test(attachment.TenGiayTo.normalize('NFC')))?.[1] ?? 'OTHER_DOCUMENT';
}

/** The media type from the file's first bytes (the payload states none). */
function sniff(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  const tiff = bytes.subarray(0, 4).toString('latin1');
  if (tiff === 'II*\u0000' || tiff === 'MM\u0000*') return 'image/tiff';
  return undefined;
}

/**
 * The submitter is the only person the payload names, without date of birth or gender: both are read from the
 * 12-digit identification number (its century/gender digit and birth-year digits), so the dossier states the birth
 * year only and population matching completes the rest from the registry.
 */
function submitter(request: VbdlisTiepNhanRequest, lookups: ReferenceLookups, problems: FieldError[]): Person {
  const p = request.ThongTinNguoiNopDon;
  const id = p.SoChungMinh;
  const row = lookups.centuryGenderDigits().find((r) => r.male === Number(id[3]) || r.female === Number(id[3]));
  if (id.length !== 12 || !row) {
    problems.push({
      field: 'ThongTinNguoiNopDon.SoChungMinh',
      code: 'LEGACY_ID_NOT_SUPPORTED',
      message: 'a 12-digit personal identification number is required',
    });
  }
  return {
    fullName: p.HoTen.normalize('NFC'),
    personalIdNumber: id,
    dateOfBirth: row ? String(row.century + Number(id.slice(4, 6))) : '1900',
    gender: row && row.female === Number(id[3]) ? 'FEMALE' : 'MALE',
    ...(p.SoDienThoai ? { phone: p.SoDienThoai } : {}),
    ...(p.Email ? { email: p.Email } : {}),
    ...(p.DiaChiChiTiet ? { address: p.DiaChiChiTiet.normalize('NFC') } : {}),
  };
}

/**
 * Maps a `tiepnhan` payload to the canonical submission (domain.md §7, intake-api.md): the commune `XaId` (which
 * must lie in province `TinhId`), the procedure through the mapping table (a national code maps to itself; the
 * case from the title when the procedure has several), the receipt time as Vietnam local time, the submitter,
 * the parcel (its land-use code is not in the payload: `KXD`), and each attachment decoded, sized, typed from its
 * bytes and hashed. Throws ValidationError naming the payload's own fields.
 */
export function mapTiepNhan(
  request: VbdlisTiepNhanRequest,
  lookups: ReferenceLookups,
  procedures: ProcedureTable,
): MappedTiepNhan {
  const problems: FieldError[] = [];
  const commune = String(request.XaId).padStart(5, '0');
  const province = lookups.provinceOfCommune(commune);
  if (province && province !== String(request.TinhId).padStart(2, '0')) {
    problems.push({
      field: 'TinhId',
      code: 'PROVINCE_MISMATCH',
      message: `commune ${commune} is not in province ${request.TinhId}`,
    });
  }
  const code = request.ThongTinQuyTrinh.MaQuyTrinh;
  const mapped = procedures.get(code) ?? (/^[12]\.\d{6}$/.test(code) ? { procedureCode: code } : undefined);
  if (!mapped) {
    problems.push({
      field: 'ThongTinQuyTrinh.MaQuyTrinh',
      code: 'UNKNOWN_PROCEDURE',
      message: `${code} is neither a national procedure code nor in the procedure mapping table`,
    });
  }
  const title = request.ThongTinQuyTrinh.TenQuyTrinh?.normalize('NFC') ?? '';
  const caseCode = mapped?.caseCode ?? casesByWord.find(([word]) => word.test(title))?.[1];

  const person = submitter(request, lookups, problems);
  const [thua] = request.ThongTinThuaDat;
  const files = request.DanhSachGiayToDinhKem.map((attachment, i): DecodedFile | undefined => {
    const data = attachment.TapTin.data;
    const { sha256, sizeBytes, head } = base64Digest(data);
    const at = `DanhSachGiayToDinhKem[${i}].TapTin.data`;
    if (sizeBytes === 0 || sizeBytes > maxDocumentBytes) {
      problems.push({ field: at, code: 'FILE_SIZE', message: `a file must have 1 to ${maxDocumentBytes} bytes` });
      return undefined;
    }
    const mediaType = sniff(head);
    if (!mediaType || !(documentMediaTypes as readonly string[]).includes(mediaType)) {
      problems.push({ field: at, code: 'UNSUPPORTED_FILE_TYPE', message: 'files must be PDF, JPEG, PNG or TIFF' });
      return undefined;
    }
    return {
      sha256,
      sizeBytes,
      mediaType,
      open: () => base64Stream(data),
      reference: {
        kind: kindOf(attachment),
        fileName: attachment.TapTin.name.normalize('NFC'),
        mediaType,
        sizeBytes,
        sha256,
      },
    };
  });
  if (problems.length > 0) throw new ValidationError('The tiepnhan payload cannot be accepted.', problems);

  const receipt = request.MaHoSoMotCua || request.SoBienNhan;
  const seconds = request.NgayTiepNhan.length === 16 ? ':00' : '';
  const submission: DossierSubmission = {
    procedureCode: mapped!.procedureCode,
    ...(caseCode ? { caseCode } : {}),
    receivingUnitCode: commune,
    channel: 'DIRECT',
    receivedAt: `${request.NgayTiepNhan}${seconds}+07:00`,
    externalReference: { system: 'vbdlis-tiepnhan', id: receipt },
    applicant: person,
    // Only the submitter is named: the parties of the transaction come with the LRO's cadastral record.
    parties: [{ ...person, role: 'REPRESENTATIVE' }],
    parcels: [
      {
        communeCode: commune,
        mapSheetNumber: thua!.SoHieuBanDo,
        parcelNumber: thua!.SoThuTuThua,
        areaM2: Number(thua!.DienTich.replace(',', '.')),
        landUseCode: 'KXD',
        ...(thua!.DiaChiChiTiet ? { address: thua!.DiaChiChiTiet.normalize('NFC') } : {}),
      },
    ],
    ...(title ? { summary: title.slice(0, 1000) } : {}),
    ...(files.length > 0 ? { documents: files.map((f) => f!.reference) } : {}),
  };
  return {
    submission,
    receipt,
    files: files.map((f) => f!),
    ...(dossierCodePattern.test(receipt) ? { dossierCode: receipt } : {}),
  };
}

/** Renames canonical field paths in problems to the payload's own (applicant → ThongTinNguoiNopDon, ...). */
export function toPayloadFields(errors: readonly FieldError[]): FieldError[] {
  const names: [RegExp, string][] = [
    [/^applicant\.personalIdNumber$/, 'ThongTinNguoiNopDon.SoChungMinh'],
    [/^applicant\.fullName$/, 'ThongTinNguoiNopDon.HoTen'],
    [/^applicant\./, 'ThongTinNguoiNopDon.'],
    [/^parties\[0\]\./, 'ThongTinNguoiNopDon.'],
    [/^parcels\[0\]\.mapSheetNumber$/, 'ThongTinThuaDat[0].SoHieuBanDo'],
    [/^parcels\[0\]\.parcelNumber$/, 'ThongTinThuaDat[0].SoThuTuThua'],
    [/^parcels\[0\]\.communeCode$/, 'XaId'],
    [/^parcels\[0\]\./, 'ThongTinThuaDat[0].'],
    [/^receivingUnitCode$/, 'XaId'],
    [/^receivedAt$/, 'NgayTiepNhan'],
    [/^procedureCode$/, 'ThongTinQuyTrinh.MaQuyTrinh'],
    [/^caseCode$/, 'ThongTinQuyTrinh.TenQuyTrinh'],
    [/^dossierCode$/, 'SoBienNhan'],
  ];
  return errors.map((e) => {
    const rule = names.find(([pattern]) => pattern.test(e.field));
    return rule ? { ...e, field: e.field.replace(rule[0], rule[1]) } : e;
  });
}
