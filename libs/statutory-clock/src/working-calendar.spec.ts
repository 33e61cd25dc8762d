import path from 'node:path';
import { readFileSync } from 'node:fs';
import { ReferenceDataError } from './errors';
import { WorkingCalendar } from './working-calendar';

const calendarJson = (): Record<string, unknown> =>
  JSON.parse(
    readFileSync(path.resolve(__dirname, '../../../contracts/reference-data/calendar-2025-2027.v1.json'), 'utf8'),
  ) as Record<string, unknown>;
const calendar = WorkingCalendar.fromJson(calendarJson());
const at = (iso: string): Date => new Date(iso);

function workingDaysIn(year: number): number {
  let count = 0;
  for (let d = Date.UTC(year, 0, 1); d < Date.UTC(year + 1, 0, 1); d += 86_400_000) {
    if (calendar.isWorkingDay(new Date(d).toISOString().slice(0, 10))) count += 1;
  }
  return count;
}

describe('WorkingCalendar: days', () => {
  it('works Monday to Friday and rests on Saturday and Sunday', () => {
    expect(calendar.day('2026-11-23')).toEqual({ date: '2026-11-23', working: true, kind: 'WORKDAY', holidayIds: [] });
    expect(calendar.day('2026-11-28').kind).toBe('WEEKEND');
    expect(calendar.isWorkingDay('2026-11-29')).toBe(false);
  });

  it('closes for the official Tết 2025 break (Sat 25 Jan – Sun 2 Feb)', () => {
    expect(calendar.isWorkingDay('2025-01-24')).toBe(true);
    for (const d of ['2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31']) {
      expect(calendar.isWorkingDay(d)).toBe(false);
    }
    expect(calendar.day('2025-01-29')).toMatchObject({ kind: 'PUBLIC_HOLIDAY', holidayIds: ['TET'] });
    expect(calendar.day('2025-01-27')).toMatchObject({ kind: 'OFFICIAL_DAY_OFF', holidayIds: ['TET'] });
    expect(calendar.isWorkingDay('2025-02-03')).toBe(true);
  });

  it('closes for the official Tết 2026 break (14–22 Feb) and reopens on Mon 23 Feb', () => {
    expect(calendar.isWorkingDay('2026-02-13')).toBe(true);
    for (const d of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']) {
      expect(calendar.day(d)).toMatchObject({ working: false, kind: 'PUBLIC_HOLIDAY' });
    }
    expect(calendar.isWorkingDay('2026-02-23')).toBe(true);
  });

  it('works on the make-up Saturday 22 Aug 2026 and rests 29 Aug – 2 Sep 2026', () => {
    expect(calendar.day('2026-08-22')).toEqual({
      date: '2026-08-22',
      working: true,
      kind: 'MAKE_UP_WORKING_DAY',
      holidayIds: ['NATIONAL_DAY'],
    });
    // Which adjacent day is the statutory one (1 Sep) is the Government's choice; the file's rule default is 3 Sep,
    // so only 2 Sep is labelled a public holiday. Working or not is what counts.
    expect(calendar.day('2026-08-31').kind).toBe('OFFICIAL_DAY_OFF');
    expect(calendar.isWorkingDay('2026-09-01')).toBe(false);
    expect(calendar.day('2026-09-02').kind).toBe('PUBLIC_HOLIDAY');
    expect(calendar.isWorkingDay('2026-09-03')).toBe(true);
  });

  it('works on the make-up Saturday 26 Apr 2025 and rests 30 Apr – 4 May 2025', () => {
    expect(calendar.day('2025-04-26').kind).toBe('MAKE_UP_WORKING_DAY');
    expect(calendar.isWorkingDay('2025-05-02')).toBe(false);
    expect(calendar.isWorkingDay('2025-05-05')).toBe(true);
  });

  it('gives Mon 27 Apr 2026 off for Hùng Kings day falling on Sunday 26 Apr (Labour Code 2019 Art. 111(3))', () => {
    expect(calendar.day('2026-04-26')).toMatchObject({ kind: 'PUBLIC_HOLIDAY', holidayIds: ['HUNG_KINGS'] });
    expect(calendar.day('2026-04-27')).toMatchObject({ kind: 'COMPENSATORY_DAY_OFF', holidayIds: ['HUNG_KINGS'] });
    expect(calendar.isWorkingDay('2026-04-28')).toBe(true);
    expect(calendar.isWorkingDay('2026-04-30')).toBe(false);
    expect(calendar.isWorkingDay('2026-05-01')).toBe(false);
  });

  it('computes 2027, which has no official schedule yet, from the statutory rules', () => {
    // Tết 2027: eve Fri 5 Feb + 6–9 Feb; Sat 6 and Sun 7 are compensated on Wed 10 and Thu 11.
    expect(['2027-02-04', '2027-02-12'].map((d) => calendar.isWorkingDay(d))).toEqual([true, true]);
    for (const d of ['2027-02-05', '2027-02-08', '2027-02-09']) expect(calendar.day(d).kind).toBe('PUBLIC_HOLIDAY');
    for (const d of ['2027-02-10', '2027-02-11']) expect(calendar.day(d).kind).toBe('COMPENSATORY_DAY_OFF');
    expect(calendar.day('2027-04-16').holidayIds).toEqual(['HUNG_KINGS']);
    expect(calendar.day('2027-05-03')).toMatchObject({ kind: 'COMPENSATORY_DAY_OFF', holidayIds: ['LABOUR_DAY'] });
    expect(['2027-09-02', '2027-09-03'].map((d) => calendar.isWorkingDay(d))).toEqual([false, false]);
    expect(calendar.coverage).toEqual({ fromYear: 2025, toYear: 2027 });
  });

  it('counts 250 working days in 2025 and in 2026 (261 weekdays − 12 days off + 1 make-up Saturday)', () => {
    expect(workingDaysIn(2025)).toBe(250);
    expect(workingDaysIn(2026)).toBe(250);
  });

  it('classifies the Vietnam date of an instant, not its UTC date', () => {
    expect(calendar.isWorkingDay(at('2026-02-13T17:30:00Z'))).toBe(false); // Sat 14 Feb 00:30 in Vietnam
    expect(calendar.nextWorkingDay('2026-02-14')).toBe('2026-02-23');
  });
});

describe('WorkingCalendar: office hours', () => {
  it('opens 07:00–11:30 and 13:30–17:00 Vietnam time', () => {
    expect(calendar.minutesPerWorkingDay).toBe(480);
    expect(calendar.isWithinOfficeHours(at('2026-11-23T07:00:00+07:00'))).toBe(true);
    expect(calendar.isWithinOfficeHours(at('2026-11-23T11:30:00+07:00'))).toBe(false);
    expect(calendar.isWithinOfficeHours(at('2026-11-23T13:30:00+07:00'))).toBe(true);
    expect(calendar.isWithinOfficeHours(at('2026-11-23T17:00:00+07:00'))).toBe(false);
    expect(calendar.closeOfDay('2026-11-23')).toEqual(at('2026-11-23T17:00:00+07:00'));
  });

  it('finds the next working instant across lunch, the evening and the Tết break', () => {
    expect(calendar.nextWorkingInstant(at('2026-11-23T12:10:00+07:00'))).toEqual(at('2026-11-23T13:30:00+07:00'));
    expect(calendar.nextWorkingInstant(at('2026-11-27T17:45:00+07:00'))).toEqual(at('2026-11-30T07:00:00+07:00'));
    expect(calendar.nextWorkingInstant(at('2026-02-13T17:01:00+07:00'))).toEqual(at('2026-02-23T07:00:00+07:00'));
    expect(calendar.nextWorkingInstant(at('2026-11-23T09:41:07+07:00'))).toEqual(at('2026-11-23T09:41:07+07:00'));
  });

  it('measures working minutes between instants, skipping lunch, nights and days off', () => {
    expect(calendar.workingMinutesBetween(at('2026-11-23T07:00:00+07:00'), at('2026-11-23T17:00:00+07:00'))).toBe(480);
    expect(calendar.workingMinutesBetween(at('2026-11-23T11:00:00+07:00'), at('2026-11-23T14:00:00+07:00'))).toBe(60);
    expect(calendar.workingMinutesBetween(at('2026-02-13T16:00:00+07:00'), at('2026-02-23T08:00:00+07:00'))).toBe(120);
    expect(calendar.workingMinutesBetween(at('2026-11-23T14:00:00+07:00'), at('2026-11-23T11:00:00+07:00'))).toBe(-60);
  });

  it('adds working minutes, ending on 17:00 rather than the next morning', () => {
    const monday = at('2026-11-23T07:00:00+07:00');
    expect(calendar.addWorkingMinutes(monday, 480)).toEqual(at('2026-11-23T17:00:00+07:00'));
    expect(calendar.addWorkingMinutes(monday, 481)).toEqual(at('2026-11-24T07:01:00+07:00'));
    expect(calendar.addWorkingMinutes(monday, 270)).toEqual(at('2026-11-23T13:30:00+07:00'));
    expect(calendar.addWorkingMinutes(monday, 0)).toEqual(monday);
    expect(() => calendar.addWorkingMinutes(monday, -1)).toThrow(RangeError);
  });

  it('accepts other office hours', () => {
    const longMorning = WorkingCalendar.fromJson(calendarJson(), {
      officeHours: [
        { start: '07:30', end: '12:00' },
        { start: '13:00', end: '16:30' },
      ],
    });
    expect(longMorning.minutesPerWorkingDay).toBe(480);
    expect(longMorning.nextWorkingInstant(at('2026-11-23T12:10:00+07:00'))).toEqual(at('2026-11-23T13:00:00+07:00'));
    expect(() => WorkingCalendar.fromJson(calendarJson(), { officeHours: [{ start: '13:00', end: '11:00' }] })).toThrow(
      RangeError,
    );
  });
});

describe('WorkingCalendar: province overrides and checks of the data', () => {
  it('applies a province’s own day off and working day only in that province', () => {
    const json = calendarJson();
    json.provinceOverrides = [
      {
        provinceCode: '56',
        extraDaysOff: [{ date: '2026-11-24', reason: 'typhoon closure', source: 'test fixture' }],
        extraWorkingDays: [{ date: '2026-11-28', reason: 'make-up', source: 'test fixture' }],
      },
    ];
    const national = WorkingCalendar.fromJson(json);
    const khanhHoa = national.forProvince('56');
    expect(national.isWorkingDay('2026-11-24')).toBe(true);
    expect(khanhHoa.isWorkingDay('2026-11-24')).toBe(false);
    expect(khanhHoa.day('2026-11-28').kind).toBe('MAKE_UP_WORKING_DAY');
    expect(national.forProvince('51').isWorkingDay('2026-11-24')).toBe(true);
  });

  it('refuses an official schedule that does not contain the computed lunar New Year', () => {
    const json = calendarJson();
    (json.officialSchedules as { daysOff: { from: string; to: string } }[])[4]!.daysOff = {
      from: '2026-02-07',
      to: '2026-02-15',
    };
    expect(() => WorkingCalendar.fromJson(json)).toThrow(/TET 2026 falls on 2026-02-17, outside the days off/);
  });

  it('refuses lunar dates that disagree with the computation', () => {
    const json = calendarJson();
    json.lunarDates = { '2026': { tet: '2026-02-18', hungKings: '2026-04-26' } };
    expect(() => WorkingCalendar.fromJson(json)).toThrow(ReferenceDataError);
  });

  it('lists every shape problem at once', () => {
    const json = calendarJson();
    json.weeklyDaysOff = { days: ['SABBATH'] };
    json.extraDaysOff = [{ date: '26/04/2026' }];
    try {
      WorkingCalendar.fromJson(json);
      throw new Error('expected a ReferenceDataError');
    } catch (error) {
      expect(error).toBeInstanceOf(ReferenceDataError);
      expect((error as ReferenceDataError).problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining('$.weeklyDaysOff.days[0]'),
          expect.stringContaining('$.extraDaysOff[0].date'),
          expect.stringContaining('$.extraDaysOff[0].reason'),
        ]),
      );
    }
  });
});
