import { loadPrefixes } from './registry-server';
import { Population, withOldTonePlacement } from './population';

const prefixes = loadPrefixes(__dirname);
const population = new Population({ seed: 20261201, size: 2_000_000, prefixes });

describe('synthetic population', () => {
  it('is deterministic: the same seed gives the same person, another seed another one', () => {
    const again = new Population({ seed: 20261201, size: 2_000_000, prefixes });
    const other = new Population({ seed: 7, size: 2_000_000, prefixes });
    expect(again.truth(123_456)).toEqual(population.truth(123_456));
    expect(other.truth(123_456).personalIdNumber).not.toBe(population.truth(123_456).personalIdNumber);
  });

  it('issues valid, unique 12-digit numbers that encode birth year and gender, found again by number', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000_000; i += 397) {
      const t = population.truth(i);
      expect(t.personalIdNumber).toMatch(/^\d{12}$/);
      expect(prefixes).toContain(t.personalIdNumber.slice(0, 3));
      const year = Number(t.dateOfBirth.slice(0, 4));
      const digit = Math.floor((year - 1900) / 100) * 2 + (t.gender === 'FEMALE' ? 1 : 0);
      expect(t.personalIdNumber[3]).toBe(String(digit));
      expect(t.personalIdNumber.slice(4, 6)).toBe(String(year % 100).padStart(2, '0'));
      expect(seen.has(t.personalIdNumber)).toBe(false);
      seen.add(t.personalIdNumber);
      expect(population.indexOfPersonalId(t.personalIdNumber)).toBe(i);
      if (t.legacyIdNumber) expect(population.indexOfLegacyId(t.legacyIdNumber)).toBe(i);
    }
    expect(seen.size).toBeGreaterThan(5_000);
  });

  it('covers the last index and refuses numbers nobody holds', () => {
    expect(population.indexOfPersonalId(population.truth(1_999_999).personalIdNumber)).toBe(1_999_999);
    expect(() => population.truth(2_000_000)).toThrow(RangeError);
    expect(population.indexOfPersonalId('099080001234')).toBeUndefined();
    let unknown = 0;
    for (let serial = 0; serial < 200; serial += 1) {
      if (population.indexOfPersonalId(`056080${String(serial).padStart(6, '0')}`) === undefined) unknown += 1;
    }
    expect(unknown).toBeGreaterThan(150);
  });

  it('has legacy numbers, deceased persons and messy stored records in realistic shares', () => {
    let legacy = 0;
    let deceased = 0;
    let messy = 0;
    const families = new Map<string, number>();
    const n = 20_000;
    for (let i = 0; i < n; i += 1) {
      const t = population.truth(i * 100);
      if (t.legacyIdNumber) legacy += 1;
      if (t.deceased) deceased += 1;
      if (t.storedAs !== 'CLEAN') messy += 1;
      families.set(t.family, (families.get(t.family) ?? 0) + 1);
    }
    expect(legacy / n).toBeGreaterThan(0.2);
    expect(deceased / n).toBeGreaterThan(0.01);
    expect(deceased / n).toBeLessThan(0.1);
    expect(messy / n).toBeGreaterThan(0.04);
    expect((families.get('Nguyễn') ?? 0) / n).toBeGreaterThan(0.3);
  });

  it('stores some records in NFD or old tone placement, the way real extracts are', () => {
    expect(withOldTonePlacement('Nguyễn Thị Hòa')).toBe('Nguyễn Thị Hoà');
    expect(withOldTonePlacement('Thủy')).toBe('Thuỷ');
    let i = 0;
    while (population.truth(i).storedAs !== 'NFD') i += 1;
    const record = population.citizen(i);
    expect(record.HoVaTen.Ho).toBe(population.truth(i).family.normalize('NFD'));
  });
});
