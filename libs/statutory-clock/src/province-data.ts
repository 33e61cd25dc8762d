import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkOfficeHours, type OfficePeriod } from './calendar-data';
import { ReferenceDataError } from './errors';
import { ReferenceDataReader, TIME_OF_DAY } from './reference-data-reader';

/** The folder of the per-province deployment files, relative to the reference-data folder. */
export const PROVINCE_DATA_SUBDIR = 'provinces';
/** File names of the per-province deployment files: `<provinceCode>.v1.json`. */
export const PROVINCE_FILE = /^(\d{2})\.v1\.json$/;

/** A regional branch of the province's Land Registration Office and the communes whose land it has jurisdiction over. */
export interface BranchArea {
  /** The branch code carried by worker tokens and cases, e.g. `KH-VANNINH`; unique across provinces. */
  readonly code: string;
  /** The branch's name, e.g. `Chi nhánh Văn phòng đăng ký đất đai Vạn Ninh`. */
  readonly name: string;
  /** Two-digit code of the province the branch belongs to. */
  readonly provinceCode: string;
  /** 5-digit commune codes (Decision 19/2025/QĐ-TTg), each in this province and in no other branch. */
  readonly communes: readonly string[];
}

/**
 * `provinces/<provinceCode>.v1.json`: what one province deploys on top of the national reference data. These are
 * deployment choices of the province (how it draws its branch areas, its office hours, which of its communes get the
 * remote time limit), not national law, so each province ships and replaces its own file.
 */
export interface ProvinceDeployment {
  readonly version: number;
  readonly provinceCode: string;
  /** The province's office hours; absent when it keeps those of the national calendar file. */
  readonly officeHours?: readonly OfficePeriod[];
  /**
   * Communes whose dossiers get the procedure's `remote` time limit (mountainous, island, remote and especially
   * difficult communes). No public list was found, so the list is a stated assumption of the deployment.
   */
  readonly remoteCommunes: { readonly assumption: string; readonly codes: readonly string[] };
  readonly branches: readonly BranchArea[];
}

/** The minimal view of `admin-units.v1.json` the province files are checked against. */
export interface CommuneProvinceLookup {
  readonly provinces: readonly { readonly code: string }[];
  readonly communes: readonly { readonly code: string; readonly provinceCode: string }[];
}

/** One province file as read from disk: its name (for error messages and the code check) and parsed JSON. */
export interface ProvinceFile {
  readonly file: string;
  readonly json: unknown;
}

/**
 * Every province's deployment data, checked together: each commune of a branch or of the remote list belongs to the
 * file's province, a commune is in at most one branch, and branch codes are unique across all provinces (a worker
 * token names only its branch).
 */
export class ProvinceDeployments {
  private readonly byProvince: ReadonlyMap<string, ProvinceDeployment>;
  private readonly branchByCode: ReadonlyMap<string, BranchArea>;
  private readonly branchByCommune: ReadonlyMap<string, BranchArea>;
  private readonly remote: ReadonlySet<string>;

  private constructor(readonly provinces: readonly ProvinceDeployment[]) {
    this.byProvince = new Map(provinces.map((p) => [p.provinceCode, p]));
    const branches = provinces.flatMap((p) => p.branches);
    this.branchByCode = new Map(branches.map((b) => [b.code, b]));
    this.branchByCommune = new Map(branches.flatMap((b) => b.communes.map((c) => [c, b] as const)));
    this.remote = new Set(provinces.flatMap((p) => p.remoteCommunes.codes));
  }

  /**
   * Parses and checks the given files against the communes of `adminUnits`. Throws one ReferenceDataError (file
   * `provinces/`) listing every problem of every file, each prefixed with its file name.
   */
  static fromFiles(files: readonly ProvinceFile[], adminUnits: CommuneProvinceLookup): ProvinceDeployments {
    const r = new ReferenceDataReader(PROVINCE_DATA_SUBDIR + '/');
    const provinceOf = new Map(adminUnits.communes.map((c) => [c.code, c.provinceCode]));
    const knownProvinces = new Set(adminUnits.provinces.map((p) => p.code));
    const provinces = files.map((f) => parseProvinceDeployment(r, f, provinceOf, knownProvinces));

    const seenProvince = new Map<string, string>();
    const seenBranch = new Map<string, string>();
    provinces.forEach((p, i) => {
      const file = files[i]!.file;
      const other = seenProvince.get(p.provinceCode);
      if (other) r.problem(`${file} $.provinceCode`, `province ${p.provinceCode} is also deployed by ${other}`);
      seenProvince.set(p.provinceCode, file);
      p.branches.forEach((b, j) => {
        const where = seenBranch.get(b.code);
        if (where) r.problem(`${file} $.branches[${j}].code`, `branch ${b.code} is also defined in ${where}`);
        seenBranch.set(b.code, `${file} $.branches[${j}]`);
      });
    });
    r.done();
    return new ProvinceDeployments(provinces);
  }

  /** The deployment of one province, if it has one. */
  forProvince(provinceCode: string): ProvinceDeployment | undefined {
    return this.byProvince.get(provinceCode);
  }

  /** The branch with jurisdiction over the land of this commune, or undefined when no branch serves it. */
  branchOfCommune(communeCode: string): BranchArea | undefined {
    return this.branchByCommune.get(communeCode);
  }

  /** A branch by its code, or undefined. */
  branch(branchCode: string): BranchArea | undefined {
    return this.branchByCode.get(branchCode);
  }

  /** Every branch of every deployed province, in file order. */
  get branches(): readonly BranchArea[] {
    return this.provinces.flatMap((p) => p.branches);
  }

  /** Whether the deployment lists this commune as remote (an assumption of the province's file; see its reason). */
  isRemoteCommune(communeCode: string): boolean {
    return this.remote.has(communeCode);
  }

  /** The province's own office hours, or undefined when it keeps the national calendar's. */
  officeHoursOf(provinceCode: string): readonly OfficePeriod[] | undefined {
    return this.byProvince.get(provinceCode)?.officeHours;
  }
}

function parseProvinceDeployment(
  r: ReferenceDataReader,
  { file, json }: ProvinceFile,
  provinceOf: ReadonlyMap<string, string>,
  knownProvinces: ReadonlySet<string>,
): ProvinceDeployment {
  const at = (p: string): string => `${file} ${p}`;
  const root = r.object(json, at('$'));
  if (root.kind !== 'province-deployment') r.problem(at('$.kind'), 'expected "province-deployment"');
  const provinceCode = r.string(root.provinceCode, at('$.provinceCode'), /^\d{2}$/);
  if (provinceCode && !knownProvinces.has(provinceCode)) {
    r.problem(at('$.provinceCode'), `unknown province ${provinceCode}`);
  }
  const nameMatch = PROVINCE_FILE.exec(path.basename(file));
  if (!nameMatch || nameMatch[1] !== provinceCode) {
    r.problem(at('$.provinceCode'), `the file must be named ${provinceCode || '<provinceCode>'}.v1.json`);
  }

  const inProvince = (code: string, where: string): void => {
    const actual = provinceOf.get(code);
    if (actual === undefined) r.problem(where, `unknown commune ${code}`);
    else if (actual !== provinceCode) r.problem(where, `commune ${code} is in province ${actual}, not ${provinceCode}`);
  };

  let officeHours: OfficePeriod[] | undefined;
  if (root.officeHours !== undefined) {
    const office = r.object(root.officeHours, at('$.officeHours'));
    officeHours = r.array(office.periods, at('$.officeHours.periods')).map((item, i) => {
      const p = r.object(item, at(`$.officeHours.periods[${i}]`));
      return {
        start: r.string(p.start, at(`$.officeHours.periods[${i}].start`), TIME_OF_DAY),
        end: r.string(p.end, at(`$.officeHours.periods[${i}].end`), TIME_OF_DAY),
      };
    });
    const periods = officeHours;
    r.attempt(at('$.officeHours.periods'), () => checkOfficeHours(periods), undefined);
  }

  const remote = r.object(root.remoteCommunes, at('$.remoteCommunes'));
  const remoteCodes = r.array(remote.codes, at('$.remoteCommunes.codes')).map((c, i) => {
    const code = r.string(c, at(`$.remoteCommunes.codes[${i}]`), /^\d{5}$/);
    if (code) inProvince(code, at(`$.remoteCommunes.codes[${i}]`));
    return code;
  });
  if (new Set(remoteCodes).size !== remoteCodes.length) r.problem(at('$.remoteCommunes.codes'), 'duplicate commune');

  const branchOf = new Map<string, string>();
  const codes = new Set<string>();
  const branches = r.array(root.branches, at('$.branches')).map((item, i): BranchArea => {
    const path = `$.branches[${i}]`;
    const b = r.object(item, at(path));
    const code = r.string(b.code, at(`${path}.code`), /^[A-Z0-9]+(-[A-Z0-9]+)*$/);
    if (codes.has(code)) r.problem(at(`${path}.code`), `duplicate branch ${code}`);
    codes.add(code);
    const communes = r.array(b.communes, at(`${path}.communes`)).map((c, j) => {
      const where = at(`${path}.communes[${j}]`);
      const commune = r.string(c, where, /^\d{5}$/);
      if (!commune) return commune;
      inProvince(commune, where);
      const other = branchOf.get(commune);
      if (other !== undefined) r.problem(where, `commune ${commune} is already served by ${other}`);
      else branchOf.set(commune, code);
      return commune;
    });
    return { code, name: r.string(b.name, at(`${path}.name`)), provinceCode, communes };
  });

  return {
    version: r.integer(root.version, at('$.version'), 1, 1),
    provinceCode,
    ...(officeHours ? { officeHours } : {}),
    remoteCommunes: { assumption: r.string(remote.assumption, at('$.remoteCommunes.assumption')), codes: remoteCodes },
    branches,
  };
}

/**
 * Reads every `<provinceCode>.v1.json` in `dir` and checks them together (see `ProvinceDeployments.fromFiles`). A
 * missing folder or one without province files is an error: without branches no case could reach a worker.
 */
export function loadProvinceDeployments(dir: string, adminUnits: CommuneProvinceLookup): ProvinceDeployments {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch (error) {
    throw new ReferenceDataError(dir, [`cannot read the province folder: ${(error as Error).message}`]);
  }
  const files = names.sort().map((name) => {
    const text = readFileSync(path.join(dir, name), 'utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ReferenceDataError(name, [`not JSON: ${(error as Error).message}`]);
    }
    return { file: name, json };
  });
  if (files.length === 0) throw new ReferenceDataError(dir, ['no <provinceCode>.v1.json file']);
  return ProvinceDeployments.fromFiles(files, adminUnits);
}
