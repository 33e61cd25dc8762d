import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IdPrefixTable } from '../../domain/matching/personal-id';

interface PrefixFile {
  provincePrefixes: { prefix: string }[];
  countryPrefixRange: { from: string; to: string };
}

/** Reads contracts/reference-data/legacy-id-prefixes.v1.json under `root`; a broken file stops the service. */
export function loadIdPrefixes(root: string): IdPrefixTable {
  const file = path.resolve(root, 'contracts/reference-data/legacy-id-prefixes.v1.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as PrefixFile;
  if (!Array.isArray(data.provincePrefixes) || data.provincePrefixes.length === 0) {
    throw new Error(`${file}: provincePrefixes is missing or empty`);
  }
  return {
    provinces: new Set(data.provincePrefixes.map((p) => p.prefix)),
    countryRange: [Number(data.countryPrefixRange.from), Number(data.countryPrefixRange.to)],
  };
}
