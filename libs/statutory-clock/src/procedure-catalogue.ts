import { type PauseReason } from './clock-ledger';
import {
  ProcedureCaseRequiredError,
  ProcedureNotInForceError,
  UnknownProcedureCaseError,
  UnknownProcedureError,
} from './errors';
import { type CivilDate, vietnamDateOf } from './local-time';
import { CIVIL_DATE, ReferenceDataReader, TIME_OF_DAY } from './reference-data-reader';
import { type CaseTimeLimits, type TimeLimit, applicableTimeLimit } from './time-limit';

/** A text in Vietnamese and English. */
export interface LocalisedText {
  readonly vi: string;
  readonly en: string;
}

/** Who decides: the commune (X), the province / Land Registration Office (T), or either. */
export type ProcedureLevel = 'COMMUNE' | 'PROVINCE' | 'PROVINCE_OR_COMMUNE';

/** A document the dossier must (or, `when` a condition holds, may) contain. `kind` is a key of `documentKinds`. */
export interface DocumentRequirement {
  readonly kind: string;
  readonly required: boolean;
  /** The prescribed form, e.g. `Form 18 (Decree 151/2025)`. */
  readonly form?: string;
  /** For optional documents: when they are needed. */
  readonly when?: string;
}

/** One case of a procedure (for 1.013831: TRANSFER, INHERITANCE, GIFT…), with its own limits and documents. */
export interface ProcedureCase {
  readonly code: string;
  readonly name: LocalisedText;
  readonly timeLimit: CaseTimeLimits;
  /** Documents of this case, in addition to the procedure's. */
  readonly documents: readonly DocumentRequirement[];
  readonly notes: readonly string[];
}

/** One version of a procedure, in force from `effectiveFrom` (inclusive) to `effectiveTo` (exclusive), Vietnam dates. */
export interface ProcedureVersion {
  /** Our code, e.g. `TRANSFER` (domain.md §9). */
  readonly code: string;
  /** National code (MaTTHC), e.g. `1.013831`: the key intake systems use as `procedureCode`. */
  readonly nationalCode: string;
  readonly name: LocalisedText;
  readonly level: ProcedureLevel;
  readonly effectiveFrom: CivilDate;
  readonly effectiveTo?: CivilDate;
  readonly legalBasis: readonly string[];
  readonly sources: readonly string[];
  /** The reasons for which this procedure's clock may pause. */
  readonly clockPauses: readonly PauseReason[];
  /** The public-posting step, when the procedure has one (its duration is not counted). */
  readonly publicPosting?: { readonly days?: number; readonly purpose: string; readonly source: string };
  /** Whether a legacy 9-digit ID card number is acceptable for parties ([I], see the catalogue notes). */
  readonly legacyIdNumberAllowed: boolean;
  /** Documents common to all cases. */
  readonly documents: readonly DocumentRequirement[];
  /** The case used when the caller names none. */
  readonly defaultCaseCode?: string;
  readonly cases: readonly ProcedureCase[];
  readonly notes: readonly string[];
}

/** A province's own time limit for a procedure (or one case of it), within the statutory maximum. */
export interface ProvinceTimeLimitOverride {
  readonly provinceCode: string;
  readonly nationalCode: string;
  /** The case it applies to; all cases when absent. */
  readonly caseCode?: string;
  readonly effectiveFrom: CivilDate;
  readonly effectiveTo?: CivilDate;
  readonly timeLimit: CaseTimeLimits;
  readonly source: string;
}

/** What the catalogue says about one dossier's procedure and case at its receipt. */
export interface ResolvedProcedureCase {
  readonly procedure: ProcedureVersion;
  readonly procedureCase: ProcedureCase;
  /** Normal and remote limits after any province override. */
  readonly timeLimits: CaseTimeLimits;
  /** The limit that applies to this dossier (remote chosen when asked and published). */
  readonly timeLimit: TimeLimit;
  /** Procedure documents followed by the case's. */
  readonly documents: readonly DocumentRequirement[];
  /** The province override that replaced the national limits, if any. */
  readonly override?: ProvinceTimeLimitOverride;
}

const PAUSE_REASONS: readonly PauseReason[] = ['SUPPLEMENT', 'FINANCIAL_OBLIGATION', 'PUBLIC_POSTING'];
const LEVELS: readonly ProcedureLevel[] = ['COMMUNE', 'PROVINCE', 'PROVINCE_OR_COMMUNE'];
const NATIONAL_CODE = /^\d\.\d{6}$/;
const CASE_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

/**
 * The procedure catalogue of `procedures.v1.json` (domain.md §9), versioned by effective date: a dossier is judged by
 * the version in force at its receipt, so an in-flight dossier keeps the rules it was received under.
 */
export class ProcedureCatalogue {
  private readonly versions: ReadonlyMap<string, readonly ProcedureVersion[]>;

  private constructor(
    versions: readonly ProcedureVersion[],
    private readonly overrides: readonly ProvinceTimeLimitOverride[],
    /** Document kinds: code → name in Vietnamese and English. */
    readonly documentKinds: Readonly<Record<string, LocalisedText>>,
  ) {
    const byCode = new Map<string, ProcedureVersion[]>();
    for (const v of versions) byCode.set(v.nationalCode, [...(byCode.get(v.nationalCode) ?? []), v]);
    this.versions = byCode;
  }

  /** Parses and checks the catalogue JSON; throws a ReferenceDataError listing every problem. */
  static fromJson(json: unknown, file = 'procedure catalogue'): ProcedureCatalogue {
    const r = new ReferenceDataReader(file);
    const root = r.object(json, '$');
    if (root.kind !== 'procedure-catalogue') r.problem('$.kind', 'expected "procedure-catalogue"');
    const kinds: Record<string, LocalisedText> = {};
    for (const [kind, name] of Object.entries(r.object(root.documentKinds, '$.documentKinds'))) {
      kinds[kind] = readText(r, name, `$.documentKinds.${kind}`);
    }
    const versions = r
      .array(root.procedures, '$.procedures')
      .map((p, i) => readVersion(r, p, `$.procedures[${i}]`, kinds));
    const overrides = r
      .array(root.provinceOverrides, '$.provinceOverrides')
      .map((o, i) => readOverride(r, o, `$.provinceOverrides[${i}]`));
    r.done();
    checkCatalogue(r, versions, overrides);
    r.done();
    return new ProcedureCatalogue(versions, overrides, kinds);
  }

  /** National codes in the catalogue, any version. */
  get nationalCodes(): readonly string[] {
    return [...this.versions.keys()].sort();
  }

  /** Every version in force at `at` (one per national code). */
  inForce(at: Date): readonly ProcedureVersion[] {
    const date = vietnamDateOf(at);
    return [...this.versions.values()].flatMap((vs) => vs.filter((v) => isInForce(v, date)));
  }

  /** The version of `nationalCode` in force at `at`, or undefined. */
  find(nationalCode: string, at: Date): ProcedureVersion | undefined {
    const date = vietnamDateOf(at);
    return this.versions.get(nationalCode)?.find((v) => isInForce(v, date));
  }

  /** The version of `nationalCode` in force at `at`; throws UnknownProcedureError or ProcedureNotInForceError. */
  get(nationalCode: string, at: Date): ProcedureVersion {
    if (!this.versions.has(nationalCode)) throw new UnknownProcedureError(nationalCode);
    const version = this.find(nationalCode, at);
    if (!version) throw new ProcedureNotInForceError(nationalCode, vietnamDateOf(at));
    return version;
  }

  /**
   * Resolves a dossier's procedure and case at its receipt: the version in force at `receivedAt`, the case (named,
   * default, or the only one), the province's override of the limits in force at that date, and the limit for a
   * remote commune when `remote` is set.
   */
  resolve(query: {
    readonly procedureCode: string;
    readonly caseCode?: string;
    readonly receivedAt: Date;
    readonly provinceCode?: string;
    readonly remote?: boolean;
  }): ResolvedProcedureCase {
    const procedure = this.get(query.procedureCode, query.receivedAt);
    const caseCodes = procedure.cases.map((c) => c.code);
    const wanted = query.caseCode ?? procedure.defaultCaseCode ?? (caseCodes.length === 1 ? caseCodes[0] : undefined);
    if (wanted === undefined) throw new ProcedureCaseRequiredError(procedure.nationalCode, caseCodes);
    const procedureCase = procedure.cases.find((c) => c.code === wanted);
    if (!procedureCase) throw new UnknownProcedureCaseError(procedure.nationalCode, wanted, caseCodes);
    const date = vietnamDateOf(query.receivedAt);
    const override = this.overrides.find(
      (o) =>
        o.provinceCode === query.provinceCode &&
        o.nationalCode === procedure.nationalCode &&
        (o.caseCode === undefined || o.caseCode === procedureCase.code) &&
        isInForce(o, date),
    );
    const timeLimits = override?.timeLimit ?? procedureCase.timeLimit;
    return {
      procedure,
      procedureCase,
      timeLimits,
      timeLimit: applicableTimeLimit(timeLimits, query.remote),
      documents: [...procedure.documents, ...procedureCase.documents],
      ...(override ? { override } : {}),
    };
  }
}

function isInForce(
  v: { readonly effectiveFrom: CivilDate; readonly effectiveTo?: CivilDate },
  date: CivilDate,
): boolean {
  return v.effectiveFrom <= date && (v.effectiveTo === undefined || date < v.effectiveTo);
}

function readText(r: ReferenceDataReader, value: unknown, path: string): LocalisedText {
  const o = r.object(value, path);
  return { vi: r.string(o.vi, `${path}.vi`), en: r.string(o.en, `${path}.en`) };
}

function readStrings(r: ReferenceDataReader, value: unknown, path: string): string[] {
  return value === undefined ? [] : r.array(value, path).map((s, i) => r.string(s, `${path}[${i}]`));
}

function readOptionalDate(r: ReferenceDataReader, value: unknown, path: string): CivilDate | undefined {
  return value === undefined || value === null ? undefined : r.string(value, path, CIVIL_DATE);
}

function readTimeLimit(r: ReferenceDataReader, value: unknown, path: string): TimeLimit {
  const o = r.object(value, path);
  const unit = r.oneOf(o.unit, `${path}.unit`, [
    'WORKING_DAY',
    'WORKING_HOUR',
    'CALENDAR_DAY',
    'SAME_WORKING_DAY',
  ] as const);
  if (unit === 'SAME_WORKING_DAY') return { unit, cutoff: r.string(o.cutoff, `${path}.cutoff`, TIME_OF_DAY) };
  return { unit, amount: r.integer(o.amount, `${path}.amount`, 1, 366) };
}

function readCaseTimeLimits(r: ReferenceDataReader, value: unknown, path: string): CaseTimeLimits {
  const o = r.object(value, path);
  const normal = readTimeLimit(r, o.normal, `${path}.normal`);
  return o.remote === undefined ? { normal } : { normal, remote: readTimeLimit(r, o.remote, `${path}.remote`) };
}

function readDocuments(
  r: ReferenceDataReader,
  value: unknown,
  path: string,
  kinds: Record<string, LocalisedText>,
): DocumentRequirement[] {
  if (value === undefined) return [];
  return r.array(value, path).map((d, i) => {
    const o = r.object(d, `${path}[${i}]`);
    const kind = r.string(o.kind, `${path}[${i}].kind`);
    if (!(kind in kinds)) r.problem(`${path}[${i}].kind`, `unknown document kind ${kind}`);
    if (typeof o.required !== 'boolean') r.problem(`${path}[${i}].required`, 'expected true or false');
    return {
      kind,
      required: o.required === true,
      ...(o.form === undefined ? {} : { form: r.string(o.form, `${path}[${i}].form`) }),
      ...(o.when === undefined ? {} : { when: r.string(o.when, `${path}[${i}].when`) }),
    };
  });
}

function readVersion(
  r: ReferenceDataReader,
  value: unknown,
  path: string,
  kinds: Record<string, LocalisedText>,
): ProcedureVersion {
  const o = r.object(value, path);
  const posting = o.publicPosting === undefined ? undefined : r.object(o.publicPosting, `${path}.publicPosting`);
  const effectiveTo = readOptionalDate(r, o.effectiveTo, `${path}.effectiveTo`);
  const defaultCaseCode =
    o.defaultCaseCode === undefined ? undefined : r.string(o.defaultCaseCode, `${path}.defaultCaseCode`);
  if (typeof o.legacyIdNumberAllowed !== 'boolean')
    r.problem(`${path}.legacyIdNumberAllowed`, 'expected true or false');
  return {
    code: r.string(o.code, `${path}.code`, CASE_CODE),
    nationalCode: r.string(o.nationalCode, `${path}.nationalCode`, NATIONAL_CODE),
    name: readText(r, o.name, `${path}.name`),
    level: r.oneOf(o.level, `${path}.level`, LEVELS),
    effectiveFrom: r.string(o.effectiveFrom, `${path}.effectiveFrom`, CIVIL_DATE),
    ...(effectiveTo ? { effectiveTo } : {}),
    legalBasis: readStrings(r, o.legalBasis, `${path}.legalBasis`),
    sources: readStrings(r, o.sources, `${path}.sources`),
    clockPauses: r
      .array(o.clockPauses, `${path}.clockPauses`)
      .map((p, i) => r.oneOf(p, `${path}.clockPauses[${i}]`, PAUSE_REASONS)),
    ...(posting
      ? {
          publicPosting: {
            ...(posting.days === undefined
              ? {}
              : { days: r.integer(posting.days, `${path}.publicPosting.days`, 1, 366) }),
            purpose: r.string(posting.purpose, `${path}.publicPosting.purpose`),
            source: r.string(posting.source, `${path}.publicPosting.source`),
          },
        }
      : {}),
    legacyIdNumberAllowed: o.legacyIdNumberAllowed === true,
    documents: readDocuments(r, o.documents, `${path}.documents`, kinds),
    ...(defaultCaseCode ? { defaultCaseCode } : {}),
    cases: r.array(o.cases, `${path}.cases`).map((c, i) => {
      const cp = `${path}.cases[${i}]`;
      const co = r.object(c, cp);
      return {
        code: r.string(co.code, `${cp}.code`, CASE_CODE),
        name: readText(r, co.name, `${cp}.name`),
        timeLimit: readCaseTimeLimits(r, co.timeLimit, `${cp}.timeLimit`),
        documents: readDocuments(r, co.documents, `${cp}.documents`, kinds),
        notes: readStrings(r, co.notes, `${cp}.notes`),
      };
    }),
    notes: readStrings(r, o.notes, `${path}.notes`),
  };
}

function readOverride(r: ReferenceDataReader, value: unknown, path: string): ProvinceTimeLimitOverride {
  const o = r.object(value, path);
  const effectiveTo = readOptionalDate(r, o.effectiveTo, `${path}.effectiveTo`);
  return {
    provinceCode: r.string(o.provinceCode, `${path}.provinceCode`, /^\d{2}$/),
    nationalCode: r.string(o.nationalCode, `${path}.nationalCode`, NATIONAL_CODE),
    ...(o.caseCode === undefined ? {} : { caseCode: r.string(o.caseCode, `${path}.caseCode`, CASE_CODE) }),
    effectiveFrom: r.string(o.effectiveFrom, `${path}.effectiveFrom`, CIVIL_DATE),
    ...(effectiveTo ? { effectiveTo } : {}),
    timeLimit: readCaseTimeLimits(r, o.timeLimit, `${path}.timeLimit`),
    source: r.string(o.source, `${path}.source`),
  };
}

function checkCatalogue(
  r: ReferenceDataReader,
  versions: readonly ProcedureVersion[],
  overrides: readonly ProvinceTimeLimitOverride[],
): void {
  const byCode = new Map<string, ProcedureVersion[]>();
  for (const v of versions) {
    const where = `${v.nationalCode} from ${v.effectiveFrom}`;
    if (v.effectiveTo !== undefined && v.effectiveTo <= v.effectiveFrom)
      r.problem(where, 'effectiveTo is not after effectiveFrom');
    const caseCodes = v.cases.map((c) => c.code);
    if (caseCodes.length === 0) r.problem(where, 'a procedure needs at least one case');
    if (new Set(caseCodes).size !== caseCodes.length) r.problem(where, 'duplicate case code');
    if (v.defaultCaseCode !== undefined && !caseCodes.includes(v.defaultCaseCode))
      r.problem(where, 'defaultCaseCode is not a case');
    if (!v.clockPauses.includes('SUPPLEMENT')) r.problem(where, 'every procedure can wait for a supplement');
    if (v.publicPosting && !v.clockPauses.includes('PUBLIC_POSTING'))
      r.problem(where, 'public posting without a PUBLIC_POSTING pause');
    byCode.set(v.nationalCode, [...(byCode.get(v.nationalCode) ?? []), v]);
  }
  for (const [code, vs] of byCode) {
    const sorted = [...vs].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
    sorted.slice(1).forEach((v, i) => {
      const previous = sorted[i];
      if (previous && (previous.effectiveTo === undefined || previous.effectiveTo > v.effectiveFrom)) {
        r.problem(code, `versions from ${previous.effectiveFrom} and ${v.effectiveFrom} overlap`);
      }
    });
  }
  overrides.forEach((o, i) => {
    const vs = byCode.get(o.nationalCode);
    if (!vs) r.problem(`$.provinceOverrides[${i}]`, `unknown procedure ${o.nationalCode}`);
    else if (o.caseCode !== undefined && !vs.some((v) => v.cases.some((c) => c.code === o.caseCode))) {
      r.problem(`$.provinceOverrides[${i}]`, `procedure ${o.nationalCode} has no case ${o.caseCode}`);
    }
  });
}
