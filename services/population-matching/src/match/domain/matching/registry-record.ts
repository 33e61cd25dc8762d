import type { BirthDate } from './birth-date';
import type { Gender } from './personal-id';

/**
 * A citizen as the National Population Database answers (domain.md §3.3: CongDan with SoDinhDanh, SoCMND,
 * HoVaTen{Ho, ChuDem, Ten}, GioiTinh, NgayThangNamSinh{Nam, NgayThangNam}, addresses), in this service's terms.
 */
export interface RegistryRecord {
  personalIdNumber: string;
  /** Old 9-digit ID card number, when the person had one. */
  legacyIdNumber?: string;
  name: { ho: string; chuDem?: string; ten: string };
  gender?: Gender;
  dateOfBirth?: BirthDate;
  /** The registry records the person as deceased. */
  deceased?: boolean;
  placeOfBirthRegistration?: string;
  permanentAddress?: RegistryAddress;
  currentAddress?: RegistryAddress;
}

export interface RegistryAddress {
  provinceCode?: string;
  districtCode?: string;
  communeCode?: string;
  detail?: string;
}

/** One person to look up: by 12-digit number, or by an old 9-digit number, with what the dossier states. */
export interface RegistryQuery {
  /** Caller's id of this query (MaYeuCau), unique within a batch. */
  requestId: string;
  personalIdNumber?: string;
  legacyIdNumber?: string;
  fullName?: string;
  /** Full date `YYYY-MM-DD` (NgayThangNam) or year only (Nam). */
  dateOfBirth?: string;
}

/** Who asks and why: every lookup is logged with it (domain.md §3.3). */
export interface LookupPurpose {
  /** The dossier code, or the campaign and record id. */
  purpose: string;
  /** The service or officer that asked (MaCanBo). */
  caller: string;
}
