import { hash32, type Population, type TruePerson, withOldTonePlacement } from './population';

/**
 * A province's land-user records as a cleaning campaign receives them (domain.md §3.4: plot, commune, map sheet,
 * parcel, user's name, number, date of birth, gender): registry persons written the way old cadastral databases
 * wrote them, plus rows that are not the registry's person (a wrong or mistyped number). Deterministic per seed.
 * Each row carries `expected` (the generator's truth), which the campaign ignores and tests may compare with.
 */
export interface LandUserRecord {
  recordId: string;
  communeCode: string;
  mapSheetNumber: string;
  parcelNumber: string;
  fullName: string;
  personalIdNumber: string;
  dateOfBirth: string;
  gender: 'MALE' | 'FEMALE';
  expected: 'SAME_PERSON' | 'OTHER_PERSON' | 'UNKNOWN_NUMBER';
}

const communes = ['22651', '22657', '22525', '21439', '21451', '21457', '21478', '19111'];

function strip(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

export function landUserRecord(population: Population, seed: number, row: number): LandUserRecord {
  const h = (salt: number) => hash32(seed ^ 0x5bd1e995, row, salt);
  const index = h(1) % population.size;
  const t: TruePerson = population.truth(index);
  const name = `${t.family} ${t.middle} ${t.given}`;
  const plot = {
    recordId: `LR-${String(row).padStart(8, '0')}`,
    communeCode: communes[h(2) % communes.length]!,
    mapSheetNumber: String(1 + (h(3) % 60)),
    parcelNumber: String(1 + (h(4) % 900)),
  };
  const roll = h(5) % 1000;
  const base = {
    ...plot,
    fullName: name,
    personalIdNumber: t.personalIdNumber,
    dateOfBirth: t.dateOfBirth,
    gender: t.gender,
  };
  if (roll < 420) return { ...base, expected: 'SAME_PERSON' };
  if (roll < 480) return { ...base, fullName: strip(name).toUpperCase(), expected: 'SAME_PERSON' };
  if (roll < 520) return { ...base, fullName: withOldTonePlacement(name).normalize('NFD'), expected: 'SAME_PERSON' };
  if (roll < 560) return { ...base, dateOfBirth: t.dateOfBirth.slice(0, 4), expected: 'SAME_PERSON' };
  if (roll < 620 && t.legacyIdNumber) return { ...base, personalIdNumber: t.legacyIdNumber, expected: 'SAME_PERSON' };
  if (roll < 650) return { ...base, fullName: `${t.middle} ${t.given} ${t.family}`, expected: 'SAME_PERSON' };
  if (roll < 800) {
    // Another person's details on this number (a co-user's or a relative's number typed on the row).
    const o = population.truth(h(6) % population.size);
    return {
      ...base,
      fullName: `${o.family} ${o.middle} ${o.given}`,
      dateOfBirth: o.dateOfBirth,
      gender: o.gender,
      expected: 'OTHER_PERSON',
    };
  }
  // A mistyped serial: most such numbers belong to nobody.
  const serial = (Number(t.personalIdNumber.slice(6)) + 1 + (h(7) % 997)) % 1_000_000;
  return {
    ...base,
    personalIdNumber: `${t.personalIdNumber.slice(0, 6)}${String(serial).padStart(6, '0')}`,
    expected: 'UNKNOWN_NUMBER',
  };
}
