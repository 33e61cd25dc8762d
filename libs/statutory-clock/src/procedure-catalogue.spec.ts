import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ProcedureCaseRequiredError,
  ProcedureNotInForceError,
  ReferenceDataError,
  UnknownProcedureCaseError,
  UnknownProcedureError,
} from './errors';
import { ProcedureCatalogue } from './procedure-catalogue';

type Json = Record<string, unknown> & { procedures: Record<string, unknown>[]; provinceOverrides: unknown[] };
const catalogueJson = (): Json =>
  JSON.parse(
    readFileSync(path.resolve(__dirname, '../../../contracts/reference-data/procedures.v1.json'), 'utf8'),
  ) as Json;
const catalogue = ProcedureCatalogue.fromJson(catalogueJson());
const at = (iso: string): Date => new Date(iso);
const nov2026 = at('2026-11-23T08:15:00+07:00');

// domain.md §9: every row, by our code and national code (MaTTHC).
const section9 = [
  ['FIRST_REG_INDIVIDUAL', '1.013978'],
  ['FIRST_REG_ORGANISATION', '1.012753'],
  ['FIRST_REG_STATE_MANAGED', '1.012756'],
  ['TRANSFER', '1.013831'],
  ['CHANGE_USER_INFO', '1.013833'],
  ['CHANGE_BY_AGREEMENT_OR_JUDGMENT', '1.013980'],
  ['MORTGAGE_REGISTER', '1.011441'],
  ['MORTGAGE_CHANGE', '1.011442'],
  ['MORTGAGE_DELETE', '1.011443'],
  ['PURPOSE_CHANGE_NO_PERMIT', '1.013992'],
  ['PURPOSE_CHANGE_PERMIT', '1.013949'],
  ['PARCEL_SPLIT_MERGE', '1.012784'],
  ['CERTIFICATE_EXCHANGE', '1.012783'],
  ['CERTIFICATE_REISSUE_LOST', '1.012786'],
  ['CERTIFICATE_CORRECTION', '1.012790'],
  ['CERTIFICATE_CORRECTION_FIRST', '1.012796'],
  ['CERTIFICATE_REVOKE_REISSUE', '1.012791'],
  ['CERTIFICATE_REVOKE_REISSUE', '1.012818'],
  ['RESIDENTIAL_AREA_REDETERMINE', '1.012817'],
  ['INCREASED_AREA_CERT', '1.012781'],
  ['PRE2024_TRANSFER_CERT', '1.012785'],
  ['ATTACHED_ASSET_REG', '1.013995'],
  ['DEBT_CLEARANCE', '1.013988'],
  ['LAND_INFO_REQUEST', '1.012789'],
  ['DISPUTE_MEDIATION', '1.012812'],
] as const;

describe('ProcedureCatalogue (procedures.v1.json)', () => {
  it.each(section9)('holds %s as %s, in force in November 2026', (code, nationalCode) => {
    const procedure = catalogue.get(nationalCode, nov2026);
    expect(procedure.code).toBe(code);
    expect(procedure.name.vi).not.toBe('');
    expect(procedure.name.en).not.toBe('');
    expect(procedure.sources.length).toBeGreaterThan(0);
    expect(procedure.clockPauses).toContain('SUPPLEMENT');
  });

  it('holds exactly the rows of domain.md §9', () => {
    expect(catalogue.nationalCodes).toEqual(section9.map(([, code]) => code).sort());
    expect(catalogue.inForce(nov2026)).toHaveLength(section9.length);
  });

  it('gives 1.013831 its six cases: 8 working days (18 remote), infrastructure lease 4', () => {
    const cases = catalogue.get('1.013831', nov2026).cases;
    expect(cases.map((c) => c.code)).toEqual([
      'TRANSFER',
      'INHERITANCE',
      'GIFT',
      'CAPITAL_CONTRIBUTION',
      'LAND_EXCHANGE',
      'INFRASTRUCTURE_LEASE',
    ]);
    const gift = catalogue.resolve({ procedureCode: '1.013831', caseCode: 'GIFT', receivedAt: nov2026 });
    expect(gift.timeLimits).toEqual({
      normal: { unit: 'WORKING_DAY', amount: 8 },
      remote: { unit: 'WORKING_DAY', amount: 18 },
    });
    const lease = catalogue.resolve({
      procedureCode: '1.013831',
      caseCode: 'INFRASTRUCTURE_LEASE',
      receivedAt: nov2026,
    });
    expect(lease.timeLimit).toEqual({ unit: 'WORKING_DAY', amount: 4 });
  });

  it('lists the documents of a transfer: form 18, the certificate, the contract; mortgagee consent when mortgaged', () => {
    const { documents, procedure } = catalogue.resolve({
      procedureCode: '1.013831',
      caseCode: 'TRANSFER',
      receivedAt: nov2026,
    });
    expect(documents.filter((d) => d.required).map((d) => d.kind)).toEqual([
      'APPLICATION_FORM',
      'LAND_USE_CERTIFICATE',
      'TRANSFER_CONTRACT',
    ]);
    expect(documents.find((d) => d.kind === 'MORTGAGEE_CONSENT')).toEqual({
      kind: 'MORTGAGEE_CONSENT',
      required: false,
      when: 'the parcel is mortgaged',
    });
    expect(procedure.clockPauses).toEqual(['SUPPLEMENT', 'FINANCIAL_OBLIGATION']);
    for (const d of documents) expect(catalogue.documentKinds[d.kind]?.vi).toBeTruthy();
  });

  it('gives an inheritance its inheritance document instead of a contract', () => {
    const { documents } = catalogue.resolve({
      procedureCode: '1.013831',
      caseCode: 'INHERITANCE',
      receivedAt: nov2026,
    });
    expect(documents.map((d) => d.kind)).toContain('INHERITANCE_DOCUMENT');
    expect(documents.map((d) => d.kind)).not.toContain('TRANSFER_CONTRACT');
  });

  it('makes mortgage registration, change and deletion same-working-day procedures with the 15:00 cutoff', () => {
    for (const code of ['1.011441', '1.011442', '1.011443']) {
      expect(catalogue.resolve({ procedureCode: code, receivedAt: nov2026 }).timeLimit).toEqual({
        unit: 'SAME_WORKING_DAY',
        cutoff: '15:00',
      });
    }
  });

  it('pauses a lost-certificate re-issue for 15 days of public posting', () => {
    const procedure = catalogue.get('1.012786', nov2026);
    expect(procedure.clockPauses).toContain('PUBLIC_POSTING');
    expect(procedure.publicPosting?.days).toBe(15);
    expect(catalogue.get('1.012785', nov2026).publicPosting?.days).toBe(30);
  });

  it('requires a case for 1.013831 and refuses an unknown one', () => {
    expect(() => catalogue.resolve({ procedureCode: '1.013831', receivedAt: nov2026 })).toThrow(
      ProcedureCaseRequiredError,
    );
    expect(() => catalogue.resolve({ procedureCode: '1.013831', caseCode: 'SALE', receivedAt: nov2026 })).toThrow(
      UnknownProcedureCaseError,
    );
  });

  it('uses the default case or the only case when none is named', () => {
    const firstReg = catalogue.resolve({ procedureCode: '1.013978', receivedAt: nov2026, remote: true });
    expect(firstReg.procedureCase.code).toBe('REGISTRATION_WITH_CERTIFICATE');
    expect(firstReg.timeLimit).toEqual({ unit: 'WORKING_DAY', amount: 30 });
    expect(catalogue.resolve({ procedureCode: '1.012784', receivedAt: nov2026 }).procedureCase.code).toBe('STANDARD');
  });

  it('keeps the normal limit for a remote commune when no remote limit is published', () => {
    const split = catalogue.resolve({ procedureCode: '1.012784', receivedAt: nov2026, remote: true });
    expect(split.timeLimit).toEqual({ unit: 'WORKING_DAY', amount: 12 });
  });

  it('judges an in-flight dossier by the version in force at its receipt (Vietnam date)', () => {
    const correction = (iso: string): unknown =>
      catalogue.resolve({ procedureCode: '1.012790', receivedAt: at(iso) }).timeLimit;
    expect(correction('2025-06-30T16:00:00+07:00')).toEqual({ unit: 'WORKING_DAY', amount: 10 }); // Decree 101/2024
    expect(correction('2025-06-30T17:30:00Z')).toEqual({ unit: 'WORKING_DAY', amount: 8 }); // 1 Jul 00:30 in Vietnam
    expect(correction('2026-11-23T08:15:00+07:00')).toEqual({ unit: 'WORKING_DAY', amount: 8 }); // Decree 151/2025
  });

  it('refuses an unknown procedure and one not yet in force', () => {
    expect(() => catalogue.get('1.999999', nov2026)).toThrow(UnknownProcedureError);
    expect(() => catalogue.get('1.013831', at('2025-06-30T10:00:00+07:00'))).toThrow(ProcedureNotInForceError);
    expect(catalogue.find('1.013831', at('2025-06-30T10:00:00+07:00'))).toBeUndefined();
  });

  it('applies a province override only in that province, for that case, from its effective date', () => {
    const json = catalogueJson();
    json.provinceOverrides = [
      {
        provinceCode: '75',
        nationalCode: '1.013831',
        caseCode: 'TRANSFER',
        effectiveFrom: '2026-01-01',
        timeLimit: { normal: { unit: 'WORKING_DAY', amount: 5 }, remote: { unit: 'WORKING_DAY', amount: 15 } },
        source: 'test fixture (Đồng Nai publishes 5 WD in page_logic.js)',
      },
    ];
    const withOverride = ProcedureCatalogue.fromJson(json);
    const transfer = (provinceCode: string, iso = '2026-11-23T08:15:00+07:00', caseCode = 'TRANSFER') =>
      withOverride.resolve({ procedureCode: '1.013831', caseCode, receivedAt: at(iso), provinceCode });
    expect(transfer('75').timeLimit).toEqual({ unit: 'WORKING_DAY', amount: 5 });
    expect(transfer('75').override?.source).toMatch(/Đồng Nai/);
    expect(transfer('56').timeLimit).toEqual({ unit: 'WORKING_DAY', amount: 8 });
    expect(transfer('75', '2025-12-31T10:00:00+07:00').timeLimit).toEqual({ unit: 'WORKING_DAY', amount: 8 });
    expect(transfer('75', undefined, 'GIFT').timeLimit).toEqual({ unit: 'WORKING_DAY', amount: 8 });
  });

  it('lists every shape problem of the file at once', () => {
    const json = catalogueJson();
    (json.procedures[0]!.documents as { kind: string }[])[0]!.kind = 'SELFIE';
    const firstCase = (json.procedures[3]!.cases as Record<string, unknown>[])[0]!;
    (firstCase.timeLimit as Record<string, unknown>).normal = { unit: 'FORTNIGHT' };
    expect(() => ProcedureCatalogue.fromJson(json)).toThrow(ReferenceDataError);
    expect(() => ProcedureCatalogue.fromJson(json)).toThrow(/unknown document kind SELFIE[\s\S]*unit: expected one of/);
  });

  it('refuses overlapping versions and overrides of unknown cases', () => {
    const json = catalogueJson();
    json.procedures.find((p) => p.nationalCode === '1.012790' && p.effectiveTo !== null)!.effectiveTo = '2025-08-01';
    json.provinceOverrides = [
      {
        provinceCode: '75',
        nationalCode: '1.013831',
        caseCode: 'SALE',
        effectiveFrom: '2026-01-01',
        timeLimit: { normal: { unit: 'WORKING_DAY', amount: 5 } },
        source: 'test fixture',
      },
    ];
    expect(() => ProcedureCatalogue.fromJson(json)).toThrow(/overlap[\s\S]*has no case SALE/);
  });
});
