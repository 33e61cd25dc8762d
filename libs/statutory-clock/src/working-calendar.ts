import {
  type CalendarReferenceData,
  type HolidayRule,
  type OfficePeriod,
  WEEKDAYS,
  anchorOf,
  checkOfficeHours,
  parseCalendarReferenceData,
} from './calendar-data';
import {
  type CivilDate,
  DAY_MS,
  civilDateOf,
  dayNumberOf,
  fromLocalMs,
  parseTimeOfDay,
  toLocalMs,
  weekdayOf,
  yearOf,
} from './local-time';

/** Why a day is or is not a working day. */
export type DayKind =
  'WORKDAY' | 'WEEKEND' | 'PUBLIC_HOLIDAY' | 'COMPENSATORY_DAY_OFF' | 'OFFICIAL_DAY_OFF' | 'MAKE_UP_WORKING_DAY';

/** One day of the working calendar. */
export interface CalendarDay {
  readonly date: CivilDate;
  readonly working: boolean;
  readonly kind: DayKind;
  /** The statutory holidays behind a day off (or a make-up day), e.g. `['TET']`; empty for ordinary days. */
  readonly holidayIds: readonly string[];
}

/** How to build a calendar from the reference data. */
export interface WorkingCalendarOptions {
  /** Two-digit province code whose `provinceOverrides` apply; national calendar when absent. */
  readonly provinceCode?: string;
  /** Office hours replacing the file's (the TH-DVC default 07:00–11:30, 13:30–17:00 is configuration, not law). */
  readonly officeHours?: readonly OfficePeriod[];
}

type DayEntry = Omit<CalendarDay, 'date'>;

/** Ten years: far beyond any statutory limit; reaching it means the calendar has no working time at all. */
const SEARCH_LIMIT_DAYS = 3660;
const MINUTE_MS = 60_000;

/**
 * The working calendar of state agencies (architecture.md §6): Monday–Friday, minus the statutory holidays of Labour
 * Code 2019 Art. 112 (Tết and Hùng Kings day computed from the Vietnamese lunar calendar) and their compensatory days
 * (Art. 111(3)), replaced by the Government's official schedule where one is published, plus make-up working
 * Saturdays, plus a province's own days; office hours 07:00–11:30 and 13:30–17:00 Asia/Ho_Chi_Minh by default.
 * Immutable; day classification is cached per year.
 */
export class WorkingCalendar {
  private readonly periods: readonly { readonly start: number; readonly end: number }[];
  private readonly weeklyDaysOff: ReadonlySet<number>;
  private readonly explicitDays = new Map<number, DayEntry>();
  private readonly supersededRules = new Map<number, Set<string>>();
  private readonly ruleDaysByYear = new Map<number, Map<number, DayEntry>>();

  /** Length of one working day in minutes (480 with the default office hours: "8 h = 1 working day"). */
  readonly minutesPerWorkingDay: number;

  private constructor(
    private readonly data: CalendarReferenceData,
    options: WorkingCalendarOptions,
  ) {
    const officeHours = options.officeHours ?? data.officeHours;
    checkOfficeHours(officeHours);
    this.periods = officeHours.map((p) => ({ start: parseTimeOfDay(p.start), end: parseTimeOfDay(p.end) }));
    this.minutesPerWorkingDay = this.periods.reduce((sum, p) => sum + p.end - p.start, 0) / MINUTE_MS;
    this.weeklyDaysOff = new Set(data.weeklyDaysOff.map((d) => WEEKDAYS.indexOf(d)));
    this.addOfficialSchedules();
    const dayOff: DayEntry = { working: false, kind: 'OFFICIAL_DAY_OFF', holidayIds: [] };
    const makeUpDay: DayEntry = { working: true, kind: 'MAKE_UP_WORKING_DAY', holidayIds: [] };
    // A province's own days come last so that they win over the national ones on the same date.
    const layers = [data, ...data.provinceOverrides.filter((o) => o.provinceCode === options.provinceCode)];
    for (const layer of layers) {
      layer.extraDaysOff.forEach((e) => this.setExplicit(e.date, dayOff));
      layer.extraWorkingDays.forEach((e) => this.setExplicit(e.date, makeUpDay));
    }
  }

  /** Builds a calendar from already parsed and checked reference data. */
  static fromReferenceData(data: CalendarReferenceData, options: WorkingCalendarOptions = {}): WorkingCalendar {
    return new WorkingCalendar(data, options);
  }

  /** Parses and checks the calendar JSON (see `parseCalendarReferenceData`), then builds the calendar. */
  static fromJson(json: unknown, options: WorkingCalendarOptions = {}): WorkingCalendar {
    return new WorkingCalendar(parseCalendarReferenceData(json), options);
  }

  /**
   * The same calendar for a province (its `provinceOverrides` applied), keeping these office hours unless the
   * province's deployment gives its own.
   */
  forProvince(provinceCode: string, officeHours?: readonly OfficePeriod[]): WorkingCalendar {
    const hours = officeHours ?? this.periods.map((p) => ({ start: formatTime(p.start), end: formatTime(p.end) }));
    return new WorkingCalendar(this.data, { provinceCode, officeHours: hours });
  }

  /** The years whose official schedules the reference data covers; outside them only statutory rules apply. */
  get coverage(): { readonly fromYear: number; readonly toYear: number } {
    return this.data.coverage;
  }

  /** Classifies a Vietnam civil date, or the Vietnam date of an instant. */
  day(date: CivilDate | Date): CalendarDay {
    const n = typeof date === 'string' ? dayNumberOf(date) : Math.floor(toLocalMs(date) / DAY_MS);
    return { date: civilDateOf(n), ...this.entry(n) };
  }

  /** True when the date (or the Vietnam date of the instant) is a working day. */
  isWorkingDay(date: CivilDate | Date): boolean {
    return this.day(date).working;
  }

  /** The first working day on or after `date`. */
  nextWorkingDay(date: CivilDate): CivilDate {
    return civilDateOf(this.firstWorkingDayFrom(dayNumberOf(date)));
  }

  /** The close of office hours (17:00 by default) of a date, as an instant. */
  closeOfDay(date: CivilDate): Date {
    const last = this.periods[this.periods.length - 1];
    return fromLocalMs(dayNumberOf(date) * DAY_MS + (last?.end ?? 0));
  }

  /** True when the instant is inside office hours of a working day (period start inclusive, end exclusive). */
  isWithinOfficeHours(at: Date): boolean {
    const local = toLocalMs(at);
    const day = Math.floor(local / DAY_MS);
    const t = local - day * DAY_MS;
    return this.entry(day).working && this.periods.some((p) => t >= p.start && t < p.end);
  }

  /**
   * The first working instant at or after `at`: `at` itself inside office hours, otherwise the next opening (receipt
   * during the lunch break counts from 13:30, after 17:00 or on a day off from the next working morning).
   */
  nextWorkingInstant(at: Date): Date {
    const local = toLocalMs(at);
    let day = Math.floor(local / DAY_MS);
    let t = local - day * DAY_MS;
    for (let i = 0; i < SEARCH_LIMIT_DAYS; i += 1, day += 1, t = 0) {
      if (!this.entry(day).working) continue;
      const period = this.periods.find((p) => t < p.end);
      if (period) return fromLocalMs(day * DAY_MS + Math.max(t, period.start));
    }
    throw new Error(`no working time within ${SEARCH_LIMIT_DAYS} days of ${at.toISOString()}`);
  }

  /**
   * Working minutes in [from, to) (negative when `to` is before `from`); fractional when the instants are not on
   * whole minutes.
   */
  workingMinutesBetween(from: Date, to: Date): number {
    const a = toLocalMs(from);
    const b = toLocalMs(to);
    if (b < a) return -this.workingMinutesBetween(to, from);
    let total = 0;
    for (let day = Math.floor(a / DAY_MS); day * DAY_MS < b; day += 1) {
      if (!this.entry(day).working) continue;
      for (const p of this.periods) {
        const start = Math.max(day * DAY_MS + p.start, a);
        const end = Math.min(day * DAY_MS + p.end, b);
        if (end > start) total += end - start;
      }
    }
    return total / MINUTE_MS;
  }

  /**
   * The instant `minutes` working minutes after `from`. Time before the next opening is skipped. A result that lands
   * exactly on the close of the day is that close (17:00, not 07:00 of the next working day), so a limit never
   * spills onto the next day; one that lands on the start of the lunch break is given as its end (13:30, the same
   * working moment), so a dossier received at lunch is due at 13:30. Zero minutes returns `from` unchanged.
   */
  addWorkingMinutes(from: Date, minutes: number): Date {
    if (minutes < 0) throw new RangeError('minutes must not be negative');
    if (minutes === 0) return new Date(from.getTime());
    let remaining = minutes * MINUTE_MS;
    const local = toLocalMs(from);
    let day = Math.floor(local / DAY_MS);
    let t = local - day * DAY_MS;
    for (let i = 0; i < SEARCH_LIMIT_DAYS; i += 1, day += 1, t = 0) {
      if (!this.entry(day).working) continue;
      for (const [index, p] of this.periods.entries()) {
        if (t >= p.end) continue;
        const start = Math.max(t, p.start);
        const available = p.end - start;
        const next = this.periods[index + 1];
        if (remaining < available || (remaining === available && !next)) {
          return fromLocalMs(day * DAY_MS + start + remaining);
        }
        if (remaining === available && next) return fromLocalMs(day * DAY_MS + next.start);
        remaining -= available;
      }
    }
    throw new Error(`no working time within ${SEARCH_LIMIT_DAYS} days of ${from.toISOString()}`);
  }

  private firstWorkingDayFrom(dayNumber: number): number {
    for (let day = dayNumber; day < dayNumber + SEARCH_LIMIT_DAYS; day += 1) {
      if (this.entry(day).working) return day;
    }
    throw new Error(`no working day within ${SEARCH_LIMIT_DAYS} days of ${civilDateOf(dayNumber)}`);
  }

  private entry(day: number): DayEntry {
    const explicit = this.explicitDays.get(day);
    if (explicit) return explicit;
    const year = yearOf(day);
    // A compensatory day may fall early in the next year (a holiday on the last weekend of December).
    const ruleDay = this.ruleDays(year).get(day) ?? this.ruleDays(year - 1).get(day);
    if (ruleDay) return ruleDay;
    return this.weeklyDaysOff.has(weekdayOf(day))
      ? { working: false, kind: 'WEEKEND', holidayIds: [] }
      : { working: true, kind: 'WORKDAY', holidayIds: [] };
  }

  private addOfficialSchedules(): void {
    for (const schedule of this.data.officialSchedules) {
      const superseded = this.supersededRules.get(schedule.year) ?? new Set<string>();
      schedule.holidays.forEach((id) => superseded.add(id));
      this.supersededRules.set(schedule.year, superseded);
      const statutory = new Set(
        this.data.holidayRules
          .filter((r) => schedule.holidays.includes(r.id))
          .flatMap((r) => ruleDayNumbers(r, schedule.year)),
      );
      for (let day = dayNumberOf(schedule.daysOff.from); day <= dayNumberOf(schedule.daysOff.to); day += 1) {
        const kind: DayKind = this.weeklyDaysOff.has(weekdayOf(day))
          ? 'WEEKEND'
          : statutory.has(day)
            ? 'PUBLIC_HOLIDAY'
            : 'OFFICIAL_DAY_OFF';
        this.setExplicit(civilDateOf(day), { working: false, kind, holidayIds: schedule.holidays });
      }
      for (const date of schedule.makeUpWorkingDays) {
        this.setExplicit(date, { working: true, kind: 'MAKE_UP_WORKING_DAY', holidayIds: schedule.holidays });
      }
    }
  }

  private setExplicit(date: CivilDate, entry: DayEntry): void {
    this.explicitDays.set(dayNumberOf(date), entry);
  }

  /** Statutory holiday days of `year` not replaced by an official schedule, with their compensatory days. */
  private ruleDays(year: number): Map<number, DayEntry> {
    const cached = this.ruleDaysByYear.get(year);
    if (cached) return cached;
    const days = new Map<number, DayEntry>();
    const superseded = this.supersededRules.get(year);
    for (const rule of this.data.holidayRules) {
      if (superseded?.has(rule.id)) continue;
      for (const day of ruleDayNumbers(rule, year))
        days.set(day, { working: false, kind: 'PUBLIC_HOLIDAY', holidayIds: [rule.id] });
    }
    // Labour Code 2019 Art. 111(3): a holiday on the weekly day off is taken on the next working day.
    const onWeeklyDayOff = [...days.entries()]
      .filter(([day]) => this.weeklyDaysOff.has(weekdayOf(day)))
      .sort(([a], [b]) => a - b);
    for (const [day, holiday] of onWeeklyDayOff) {
      let candidate = day + 1;
      while (
        this.weeklyDaysOff.has(weekdayOf(candidate)) ||
        days.has(candidate) ||
        this.explicitDays.get(candidate)?.working === false
      ) {
        candidate += 1;
      }
      days.set(candidate, { working: false, kind: 'COMPENSATORY_DAY_OFF', holidayIds: holiday.holidayIds });
    }
    this.ruleDaysByYear.set(year, days);
    return days;
  }
}

function ruleDayNumbers(rule: HolidayRule, year: number): number[] {
  const anchor = dayNumberOf(anchorOf(rule, year));
  const days: number[] = [];
  for (let offset = rule.fromOffset; offset <= rule.toOffset; offset += 1) days.push(anchor + offset);
  return days;
}

function formatTime(ms: number): string {
  const minutes = ms / MINUTE_MS;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
