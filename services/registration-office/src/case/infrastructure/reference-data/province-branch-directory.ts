import type { ProvinceDeployments } from '@lienthong/statutory-clock';
import { type Branch, BranchDirectory } from '../../domain/case-routing';

/** The branches of the per-province deployment files (`contracts/reference-data/provinces`, ADR 0008). */
export class ProvinceBranchDirectory extends BranchDirectory {
  constructor(private readonly provinces: ProvinceDeployments) {
    super();
  }

  override branchOfCommune(communeCode: string): Branch | undefined {
    const branch = this.provinces.branchOfCommune(communeCode);
    return branch && { code: branch.code, name: branch.name, provinceCode: branch.provinceCode };
  }

  override branch(branchCode: string): Branch | undefined {
    const branch = this.provinces.branch(branchCode);
    return branch && { code: branch.code, name: branch.name, provinceCode: branch.provinceCode };
  }
}
