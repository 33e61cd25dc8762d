import type { ReferenceData } from '@lienthong/statutory-clock';
import { ReferenceLookups } from '../../domain/submission-rules';

/** The submission rules' lookups over contracts/reference-data. */
export class ReferenceDataLookups extends ReferenceLookups {
  private readonly provinces: Map<string, string>;
  private readonly landUse: Set<string>;
  private readonly prefixes: Set<string>;

  constructor(private readonly data: ReferenceData) {
    super();
    this.provinces = new Map(data.adminUnits.communes.map((c) => [c.code, c.provinceCode]));
    this.landUse = new Set(data.landUseCodes.codes.map((c) => c.code));
    this.prefixes = new Set(data.legacyIdPrefixes.provincePrefixes.map((p) => p.prefix));
  }

  override provinceOfCommune(communeCode: string): string | undefined {
    return this.provinces.get(communeCode);
  }

  /**
   * The land-use list is partial (its `completeness` says so): a code outside it is refused only once the list is
   * complete, so that a valid dossier is never turned away for a gap in our data.
   */
  override isLandUseCode(code: string): boolean {
    return this.landUse.has(code) || !this.data.landUseCodes.completeness.complete;
  }

  override isIdPrefix(prefix: string): boolean {
    const { from, to } = this.data.legacyIdPrefixes.countryPrefixRange;
    return this.prefixes.has(prefix) || (prefix >= from && prefix <= to);
  }

  override centuryGenderDigits(): readonly { century: number; male: number; female: number }[] {
    return this.data.legacyIdPrefixes.centuryGenderDigit.digits;
  }
}
