import { parseBirthDate } from '../../domain/matching/birth-date';
import type {
  LookupPurpose,
  RegistryAddress,
  RegistryQuery,
  RegistryRecord,
} from '../../domain/matching/registry-record';
import {
  PopulationRegistry,
  type RegistryAnswer,
  RegistryThrottledError,
  RegistryUnavailableError,
} from '../../domain/match.ports';

/** Settings of the registry gateway client. */
export interface HttpRegistryOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Integration id (MaTichHop) and public-service id (MaDVC) this system is registered under. */
  integrationId: string;
  serviceCode: string;
}

interface WireAddress {
  MaTinhThanh?: string;
  MaQuanHuyen?: string;
  MaPhuongXa?: string;
  ChiTiet?: string;
}

/** CongDan as the gateway answers it (domain.md §3.3). */
interface WireCitizen {
  SoDinhDanh: string;
  SoCMND?: string;
  HoVaTen: { Ho: string; ChuDem?: string; Ten: string };
  GioiTinh?: string;
  NgayThangNamSinh?: { Nam?: string; NgayThangNam?: string };
  NoiDangKyKhaiSinh?: WireAddress;
  ThuongTru?: WireAddress;
  NoiOHienTai?: WireAddress;
  DaMat?: unknown;
}

interface WireResult {
  MaYeuCau: string;
  CongdanCollection?: { CongDan?: WireCitizen[] };
}

/** The largest batch the gateway takes. */
const gatewayBatchLimit = 100;

/**
 * PopulationRegistry over the gateway's JSON API: `POST /api/congdan/tra-cuu-lo` with the caller identifiers
 * (MaTichHop, MaDVC, MaCanBo) and one query per person (MaYeuCau, SoDinhDanh or SoCMND, HoVaTen, NgayThangNam or
 * Nam). 429 becomes RegistryThrottledError with the Retry-After; timeouts, refused or reset connections and 5xx
 * become RegistryUnavailableError; anything else is a bug on one side and is thrown as is.
 */
export class HttpPopulationRegistry extends PopulationRegistry {
  readonly maxBatch = gatewayBatchLimit;

  constructor(private readonly options: HttpRegistryOptions) {
    super();
  }

  override async lookup(queries: readonly RegistryQuery[], purpose: LookupPurpose): Promise<RegistryAnswer[]> {
    if (queries.length === 0) return [];
    if (queries.length > this.maxBatch) throw new Error(`at most ${this.maxBatch} queries per request`);
    const body = {
      MaTichHop: this.options.integrationId,
      MaDVC: this.options.serviceCode,
      MaCanBo: purpose.caller,
      LyDo: purpose.purpose,
      YeuCau: queries.map((q) => ({
        MaYeuCau: q.requestId,
        ...(q.personalIdNumber ? { SoDinhDanh: q.personalIdNumber } : {}),
        ...(q.legacyIdNumber ? { SoCMND: q.legacyIdNumber } : {}),
        ...(q.fullName ? { HoVaTen: q.fullName } : {}),
        ...(q.dateOfBirth
          ? q.dateOfBirth.length === 4
            ? { Nam: q.dateOfBirth }
            : { NgayThangNam: q.dateOfBirth.replace(/-/g, '') }
          : {}),
      })),
    };
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl}/api/congdan/tra-cuu-lo`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new RegistryUnavailableError(`population registry unreachable (${reason})`);
    }
    if (response.status === 429) {
      await response.body?.cancel();
      throw new RegistryThrottledError(retryAfterMs(response.headers.get('retry-after')));
    }
    if (response.status >= 500) {
      await response.body?.cancel();
      throw new RegistryUnavailableError(`population registry answered ${response.status}`);
    }
    let payload: { KetQua?: WireResult[] };
    try {
      payload = (await response.json()) as { KetQua?: WireResult[] };
    } catch (error) {
      throw new RegistryUnavailableError(`population registry answer unreadable (${String(error)})`);
    }
    if (!response.ok || !Array.isArray(payload.KetQua)) {
      throw new Error(`population registry refused the request: ${response.status}`);
    }
    return payload.KetQua.map((r) => ({
      requestId: r.MaYeuCau,
      records: (r.CongdanCollection?.CongDan ?? []).map(toRecord),
    }));
  }
}

/** Retry-After in seconds or as an HTTP date; 1 s when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number {
  if (!header) return 1000;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.max(seconds * 1000, 100);
  const at = Date.parse(header);
  return Number.isNaN(at) ? 1000 : Math.max(at - now, 100);
}

function toAddress(a: WireAddress | undefined): RegistryAddress | undefined {
  if (!a) return undefined;
  return { provinceCode: a.MaTinhThanh, districtCode: a.MaQuanHuyen, communeCode: a.MaPhuongXa, detail: a.ChiTiet };
}

export function toRecord(c: WireCitizen): RegistryRecord {
  const birth = c.NgayThangNamSinh?.NgayThangNam ?? c.NgayThangNamSinh?.Nam;
  return {
    personalIdNumber: c.SoDinhDanh,
    ...(c.SoCMND ? { legacyIdNumber: c.SoCMND } : {}),
    name: { ho: c.HoVaTen.Ho, chuDem: c.HoVaTen.ChuDem, ten: c.HoVaTen.Ten },
    gender: c.GioiTinh === '1' ? 'MALE' : c.GioiTinh === '2' ? 'FEMALE' : undefined,
    dateOfBirth: parseBirthDate(birth),
    ...(c.DaMat ? { deceased: true } : {}),
    placeOfBirthRegistration: c.NoiDangKyKhaiSinh?.MaTinhThanh,
    permanentAddress: toAddress(c.ThuongTru),
    currentAddress: toAddress(c.NoiOHienTai),
  };
}
