import { startSandbox, type SandboxProcess } from '@lienthong/testing';
import path from 'node:path';
import { verifyPerson, type StatedPerson } from '../../domain/matching/verify-person';
import { loadIdPrefixes } from '../reference-data/id-prefixes';
import { HttpPopulationRegistry } from './http-population-registry';

// The labelled set: persons of the real sandbox registry (its generated truth), written on a dossier the way clerks
// and old records write them (messy on purpose), plus claims that are NOT the registry's person. Each claim is looked
// up through the HTTP adapter in batches and judged; precision and recall of MATCHED are measured and printed.

interface Truth {
  index: number;
  personalIdNumber: string;
  legacyIdNumber?: string;
  family: string;
  middle: string;
  given: string;
  gender: 'MALE' | 'FEMALE';
  dateOfBirth: string;
  deceased: boolean;
}

interface Claim {
  person: StatedPerson;
  samePerson: boolean;
  variant: string;
}

const positiveVariants = [
  'CLEAN',
  'NFD',
  'TONE_PLACEMENT',
  'CASE_AND_SPACING',
  'NO_DIACRITICS',
  'ORDER_SWAPPED',
  'YEAR_ONLY',
  'LEGACY_NUMBER',
  'DAY_MONTH_SWAPPED',
  'NO_DIACRITICS_UPPER',
] as const;
const negativeVariants = ['OTHER_PERSON', 'RELATIVE', 'NAMESAKE_OTHER_YEAR', 'UNKNOWN_NUMBER'] as const;

/** Moves the tone mark of oa/oe/uy to the other vowel, in either direction ("Hòa" ↔ "Hoà", "Thủy" ↔ "Thuỷ"). */
function flipTonePlacement(name: string): string {
  const tones = '\u0300\u0301\u0303\u0309\u0323';
  return name
    .normalize('NFD')
    .replace(new RegExp(`([oOuU])([${tones}])([aAeEyY])`, 'g'), '$1$3$2')
    .replace(new RegExp(`([oOuU])([aAeEyY])([${tones}])(?![\\p{L}])`, 'gu'), '$1$3$2')
    .normalize('NFC');
}

function strip(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

const fullName = (t: Truth) => `${t.family} ${t.middle} ${t.given}`;

function positive(t: Truth, variant: (typeof positiveVariants)[number]): Claim {
  const base: StatedPerson = {
    fullName: fullName(t),
    personalIdNumber: t.personalIdNumber,
    dateOfBirth: t.dateOfBirth,
    gender: t.gender,
  };
  const [y, m, d] = t.dateOfBirth.split('-');
  const person: StatedPerson = (() => {
    switch (variant) {
      case 'CLEAN':
        return base;
      case 'NFD':
        return { ...base, fullName: base.fullName.normalize('NFD') };
      case 'TONE_PLACEMENT':
        return { ...base, fullName: flipTonePlacement(base.fullName) };
      case 'CASE_AND_SPACING':
        return { ...base, fullName: `  ${t.family.toUpperCase()}   ${t.middle.toLowerCase()}  ${t.given} ` };
      case 'NO_DIACRITICS':
        return { ...base, fullName: strip(base.fullName) };
      case 'ORDER_SWAPPED':
        return { ...base, fullName: `${t.middle} ${t.given} ${t.family}` };
      case 'YEAR_ONLY':
        return { ...base, dateOfBirth: y };
      case 'LEGACY_NUMBER':
        return t.legacyIdNumber ? { ...base, personalIdNumber: t.legacyIdNumber } : base;
      case 'DAY_MONTH_SWAPPED':
        return Number(d) <= 12 ? { ...base, dateOfBirth: `${y}-${d}-${m}` } : base;
      case 'NO_DIACRITICS_UPPER':
        return { ...base, fullName: strip(base.fullName).toUpperCase() };
    }
  })();
  return { person, samePerson: true, variant };
}

function negative(t: Truth, other: Truth, variant: (typeof negativeVariants)[number]): Claim {
  const person: StatedPerson = (() => {
    switch (variant) {
      // A wrong number typed: somebody else's number with this person's details.
      case 'OTHER_PERSON':
        return {
          fullName: fullName(other),
          personalIdNumber: t.personalIdNumber,
          dateOfBirth: other.dateOfBirth,
          gender: other.gender,
        };
      // A family member's number: same family and middle name, another given name and birth date.
      case 'RELATIVE':
        return {
          fullName: `${t.family} ${t.middle} ${other.given === t.given ? `${other.given} ${other.middle}` : other.given}`,
          personalIdNumber: t.personalIdNumber,
          dateOfBirth: other.dateOfBirth === t.dateOfBirth ? '1999-01-01' : other.dateOfBirth,
          gender: t.gender,
        };
      // Father and son of the same name: the father's number on the son's row.
      case 'NAMESAKE_OTHER_YEAR':
        return {
          fullName: fullName(t),
          personalIdNumber: t.personalIdNumber,
          dateOfBirth: `${Number(t.dateOfBirth.slice(0, 4)) + 25}${t.dateOfBirth.slice(4)}`.replace(
            /-02-29$/,
            '-02-28',
          ),
          gender: t.gender,
        };
      // A number nobody holds (mistyped serial).
      case 'UNKNOWN_NUMBER':
        return {
          fullName: fullName(t),
          personalIdNumber: `${t.personalIdNumber.slice(0, 6)}${String((Number(t.personalIdNumber.slice(6)) + 1) % 1_000_000).padStart(6, '0')}`,
          dateOfBirth: t.dateOfBirth,
          gender: t.gender,
        };
    }
  })();
  return { person, samePerson: false, variant };
}

describe('labelled set against the sandbox registry', () => {
  let sandbox: SandboxProcess;
  const prefixes = loadIdPrefixes(path.resolve(__dirname, '../../../../../..'));

  beforeAll(async () => {
    sandbox = await startSandbox('population-registry', { REGISTRY_QUOTA: '0', REGISTRY_LATENCY_MS: '5' });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('MATCHED has precision ≥ 0.99 and recall ≥ 0.95 over ≥ 1,000 labelled persons, messy cases included', async () => {
    const positives = 1000;
    const negatives = 400;
    const truths: Truth[] = [];
    for (let i = 0; i < positives + negatives + 1; i += 1) {
      const r = await fetch(`${sandbox.url}/admin/people/${(i * 1531 + 7) % 2_000_000}`);
      truths.push(((await r.json()) as { truth: Truth }).truth);
    }
    const claims: Claim[] = [];
    for (let i = 0; i < positives; i += 1)
      claims.push(positive(truths[i]!, positiveVariants[i % positiveVariants.length]!));
    for (let i = 0; i < negatives; i += 1) {
      const t = truths[positives + i]!;
      claims.push(
        negative(t, truths[(positives + i + 1) % truths.length]!, negativeVariants[i % negativeVariants.length]!),
      );
    }

    const registry = new HttpPopulationRegistry({
      baseUrl: sandbox.url,
      timeoutMs: 10_000,
      integrationId: 'labelled-set',
      serviceCode: 'test',
    });
    const verdicts: string[] = [];
    for (let start = 0; start < claims.length; start += registry.maxBatch) {
      const batch = claims.slice(start, start + registry.maxBatch);
      const answers = await registry.lookup(
        batch.map((c, k) => ({
          requestId: String(k),
          ...(c.person.personalIdNumber.length === 9
            ? { legacyIdNumber: c.person.personalIdNumber }
            : { personalIdNumber: c.person.personalIdNumber }),
        })),
        { purpose: 'labelled-set', caller: 'test' },
      );
      batch.forEach((c, k) => {
        const records = answers.find((a) => a.requestId === String(k))?.records ?? [];
        verdicts.push(verifyPerson(c.person, records, prefixes).verdict);
      });
    }

    const matched = claims.map((c, i) => ({ c, v: verdicts[i]! })).filter(({ v }) => v === 'MATCHED');
    const truePositives = matched.filter(({ c }) => c.samePerson).length;
    const precision = truePositives / matched.length;
    const recall = truePositives / positives;
    const byVariant = new Map<string, Record<string, number>>();
    claims.forEach((c, i) => {
      const row = byVariant.get(c.variant) ?? {};
      row[verdicts[i]!] = (row[verdicts[i]!] ?? 0) + 1;
      byVariant.set(c.variant, row);
    });
    const lines = [...byVariant].map(([variant, row]) => `  ${variant.padEnd(20)} ${JSON.stringify(row)}`);
    process.stdout.write(
      `labelled set: ${claims.length} claims (${positives} same person, ${negatives} not), ` +
        `MATCHED ${matched.length}, precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)}\n${lines.join('\n')}\n`,
    );
    expect(claims.length).toBeGreaterThanOrEqual(1000);
    expect(precision).toBeGreaterThanOrEqual(0.99);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    // The negatives never come out MATCHED, and the unknown numbers come out NOT_FOUND.
    claims.forEach((c, i) => {
      if (c.variant === 'UNKNOWN_NUMBER') expect(verdicts[i]).toBe('NOT_FOUND');
    });
  }, 120_000);
});
