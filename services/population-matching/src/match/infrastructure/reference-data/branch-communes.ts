import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  loadProvinceDeployments,
  parseAdminUnits,
  PROVINCE_DATA_SUBDIR,
  REFERENCE_DATA_DIR,
  REFERENCE_DATA_FILES,
} from '@lienthong/statutory-clock';

/**
 * Branch → communes whose land it serves, from the per-province deployment files that registration-office and
 * dossier-intake read too (`contracts/reference-data/provinces`, ADR 0008), checked against the administrative units.
 * `provincesDir` overrides the folder (PROVINCE_DATA_DIR), as for the other services.
 */
export function loadBranchCommunes(root: string, provincesDir?: string): Map<string, Set<string>> {
  const adminUnits = parseAdminUnits(
    JSON.parse(readFileSync(path.join(root, REFERENCE_DATA_DIR, REFERENCE_DATA_FILES.adminUnits), 'utf8')),
  );
  const dir = provincesDir ? path.resolve(provincesDir) : path.join(root, REFERENCE_DATA_DIR, PROVINCE_DATA_SUBDIR);
  const provinces = loadProvinceDeployments(dir, adminUnits);
  return new Map(provinces.branches.map((b) => [b.code, new Set(b.communes)]));
}
