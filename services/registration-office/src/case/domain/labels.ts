/**
 * Labels of the case's own codes in Vietnamese and English, for a worker who reads the case rather than decodes it.
 * Vietnamese terms follow domain.md §8 (glossary) where it has one, else the wording of the forms of Circular
 * 01/2018/TT-VPCP and the Land Law 2024 (bên chuyển nhượng, bên nhận thế chấp...). Pure TypeScript.
 */
import type { CaseState, MatchVerdict } from './case';

/** A label in both languages of the console. */
export interface Label {
  readonly vi: string;
  readonly en: string;
}

/** Roles of the persons on a dossier (`dossier.submitted` `parties[].role`, plus the applicant). */
export const ROLE_LABELS: Readonly<Record<string, Label>> = {
  APPLICANT: { vi: 'Người nộp hồ sơ', en: 'Applicant' },
  LAND_USER: { vi: 'Người sử dụng đất', en: 'Land user' },
  CO_USER: { vi: 'Người có chung quyền sử dụng đất', en: 'Co-user of the land' },
  ASSET_OWNER: { vi: 'Chủ sở hữu tài sản gắn liền với đất', en: 'Owner of assets attached to the land' },
  TRANSFEROR: { vi: 'Bên chuyển nhượng', en: 'Transferor' },
  TRANSFEREE: { vi: 'Bên nhận chuyển nhượng', en: 'Transferee' },
  HEIR: { vi: 'Người nhận thừa kế', en: 'Heir' },
  DONOR: { vi: 'Bên tặng cho', en: 'Donor' },
  DONEE: { vi: 'Bên được tặng cho', en: 'Donee' },
  MORTGAGOR: { vi: 'Bên thế chấp', en: 'Mortgagor' },
  MORTGAGEE: { vi: 'Bên nhận thế chấp', en: 'Mortgagee' },
  REPRESENTATIVE: { vi: 'Người được ủy quyền', en: 'Authorised representative' },
};

/** Population-matching verdicts against the national population database (Cơ sở dữ liệu quốc gia về dân cư). */
export const VERDICT_LABELS: Readonly<Record<MatchVerdict, Label>> = {
  MATCHED: { vi: 'Khớp với Cơ sở dữ liệu quốc gia về dân cư', en: 'Matches the national population database' },
  MISMATCH: {
    vi: 'Không khớp với Cơ sở dữ liệu quốc gia về dân cư',
    en: 'Does not match the national population database',
  },
  NOT_FOUND: {
    vi: 'Không tìm thấy trong Cơ sở dữ liệu quốc gia về dân cư',
    en: 'Not found in the national population database',
  },
  NEEDS_REVIEW: { vi: 'Cần cán bộ xem xét', en: 'Needs an officer’s review' },
};

/** Case states (domain.md §2.4; the Vietnamese of each state's comment in case.ts). */
export const STATE_LABELS: Readonly<Record<CaseState, Label>> = {
  RECEIVED: { vi: 'Đã tiếp nhận', en: 'Received' },
  ASSIGNED: { vi: 'Đã phân công', en: 'Assigned' },
  IN_REVIEW: { vi: 'Đang thẩm định hồ sơ', en: 'In review' },
  FIELD_CHECK: { vi: 'Kiểm tra thực địa, đo đạc', en: 'Field check' },
  PUBLIC_POSTING: { vi: 'Niêm yết công khai', en: 'Public posting' },
  SUPPLEMENT_REQUESTED: { vi: 'Chờ bổ sung, hoàn thiện hồ sơ', en: 'Waiting for a supplement' },
  AWAITING_FINANCIAL_OBLIGATION: { vi: 'Chờ thực hiện nghĩa vụ tài chính', en: 'Waiting for the financial obligation' },
  OBLIGATION_MET: { vi: 'Đã hoàn thành nghĩa vụ tài chính', en: 'Financial obligation met' },
  APPROVED: { vi: 'Đã phê duyệt', en: 'Approved' },
  CERTIFICATE_ISSUED: { vi: 'Đã cấp Giấy chứng nhận', en: 'Certificate issued' },
  RESULT_RETURNED: { vi: 'Đã trả kết quả', en: 'Result returned' },
  REJECTED: { vi: 'Từ chối giải quyết', en: 'Rejected' },
  WITHDRAWN: { vi: 'Rút hồ sơ', en: 'Withdrawn' },
  STOPPED: { vi: 'Dừng xử lý', en: 'Stopped' },
};

/** The label of a code in `table`; undefined for a code the table does not know (shown as the bare code). */
export function labelOf(table: Readonly<Record<string, Label>>, code: string | undefined): Label | undefined {
  return code !== undefined && Object.hasOwn(table, code) ? table[code] : undefined;
}
