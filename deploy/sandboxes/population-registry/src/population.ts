/**
 * A deterministic synthetic population, computed person by person from (seed, index): nothing is materialised, so a
 * population of millions costs no memory. Both ways are cheap: index → person, and identity number (12-digit or old
 * 9-digit) → index, through invertible arithmetic. Names are drawn from realistic Vietnamese family, middle and given
 * names with their diacritics; a small share of records is stored "messy" (NFD, old tone placement, year-only date)
 * the way real registry extracts are.
 */

export type Gender = 'MALE' | 'FEMALE';

export interface Address {
  MaTinhThanh: string;
  MaQuanHuyen: string;
  MaPhuongXa: string;
  ChiTiet: string;
}

/** One citizen as the registry answers (domain.md §3.3 CongDan), plus the sandbox's own index. */
export interface Citizen {
  index: number;
  SoDinhDanh: string;
  SoCMND?: string;
  HoVaTen: { Ho: string; ChuDem: string; Ten: string };
  /** 1 = Nam (male), 2 = Nữ (female), as in DVCQG payloads. */
  GioiTinh: '1' | '2';
  NgayThangNamSinh: { Nam: string; NgayThangNam?: string };
  DanToc: string;
  QuocTich: string;
  NoiDangKyKhaiSinh: Pick<Address, 'MaTinhThanh'>;
  ThuongTru: Address;
  NoiOHienTai: Address;
  /** The person died; NgayMat is the date (`YYYYMMDD`). */
  DaMat?: { NgayMat: string };
}

/** The person as generated, before any messy storage: the ground truth tests compare against. */
export interface TruePerson {
  index: number;
  personalIdNumber: string;
  legacyIdNumber?: string;
  family: string;
  middle: string;
  given: string;
  gender: Gender;
  /** `YYYY-MM-DD`. */
  dateOfBirth: string;
  deceased: boolean;
  /** How the registry stores this person's record, if not cleanly. */
  storedAs: 'CLEAN' | 'NFD' | 'OLD_TONE_PLACEMENT' | 'YEAR_ONLY';
}

// Family names with their approximate shares (Nguyễn ~38 %, Trần ~11 %, Lê ~9.5 %, ...), in per-mille.
const families: readonly [string, number][] = [
  ['Nguyễn', 380],
  ['Trần', 110],
  ['Lê', 95],
  ['Phạm', 70],
  ['Hoàng', 40],
  ['Huỳnh', 31],
  ['Phan', 45],
  ['Vũ', 39],
  ['Võ', 20],
  ['Đặng', 21],
  ['Bùi', 20],
  ['Đỗ', 14],
  ['Hồ', 13],
  ['Ngô', 13],
  ['Dương', 10],
  ['Lý', 5],
  ['Đinh', 10],
  ['Trương', 10],
  ['Lương', 8],
  ['Đoàn', 8],
  ['Mai', 8],
  ['Trịnh', 8],
  ['Tạ', 4],
  ['Châu', 4],
  ['Quách', 3],
  ['Thái', 3],
  ['Kiều', 3],
  ['Cao', 5],
];
const familyTotal = families.reduce((sum, [, w]) => sum + w, 0);

const middles: Record<Gender, readonly string[]> = {
  MALE: [
    'Văn',
    'Văn',
    'Văn',
    'Hữu',
    'Đức',
    'Minh',
    'Quốc',
    'Thanh',
    'Công',
    'Xuân',
    'Ngọc',
    'Đình',
    'Quang',
    'Tuấn',
    'Hoàng',
    'Gia',
    'Trọng',
    'Anh',
  ],
  FEMALE: [
    'Thị',
    'Thị',
    'Thị',
    'Ngọc',
    'Thu',
    'Thanh',
    'Kim',
    'Minh',
    'Thùy',
    'Mỹ',
    'Hồng',
    'Phương',
    'Bảo',
    'Diệu',
    'Khánh',
    'Hoài',
  ],
};
const givens: Record<Gender, readonly string[]> = {
  MALE: [
    'An',
    'Anh',
    'Bảo',
    'Bình',
    'Cường',
    'Dũng',
    'Duy',
    'Đạt',
    'Đức',
    'Giang',
    'Hải',
    'Hiếu',
    'Hòa',
    'Hoàng',
    'Hùng',
    'Hưng',
    'Huy',
    'Khánh',
    'Khoa',
    'Khôi',
    'Kiên',
    'Lâm',
    'Long',
    'Lộc',
    'Minh',
    'Nam',
    'Nghĩa',
    'Nhân',
    'Phong',
    'Phúc',
    'Quân',
    'Quang',
    'Quý',
    'Sơn',
    'Tài',
    'Thắng',
    'Thành',
    'Thịnh',
    'Toàn',
    'Trung',
    'Tuấn',
    'Tùng',
    'Việt',
    'Vinh',
    'Vũ',
    'Thọ',
    'Lợi',
    'Tuệ',
    'Thủy',
    'Hoan',
  ],
  FEMALE: [
    'An',
    'Anh',
    'Ánh',
    'Chi',
    'Dung',
    'Duyên',
    'Giang',
    'Hà',
    'Hạnh',
    'Hằng',
    'Hiền',
    'Hoa',
    'Hòa',
    'Hồng',
    'Huệ',
    'Hương',
    'Huyền',
    'Lan',
    'Liên',
    'Linh',
    'Loan',
    'Mai',
    'My',
    'Nga',
    'Ngân',
    'Ngọc',
    'Nhung',
    'Oanh',
    'Phương',
    'Quyên',
    'Quỳnh',
    'Tâm',
    'Thảo',
    'Thoa',
    'Thu',
    'Thủy',
    'Thúy',
    'Trang',
    'Trâm',
    'Trinh',
    'Tuyết',
    'Uyên',
    'Vân',
    'Vy',
    'Xuân',
    'Yến',
    'Khuê',
    'Hoè',
    'Loan',
    'Thoả',
  ],
};

// Tone placement on "oa", "oe", "uy": the new style marks the second vowel (hoà → hòa is the old → new direction
// in some references; both are in use). The registry stores most names new-style and a few old-style.
const oldStyle: readonly [RegExp, string][] = [
  [/ò(a|e)/g, 'o$1\u0300'],
  [/ó(a|e)/g, 'o$1\u0301'],
  [/ỏ(a|e)/g, 'o$1\u0309'],
  [/õ(a|e)/g, 'o$1\u0303'],
  [/ọ(a|e)/g, 'o$1\u0323'],
  [/ù(y)/g, 'u$1\u0300'],
  [/ú(y)/g, 'u$1\u0301'],
  [/ủ(y)/g, 'u$1\u0309'],
  [/ũ(y)/g, 'u$1\u0303'],
  [/ụ(y)/g, 'u$1\u0323'],
];

/** Writes a name with the tone mark on the other vowel of oa/oe/uy ("Hòa" → "Hoà", "Thủy" → "Thuỷ"). */
export function withOldTonePlacement(name: string): string {
  let result = name.normalize('NFC');
  for (const [pattern, replacement] of oldStyle) result = result.replace(pattern, replacement);
  return result.normalize('NFC');
}

/** A 32-bit hash of (seed, index, salt): splitmix-style, well spread, fully deterministic. */
export function hash32(seed: number, index: number, salt: number): number {
  let x = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 0x632be5ab, 0xc2b2ae35) ^ salt) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** Uniform in [0, 1). */
function unit(seed: number, index: number, salt: number): number {
  return hash32(seed, index, salt) / 2 ** 32;
}

function pick<T>(list: readonly T[], seed: number, index: number, salt: number): T {
  return list[hash32(seed, index, salt) % list.length]!;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new Error(`${a} has no inverse modulo ${m}`);
  return ((oldS % m) + m) % m;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

const firstYear = 1935;
const lastYear = 2007;
const years = lastYear - firstYear + 1;
const serialSpace = 1_000_000n;
const serialStep = 7919n;
const bucketStep = 104_729n;
const legacySpace = 1_000_000_000n;
const legacyStep = 387_420_489n;
const legacyOffset = 123_456_789n;

export interface PopulationOptions {
  seed: number;
  size: number;
  /** 3-digit birth-registration prefixes (pre-2025 provinces), e.g. from legacy-id-prefixes.v1.json. */
  prefixes: readonly string[];
}

/** The population: person by index, index by number. */
export class Population {
  readonly size: number;
  private readonly seed: number;
  private readonly prefixes: readonly string[];
  private readonly prefixIndex: Map<string, number>;
  private readonly buckets: number;
  private readonly mult: bigint;
  private readonly multInverse: bigint;
  private readonly offset: bigint;
  private readonly serialInverse = modInverse(serialStep, serialSpace);
  private readonly legacyInverse = modInverse(legacyStep, legacySpace);

  constructor(options: PopulationOptions) {
    if (options.size < 1 || options.size > 100_000_000) throw new Error('population size must be 1..100,000,000');
    this.seed = options.seed >>> 0;
    this.size = options.size;
    this.prefixes = options.prefixes;
    this.prefixIndex = new Map(options.prefixes.map((p, i) => [p, i]));
    this.buckets = options.prefixes.length * years * 2;
    if (Math.ceil(this.size / this.buckets) > Number(serialSpace)) throw new Error('population too large for serials');
    // An affine permutation of [0, size) spreads consecutive indexes over provinces, years and genders.
    let mult = 1_000_003 + (this.seed % 1000) * 2;
    while (gcd(mult, this.size) !== 1) mult += 2;
    this.mult = BigInt(mult);
    this.multInverse = modInverse(this.mult, BigInt(this.size));
    this.offset = BigInt(this.seed % this.size);
  }

  /** The ground truth of person `index`. */
  truth(index: number): TruePerson {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) throw new RangeError('no such person');
    const { seed } = this;
    const j = (BigInt(index) * this.mult + this.offset) % BigInt(this.size);
    const bucket = Number(j % BigInt(this.buckets));
    const k = j / BigInt(this.buckets);
    const gender: Gender = bucket % 2 === 0 ? 'MALE' : 'FEMALE';
    const year = firstYear + (Math.floor(bucket / 2) % years);
    const prefix = this.prefixes[Math.floor(bucket / (2 * years))]!;
    const serial = (k * serialStep + BigInt(bucket) * bucketStep) % serialSpace;
    const digit = Math.floor((year - 1900) / 100) * 2 + (gender === 'FEMALE' ? 1 : 0);
    const personalIdNumber = `${prefix}${digit}${String(year % 100).padStart(2, '0')}${String(serial).padStart(6, '0')}`;

    const month = 1 + (hash32(seed, index, 1) % 12);
    const day = 1 + (hash32(seed, index, 2) % new Date(Date.UTC(year, month, 0)).getUTCDate());
    let roll = hash32(seed, index, 3) % familyTotal;
    let family = families[0]![0];
    for (const [name, weight] of families) {
      if (roll < weight) {
        family = name;
        break;
      }
      roll -= weight;
    }
    const middle = pick(middles[gender], seed, index, 4);
    let given = pick(givens[gender], seed, index, 5);
    // Some people carry a double given name ("Thu Hương", "Minh Khôi").
    if (unit(seed, index, 6) < 0.15) given = `${pick(givens[gender], seed, index, 7)} ${given}`;
    const hasLegacy = year < 1995 && unit(seed, index, 8) < 0.6;
    const legacyIdNumber = hasLegacy
      ? String((BigInt(index) * legacyStep + legacyOffset) % legacySpace).padStart(9, '0')
      : undefined;
    const deceased = unit(seed, index, 9) < (year < 1955 ? 0.06 : 0.005);
    const r = unit(seed, index, 10);
    const storedAs: TruePerson['storedAs'] =
      r < 0.03 ? 'NFD' : r < 0.06 ? 'OLD_TONE_PLACEMENT' : r < 0.08 && year < 1960 ? 'YEAR_ONLY' : 'CLEAN';
    return {
      index,
      personalIdNumber,
      ...(legacyIdNumber ? { legacyIdNumber } : {}),
      family,
      middle,
      given,
      gender,
      dateOfBirth: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      deceased,
      storedAs,
    };
  }

  /** The registry's record of person `index`, stored as the registry stores it (sometimes messy). */
  citizen(index: number): Citizen {
    const t = this.truth(index);
    const { seed } = this;
    const spell = (s: string): string =>
      t.storedAs === 'NFD' ? s.normalize('NFD') : t.storedAs === 'OLD_TONE_PLACEMENT' ? withOldTonePlacement(s) : s;
    const ymd = t.dateOfBirth.replace(/-/g, '');
    const province = t.personalIdNumber.slice(1, 3);
    const district = String(100 + (hash32(seed, index, 11) % 900));
    const commune = String(hash32(seed, index, 12) % 100_000).padStart(5, '0');
    const home: Address = {
      MaTinhThanh: province,
      MaQuanHuyen: district,
      MaPhuongXa: commune,
      ChiTiet: `Số ${1 + (hash32(seed, index, 13) % 300)}, thôn ${1 + (hash32(seed, index, 14) % 12)}`,
    };
    const moved = unit(seed, index, 15) < 0.2;
    return {
      index,
      SoDinhDanh: t.personalIdNumber,
      ...(t.legacyIdNumber ? { SoCMND: t.legacyIdNumber } : {}),
      HoVaTen: { Ho: spell(t.family), ChuDem: spell(t.middle), Ten: spell(t.given) },
      GioiTinh: t.gender === 'MALE' ? '1' : '2',
      NgayThangNamSinh:
        t.storedAs === 'YEAR_ONLY' ? { Nam: ymd.slice(0, 4) } : { Nam: ymd.slice(0, 4), NgayThangNam: ymd },
      DanToc: '01',
      QuocTich: 'VN',
      NoiDangKyKhaiSinh: { MaTinhThanh: province },
      ThuongTru: home,
      NoiOHienTai: moved
        ? { ...home, MaTinhThanh: '79', MaQuanHuyen: '760', MaPhuongXa: '26734', ChiTiet: 'Số 8, đường 3/2' }
        : home,
      ...(t.deceased ? { DaMat: { NgayMat: `${Math.min(Number(ymd.slice(0, 4)) + 70, 2025)}0101` } } : {}),
    };
  }

  /** Index of the person holding a 12-digit number; undefined when nobody does. */
  indexOfPersonalId(number: string): number | undefined {
    if (!/^\d{12}$/.test(number)) return undefined;
    const p = this.prefixIndex.get(number.slice(0, 3));
    if (p === undefined) return undefined;
    const digit = Number(number[3]);
    const year = 1900 + Math.floor(digit / 2) * 100 + Number(number.slice(4, 6));
    if (year < firstYear || year > lastYear) return undefined;
    const gender = digit % 2;
    const bucket = p * 2 * years + (year - firstYear) * 2 + gender;
    const serial = BigInt(number.slice(6));
    const k =
      ((((serial - BigInt(bucket) * bucketStep) % serialSpace) + serialSpace) * this.serialInverse) % serialSpace;
    const j = k * BigInt(this.buckets) + BigInt(bucket);
    if (j >= BigInt(this.size)) return undefined;
    const size = BigInt(this.size);
    const index = Number(((((j - this.offset) % size) + size) * this.multInverse) % size);
    return this.truth(index).personalIdNumber === number ? index : undefined;
  }

  /** Index of the person whose old 9-digit card had this number; undefined when nobody. */
  indexOfLegacyId(number: string): number | undefined {
    if (!/^\d{9}$/.test(number)) return undefined;
    const i = ((((BigInt(number) - legacyOffset) % legacySpace) + legacySpace) * this.legacyInverse) % legacySpace;
    if (i >= BigInt(this.size)) return undefined;
    const index = Number(i);
    return this.truth(index).legacyIdNumber === number ? index : undefined;
  }
}
