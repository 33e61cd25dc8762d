import { lunarToSolar, solarToLunar } from './lunar-calendar';

// domain.md §5.2: computed with Hồ Ngọc Đức's algorithm at UTC+7 [D], checked against sourced dates: Hùng Kings day
// 2025 = Mon 7 Apr (en.baochinhphu.vn) and the Tết 2026 break 14–22 Feb (vietnamnews.vn 1727514).
const derivedTable = [
  { year: 2025, tet: '2025-01-29', eve: '2025-01-28', hungKings: '2025-04-07' },
  { year: 2026, tet: '2026-02-17', eve: '2026-02-16', hungKings: '2026-04-26' },
  { year: 2027, tet: '2027-02-06', eve: '2027-02-05', hungKings: '2027-04-16' },
  { year: 2028, tet: '2028-01-26', eve: '2028-01-25', hungKings: '2028-04-04' },
  { year: 2029, tet: '2029-02-13', eve: '2029-02-12', hungKings: '2029-04-23' },
  { year: 2030, tet: '2030-02-02', eve: '2030-02-01', hungKings: '2030-04-12' },
];

describe('lunar calendar (Hồ Ngọc Đức, UTC+7)', () => {
  it.each(derivedTable)('puts Tết $year on $tet (1/1 lunar)', ({ year, tet }) => {
    expect(lunarToSolar({ year, month: 1, day: 1, leap: false })).toBe(tet);
    expect(solarToLunar(tet)).toEqual({ year, month: 1, day: 1, leap: false });
  });

  it.each(derivedTable)(
    'puts lunar New Year’s Eve $year on $eve (last day of the previous lunar year)',
    ({ year, eve }) => {
      const lunar = solarToLunar(eve);
      expect(lunar.year).toBe(year - 1);
      expect(lunar.month).toBe(12);
      expect([29, 30]).toContain(lunar.day);
    },
  );

  it.each(derivedTable)('puts Hùng Kings day $year on $hungKings (10/3 lunar)', ({ year, hungKings }) => {
    expect(lunarToSolar({ year, month: 3, day: 10, leap: false })).toBe(hungKings);
  });

  it('agrees with the sourced 2025 Hùng Kings day and the 2026 Tết break', () => {
    expect(lunarToSolar({ year: 2025, month: 3, day: 10, leap: false })).toBe('2025-04-07');
    const tet2026 = lunarToSolar({ year: 2026, month: 1, day: 1, leap: false });
    expect(tet2026 >= '2026-02-14' && tet2026 <= '2026-02-22').toBe(true);
  });

  it('handles a leap month (2025 has a leap 6th month)', () => {
    const leapStart = lunarToSolar({ year: 2025, month: 6, day: 1, leap: true });
    expect(solarToLunar(leapStart)).toEqual({ year: 2025, month: 6, day: 1, leap: true });
    expect(() => lunarToSolar({ year: 2025, month: 5, day: 1, leap: true })).toThrow(RangeError);
    expect(() => lunarToSolar({ year: 2026, month: 6, day: 1, leap: true })).toThrow(RangeError);
  });

  it('keeps the Vietnamese (UTC+7) date where it differs from the Chinese calendar: Tết 1985 on 21 Jan', () => {
    // Hồ Ngọc Đức's documented example: reckoned at UTC+7 the 1984–85 winter solstice month differs, so Vietnam
    // celebrated Tết Ất Sửu on 21 Jan 1985 while China (UTC+8) did on 20 Feb 1985.
    expect(lunarToSolar({ year: 1985, month: 1, day: 1, leap: false })).toBe('1985-01-21');
  });

  it('round-trips every day of 2025–2027', () => {
    for (let day = Date.UTC(2025, 0, 1); day <= Date.UTC(2027, 11, 31); day += 86_400_000) {
      const solar = new Date(day).toISOString().slice(0, 10);
      expect(lunarToSolar(solarToLunar(solar))).toBe(solar);
    }
  });
});
