import { BirthDateOutcome, compareBirthDates, formatBirthDate, parseBirthDate } from './birth-date';

describe('dates of birth, full or year only', () => {
  it('reads the forms dossiers, the registry and paper forms use', () => {
    expect(parseBirthDate('1980-03-15')).toEqual({ year: 1980, month: 3, day: 15 });
    expect(parseBirthDate('19800315')).toEqual({ year: 1980, month: 3, day: 15 });
    expect(parseBirthDate('15/03/1980')).toEqual({ year: 1980, month: 3, day: 15 });
    expect(parseBirthDate('1956')).toEqual({ year: 1956 });
  });

  it('refuses days that do not exist and text that is no date', () => {
    expect(parseBirthDate('1981-02-29')).toBeUndefined();
    expect(parseBirthDate('1980-02-29')).toEqual({ year: 1980, month: 2, day: 29 });
    expect(parseBirthDate('1980-13-01')).toBeUndefined();
    expect(parseBirthDate('15.03.1980')).toBeUndefined();
    expect(parseBirthDate('')).toBeUndefined();
    expect(formatBirthDate({ year: 1956 })).toBe('1956');
    expect(formatBirthDate({ year: 1980, month: 3, day: 5 })).toBe('1980-03-05');
  });

  it('accepts a year-only date against a full one when the years agree, at a lower score', () => {
    const evidence = compareBirthDates(parseBirthDate('1956'), parseBirthDate('19560704'));
    expect(evidence.outcome).toBe(BirthDateOutcome.YearOnly);
    expect(evidence.score).toBeGreaterThan(0.8);
    expect(evidence.score).toBeLessThan(1);
    expect(compareBirthDates(parseBirthDate('1956'), parseBirthDate('1956')).outcome).toBe(BirthDateOutcome.Exact);
    expect(compareBirthDates(parseBirthDate('1957'), parseBirthDate('19560704')).outcome).toBe(
      BirthDateOutcome.Different,
    );
  });

  it('sees day and month swapped whichever way the dossier wrote the date (registry 1985-03-07, dossier 3 July)', () => {
    const registry = parseBirthDate('19850307');
    for (const written of ['1985-07-03', '03/07/1985', '19850703']) {
      expect(compareBirthDates(parseBirthDate(written), registry)).toMatchObject({
        outcome: BirthDateOutcome.DayMonthSwapped,
        score: 0.8,
      });
    }
    // A day that equals its month cannot be swapped: the same date.
    expect(compareBirthDates(parseBirthDate('1985-03-03'), parseBirthDate('19850303')).outcome).toBe(
      BirthDateOutcome.Exact,
    );
  });

  it('tells a swapped day and month, another day and another date apart', () => {
    expect(compareBirthDates(parseBirthDate('1990-07-04'), parseBirthDate('1990-04-07')).outcome).toBe(
      BirthDateOutcome.DayMonthSwapped,
    );
    expect(compareBirthDates(parseBirthDate('1990-07-04'), parseBirthDate('1990-07-14')).outcome).toBe(
      BirthDateOutcome.DayDiffers,
    );
    expect(compareBirthDates(parseBirthDate('1990-07-04'), parseBirthDate('1990-09-21'))).toMatchObject({
      outcome: BirthDateOutcome.Different,
      score: 0,
    });
    expect(compareBirthDates(undefined, parseBirthDate('1990-09-21')).outcome).toBe(BirthDateOutcome.Unknown);
  });
});
