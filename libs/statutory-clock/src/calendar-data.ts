import { type CivilDate, dayNumberFromParts, dayNumberOf, civilDateOf, parseTimeOfDay } from './local-time';
import { lunarToSolar } from './lunar-calendar';
import { CIVIL_DATE, ReferenceDataReader, TIME_OF_DAY } from './reference-data-reader';

/** Day of the week, as written in the calendar file. */
export type Weekday = 'SUNDAY' | 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY';
/** Weekdays in `Date.getUTCDay()` order. */
export const WEEKDAYS: readonly Weekday[] = [
  'SUNDAY',
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
];

/**
 * A statutory public holiday of Labour Code 2019 Art. 112: an anchor date in the solar or the Vietnamese lunar
 * calendar and the span of days around it, as offsets in days from the anchor (Tết: −1…+3, lunar New Year's Eve and
 * the first four days; National Day: 0…+1).
 */
export interface HolidayRule {
  readonly id: string;
  readonly calendar: 'SOLAR' | 'LUNAR';
  readonly month: number;
  readonly day: number;
  readonly fromOffset: number;
  readonly toOffset: number;
  readonly source: string;
}

/**
 * The Government's schedule for one holiday period of one year (days off for civil servants, bridging days and the
 * make-up working Saturdays that pay for them). It replaces the rule-computed days of the holidays it names.
 */
export interface OfficialSchedule {
  readonly year: number;
  /** Ids of the holiday rules this schedule replaces for `year`. */
  readonly holidays: readonly string[];
  /** Inclusive range of days off (weekends included). */
  readonly daysOff: { readonly from: CivilDate; readonly to: CivilDate };
  /** Saturdays (or Sundays) worked to make up a bridging day. */
  readonly makeUpWorkingDays: readonly CivilDate[];
  readonly source: string;
}

/** One extra day off or extra working day outside the schedules (local closure, one-off decision). */
export interface DatedCalendarEntry {
  readonly date: CivilDate;
  readonly reason: string;
  readonly source: string;
}

/** A province's own extra days off and working days, on top of the national calendar. */
export interface ProvinceCalendarOverride {
  /** Two-digit province code (Decision 19/2025/QĐ-TTg). */
  readonly provinceCode: string;
  readonly extraDaysOff: readonly DatedCalendarEntry[];
  readonly extraWorkingDays: readonly DatedCalendarEntry[];
}

/** One office-hours period of a working day, `HH:MM` local time, end exclusive. */
export interface OfficePeriod {
  readonly start: string;
  readonly end: string;
}

/** The parsed and checked content of `calendar-*.v1.json`. */
export interface CalendarReferenceData {
  readonly version: number;
  /** Years for which official schedules were collected; outside them only the statutory rules apply. */
  readonly coverage: { readonly fromYear: number; readonly toYear: number };
  readonly weeklyDaysOff: readonly Weekday[];
  readonly officeHours: readonly OfficePeriod[];
  readonly holidayRules: readonly HolidayRule[];
  readonly officialSchedules: readonly OfficialSchedule[];
  readonly extraDaysOff: readonly DatedCalendarEntry[];
  readonly extraWorkingDays: readonly DatedCalendarEntry[];
  readonly provinceOverrides: readonly ProvinceCalendarOverride[];
}

/** The solar date of a holiday rule's anchor in `year` (the lunar year starting in that solar year, for lunar rules). */
export function anchorOf(rule: HolidayRule, year: number): CivilDate {
  return rule.calendar === 'SOLAR'
    ? civilDateOf(dayNumberFromParts(year, rule.month, rule.day))
    : lunarToSolar({ year, month: rule.month, day: rule.day, leap: false });
}

/**
 * Checks and converts the parsed calendar file. Besides the shape it verifies that the library's lunar computation
 * agrees with the file's `lunarDates` and that every official schedule contains the anchor of the holidays it
 * replaces, so a typo in the data or a regression in the lunar algorithm stops the service at start-up.
 */
export function parseCalendarReferenceData(json: unknown, file = 'calendar reference data'): CalendarReferenceData {
  const r = new ReferenceDataReader(file);
  const root = r.object(json, '$');
  if (root.kind !== 'working-calendar') r.problem('$.kind', 'expected "working-calendar"');
  const coverage = r.object(root.coverage, '$.coverage');
  const weekly = r.object(root.weeklyDaysOff, '$.weeklyDaysOff');
  const office = r.object(root.officeHours, '$.officeHours');
  const holidays = r.object(root.statutoryHolidays, '$.statutoryHolidays');

  const entries = (value: unknown, path: string): DatedCalendarEntry[] =>
    r.array(value, path).map((item, i) => {
      const e = r.object(item, `${path}[${i}]`);
      return {
        date: r.string(e.date, `${path}[${i}].date`, CIVIL_DATE),
        reason: r.string(e.reason, `${path}[${i}].reason`),
        source: r.string(e.source, `${path}[${i}].source`),
      };
    });

  const data: CalendarReferenceData = {
    version: r.integer(root.version, '$.version', 1, 1_000),
    coverage: {
      fromYear: r.integer(coverage.fromYear, '$.coverage.fromYear', 1900, 2199),
      toYear: r.integer(coverage.toYear, '$.coverage.toYear', 1900, 2199),
    },
    weeklyDaysOff: r
      .array(weekly.days, '$.weeklyDaysOff.days')
      .map((d, i) => r.oneOf(d, `$.weeklyDaysOff.days[${i}]`, WEEKDAYS)),
    officeHours: r.array(office.periods, '$.officeHours.periods').map((item, i) => {
      const p = r.object(item, `$.officeHours.periods[${i}]`);
      return {
        start: r.string(p.start, `$.officeHours.periods[${i}].start`, TIME_OF_DAY),
        end: r.string(p.end, `$.officeHours.periods[${i}].end`, TIME_OF_DAY),
      };
    }),
    holidayRules: r.array(holidays.rules, '$.statutoryHolidays.rules').map((item, i) => {
      const path = `$.statutoryHolidays.rules[${i}]`;
      const h = r.object(item, path);
      return {
        id: r.string(h.id, `${path}.id`, /^[A-Z_]+$/),
        calendar: r.oneOf(h.calendar, `${path}.calendar`, ['SOLAR', 'LUNAR'] as const),
        month: r.integer(h.month, `${path}.month`, 1, 12),
        day: r.integer(h.day, `${path}.day`, 1, 31),
        fromOffset: r.integer(h.fromOffset, `${path}.fromOffset`, -10, 10),
        toOffset: r.integer(h.toOffset, `${path}.toOffset`, -10, 10),
        source: r.string(h.source, `${path}.source`),
      };
    }),
    officialSchedules: r.array(root.officialSchedules, '$.officialSchedules').map((item, i) => {
      const path = `$.officialSchedules[${i}]`;
      const s = r.object(item, path);
      const daysOff = r.object(s.daysOff, `${path}.daysOff`);
      return {
        year: r.integer(s.year, `${path}.year`, 1900, 2199),
        holidays: r.array(s.holidays, `${path}.holidays`).map((h, j) => r.string(h, `${path}.holidays[${j}]`)),
        daysOff: {
          from: r.string(daysOff.from, `${path}.daysOff.from`, CIVIL_DATE),
          to: r.string(daysOff.to, `${path}.daysOff.to`, CIVIL_DATE),
        },
        makeUpWorkingDays: r
          .array(s.makeUpWorkingDays, `${path}.makeUpWorkingDays`)
          .map((d, j) => r.string(d, `${path}.makeUpWorkingDays[${j}]`, CIVIL_DATE)),
        source: r.string(s.source, `${path}.source`),
      };
    }),
    extraDaysOff: entries(root.extraDaysOff, '$.extraDaysOff'),
    extraWorkingDays: entries(root.extraWorkingDays, '$.extraWorkingDays'),
    provinceOverrides: r.array(root.provinceOverrides, '$.provinceOverrides').map((item, i) => {
      const path = `$.provinceOverrides[${i}]`;
      const o = r.object(item, path);
      return {
        provinceCode: r.string(o.provinceCode, `${path}.provinceCode`, /^\d{2}$/),
        extraDaysOff: entries(o.extraDaysOff ?? [], `${path}.extraDaysOff`),
        extraWorkingDays: entries(o.extraWorkingDays ?? [], `${path}.extraWorkingDays`),
      };
    }),
  };
  r.done();
  checkConsistency(r, data, root.lunarDates);
  r.done();
  return data;
}

function checkConsistency(r: ReferenceDataReader, data: CalendarReferenceData, lunarDates: unknown): void {
  const rules = new Map(data.holidayRules.map((rule) => [rule.id, rule]));
  if (rules.size !== data.holidayRules.length) r.problem('$.statutoryHolidays.rules', 'duplicate holiday id');
  data.holidayRules.forEach((rule, i) => {
    if (rule.fromOffset > rule.toOffset) r.problem(`$.statutoryHolidays.rules[${i}]`, 'fromOffset after toOffset');
  });
  r.attempt('$.officeHours.periods', () => checkOfficeHours(data.officeHours), undefined);

  data.officialSchedules.forEach((schedule, i) => {
    const path = `$.officialSchedules[${i}]`;
    const from = r.attempt(`${path}.daysOff.from`, () => dayNumberOf(schedule.daysOff.from), 0);
    const to = r.attempt(`${path}.daysOff.to`, () => dayNumberOf(schedule.daysOff.to), 0);
    if (from > to) r.problem(`${path}.daysOff`, 'from is after to');
    for (const id of schedule.holidays) {
      const rule = rules.get(id);
      if (!rule) {
        r.problem(`${path}.holidays`, `unknown holiday ${id}`);
        continue;
      }
      // The Government's days off must contain the holiday itself; for Tết and Hùng Kings day this also checks the
      // lunar computation against the sourced schedule.
      const anchor = dayNumberOf(anchorOf(rule, schedule.year));
      if (anchor < from || anchor > to) {
        r.problem(path, `${id} ${schedule.year} falls on ${civilDateOf(anchor)}, outside the days off`);
      }
    }
    for (const day of schedule.makeUpWorkingDays) {
      const n = r.attempt(`${path}.makeUpWorkingDays`, () => dayNumberOf(day), from);
      if (n >= from && n <= to) r.problem(`${path}.makeUpWorkingDays`, `${day} is inside the days off`);
    }
  });

  const lunar = r.object(lunarDates ?? {}, '$.lunarDates');
  for (const [year, value] of Object.entries(lunar)) {
    if (!/^\d{4}$/.test(year)) continue;
    const expected = r.object(value, `$.lunarDates.${year}`);
    const computed = {
      tet: lunarToSolar({ year: Number(year), month: 1, day: 1, leap: false }),
      hungKings: lunarToSolar({ year: Number(year), month: 3, day: 10, leap: false }),
    };
    for (const key of ['tet', 'hungKings'] as const) {
      if (expected[key] !== computed[key]) {
        r.problem(`$.lunarDates.${year}.${key}`, `file says ${String(expected[key])}, computed ${computed[key]}`);
      }
    }
  }
}

/** Throws unless the periods are ascending, non-empty and non-overlapping within one day. */
export function checkOfficeHours(periods: readonly OfficePeriod[]): void {
  if (periods.length === 0) throw new RangeError('office hours need at least one period');
  let previousEnd = -1;
  for (const period of periods) {
    const start = parseTimeOfDay(period.start);
    const end = parseTimeOfDay(period.end);
    if (start >= end || start < previousEnd) {
      throw new RangeError(`office period ${period.start}–${period.end} is empty or overlaps the previous one`);
    }
    previousEnd = end;
  }
}
