import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type CalendarReferenceData, parseCalendarReferenceData } from './calendar-data';
import { ProcedureCatalogue } from './procedure-catalogue';
import { loadProvinceDeployments, PROVINCE_DATA_SUBDIR, type ProvinceDeployments } from './province-data';
import { ReferenceDataReader } from './reference-data-reader';
import { WorkingCalendar } from './working-calendar';

/** Where the reference data lives, relative to the repository root. */
export const REFERENCE_DATA_DIR = 'contracts/reference-data';
/** The files `loadReferenceData` reads, relative to `REFERENCE_DATA_DIR`. */
export const REFERENCE_DATA_FILES = {
  calendar: 'calendar-2025-2027.v1.json',
  procedures: 'procedures.v1.json',
  adminUnits: 'admin-units.v1.json',
  landUseCodes: 'land-use-codes.v1.json',
  legacyIdPrefixes: 'legacy-id-prefixes.v1.json',
} as const;

/** A province after 1 Jul 2025 (Decision 19/2025/QĐ-TTg): 2-digit code. */
export interface Province {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly fullName: string;
  readonly type: 'PROVINCE' | 'CITY';
}

/** A commune, ward or special zone after 1 Jul 2025: 5-digit code, never reused. */
export interface Commune {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly fullName: string;
  readonly type: 'COMMUNE' | 'WARD' | 'SPECIAL_ZONE';
  readonly provinceCode: string;
}

/** `admin-units.v1.json`: 34 provinces and 3,321 communes (thanglequoc/vietnamese-provinces-database, MIT). */
export interface AdminUnits {
  readonly version: number;
  readonly effectiveFrom: string;
  readonly dataAsOf: string;
  readonly provinces: readonly Province[];
  readonly communes: readonly Commune[];
}

/** One land-use type code (domain.md §4.3). `legacy` codes come from the pre-2024 list. */
export interface LandUseCode {
  readonly code: string;
  readonly name: { readonly vi: string; readonly en: string };
  readonly group: 'AGRICULTURAL' | 'NON_AGRICULTURAL' | 'UNUSED';
  readonly legacy: boolean;
  readonly note?: string;
}

/** `land-use-codes.v1.json`; partial (see its `completeness`): unknown codes deserve a warning, not a rejection. */
export interface LandUseCodes {
  readonly version: number;
  readonly effectiveFrom: string;
  readonly completeness: { readonly complete: boolean; readonly note: string };
  readonly codes: readonly LandUseCode[];
}

/** `legacy-id-prefixes.v1.json`: birth-registration prefixes of 12-digit personal identification numbers. */
export interface LegacyIdPrefixes {
  readonly version: number;
  /** Pre-2025 province prefixes (`001` Hà Nội … `096` Cà Mau); complete, 63 entries. */
  readonly provincePrefixes: readonly {
    readonly prefix: string;
    readonly formerProvinceCode: string;
    readonly name: string;
  }[];
  /** Country-of-registration prefixes, as an inclusive range only (the per-country table is not carried). */
  readonly countryPrefixRange: { readonly from: string; readonly to: string };
  /** Century/gender digit (the 4th): even male, odd female, by century. */
  readonly centuryGenderDigit: {
    readonly digits: readonly { readonly century: number; readonly male: number; readonly female: number }[];
  };
}

/** Everything in `contracts/reference-data/`, parsed and checked. */
export interface ReferenceData {
  readonly calendarData: CalendarReferenceData;
  /** The national working calendar; `calendar.forProvince(code)` applies a province's own days. */
  readonly calendar: WorkingCalendar;
  readonly catalogue: ProcedureCatalogue;
  readonly adminUnits: AdminUnits;
  readonly landUseCodes: LandUseCodes;
  readonly legacyIdPrefixes: LegacyIdPrefixes;
  /** The per-province deployment files (branches and their communes, office hours, remote communes). */
  readonly provinces: ProvinceDeployments;
}

/** Options of `loadReferenceData`. */
export interface LoadReferenceDataOptions {
  /**
   * Folder of the per-province deployment files; default `<rootDir>/contracts/reference-data/provinces`. A province
   * points it at its own files (relative paths start at the working directory).
   */
  readonly provincesDir?: string;
}

/**
 * Reads and checks every reference file under `<rootDir>/contracts/reference-data/` (the build does not copy them to
 * dist/, so services pass the repository root) and the per-province deployment files. Throws a ReferenceDataError
 * naming the file and every problem.
 */
export function loadReferenceData(rootDir: string, options: LoadReferenceDataOptions = {}): ReferenceData {
  const read = (file: string): unknown =>
    JSON.parse(readFileSync(path.join(rootDir, REFERENCE_DATA_DIR, file), 'utf8'));
  const calendarData = parseCalendarReferenceData(read(REFERENCE_DATA_FILES.calendar), REFERENCE_DATA_FILES.calendar);
  const adminUnits = parseAdminUnits(read(REFERENCE_DATA_FILES.adminUnits));
  const provincesDir = options.provincesDir
    ? path.resolve(options.provincesDir)
    : path.join(rootDir, REFERENCE_DATA_DIR, PROVINCE_DATA_SUBDIR);
  return {
    calendarData,
    calendar: WorkingCalendar.fromReferenceData(calendarData),
    catalogue: ProcedureCatalogue.fromJson(read(REFERENCE_DATA_FILES.procedures), REFERENCE_DATA_FILES.procedures),
    adminUnits,
    landUseCodes: parseLandUseCodes(read(REFERENCE_DATA_FILES.landUseCodes)),
    legacyIdPrefixes: parseLegacyIdPrefixes(read(REFERENCE_DATA_FILES.legacyIdPrefixes)),
    provinces: loadProvinceDeployments(provincesDir, adminUnits),
  };
}

/** Checks the shape of `admin-units.v1.json`: unique codes, every commune in a known province, declared counts. */
export function parseAdminUnits(json: unknown): AdminUnits {
  const r = new ReferenceDataReader(REFERENCE_DATA_FILES.adminUnits);
  const root = r.object(json, '$');
  const provinces = r.array(root.provinces, '$.provinces') as Province[];
  const communes = r.array(root.communes, '$.communes') as Commune[];
  const provinceCodes = new Set(provinces.map((p, i) => r.string(p.code, `$.provinces[${i}].code`, /^\d{2}$/)));
  const communeCodes = new Set(communes.map((c, i) => r.string(c.code, `$.communes[${i}].code`, /^\d{5}$/)));
  if (provinceCodes.size !== provinces.length) r.problem('$.provinces', 'duplicate province code');
  if (communeCodes.size !== communes.length) r.problem('$.communes', 'duplicate commune code');
  communes.forEach((c, i) => {
    if (!provinceCodes.has(c.provinceCode))
      r.problem(`$.communes[${i}].provinceCode`, `unknown province ${c.provinceCode}`);
  });
  const counts = r.object(root.counts, '$.counts');
  if (counts.provinces !== provinces.length || counts.communes !== communes.length)
    r.problem('$.counts', 'do not match');
  const result: AdminUnits = {
    version: r.integer(root.version, '$.version', 1, 1000),
    effectiveFrom: r.string(root.effectiveFrom, '$.effectiveFrom'),
    dataAsOf: r.string(root.dataAsOf, '$.dataAsOf'),
    provinces,
    communes,
  };
  r.done();
  return result;
}

/** Checks the shape of `land-use-codes.v1.json`: three-letter unique codes. */
export function parseLandUseCodes(json: unknown): LandUseCodes {
  const r = new ReferenceDataReader(REFERENCE_DATA_FILES.landUseCodes);
  const root = r.object(json, '$');
  const codes = r.array(root.codes, '$.codes') as LandUseCode[];
  const unique = new Set(codes.map((c, i) => r.string(c.code, `$.codes[${i}].code`, /^[A-Z]{3}$/)));
  if (unique.size !== codes.length) r.problem('$.codes', 'duplicate land-use code');
  const completeness = r.object(root.completeness, '$.completeness');
  const result: LandUseCodes = {
    version: r.integer(root.version, '$.version', 1, 1000),
    effectiveFrom: r.string(root.effectiveFrom, '$.effectiveFrom'),
    completeness: {
      complete: completeness.complete === true,
      note: r.string(completeness.note, '$.completeness.note'),
    },
    codes,
  };
  r.done();
  return result;
}

/** Checks the shape of `legacy-id-prefixes.v1.json`: 3-digit unique prefixes. */
export function parseLegacyIdPrefixes(json: unknown): LegacyIdPrefixes {
  const r = new ReferenceDataReader(REFERENCE_DATA_FILES.legacyIdPrefixes);
  const root = r.object(json, '$');
  const prefixes = r.array(root.provincePrefixes, '$.provincePrefixes') as LegacyIdPrefixes['provincePrefixes'];
  const unique = new Set(prefixes.map((p, i) => r.string(p.prefix, `$.provincePrefixes[${i}].prefix`, /^0\d{2}$/)));
  if (unique.size !== prefixes.length) r.problem('$.provincePrefixes', 'duplicate prefix');
  const range = r.object(root.countryPrefixRange, '$.countryPrefixRange');
  const centuryGender = r.object(root.centuryGenderDigit, '$.centuryGenderDigit');
  const result: LegacyIdPrefixes = {
    version: r.integer(root.version, '$.version', 1, 1000),
    provincePrefixes: prefixes,
    countryPrefixRange: {
      from: r.string(range.from, '$.countryPrefixRange.from', /^[1-9]\d{2}$/),
      to: r.string(range.to, '$.countryPrefixRange.to', /^[1-9]\d{2}$/),
    },
    centuryGenderDigit: {
      digits: r.array(
        centuryGender.digits,
        '$.centuryGenderDigit.digits',
      ) as LegacyIdPrefixes['centuryGenderDigit']['digits'],
    },
  };
  r.done();
  return result;
}
