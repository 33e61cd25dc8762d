import type { ReferenceData } from '@lienthong/statutory-clock';
import { CaseNames, type BranchName, type PlaceName, type ProcedureName } from '../../application/case-names';

/** Names from contracts/reference-data: the catalogue version in force at receipt, admin units, province files. */
export class ReferenceDataNames extends CaseNames {
  private readonly communes: ReadonlyMap<string, PlaceName>;

  constructor(private readonly data: ReferenceData) {
    super();
    const provinces = new Map(data.adminUnits.provinces.map((p) => [p.code, p.name]));
    this.communes = new Map(
      data.adminUnits.communes.map((c) => [
        c.code,
        {
          code: c.code,
          name: c.name,
          fullName: c.fullName,
          provinceCode: c.provinceCode,
          provinceName: provinces.get(c.provinceCode) ?? c.provinceCode,
        },
      ]),
    );
  }

  override procedure(
    procedureCode: string,
    caseCode: string | undefined,
    receivedAt: string,
  ): ProcedureName | undefined {
    const version = this.data.catalogue.find(procedureCode, new Date(receivedAt));
    if (!version) return undefined;
    const named = version.cases.find((c) => c.code === caseCode);
    return {
      code: procedureCode,
      name: { vi: version.name.vi, en: version.name.en },
      ...(named ? { case: { code: named.code, name: { vi: named.name.vi, en: named.name.en } } } : {}),
    };
  }

  override commune(communeCode: string): PlaceName | undefined {
    return this.communes.get(communeCode);
  }

  override branch(branchCode: string): BranchName | undefined {
    const branch = this.data.provinces.branch(branchCode);
    return branch && { code: branch.code, name: branch.name };
  }
}
