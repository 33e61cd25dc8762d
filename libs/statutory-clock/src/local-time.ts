// All legal time is Asia/Ho_Chi_Minh. Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset
// is exact and needs no time-zone database (architecture.md §6).

/** Offset of Asia/Ho_Chi_Minh from UTC in milliseconds. */
export const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
/** Milliseconds in one day. */
export const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/** A calendar date in Vietnam, `YYYY-MM-DD`. */
export type CivilDate = string;

/** Days since 1970-01-01 of a civil date (its "day number"). */
export function dayNumberOf(date: CivilDate): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  if (civilDateOf(ms / DAY_MS) !== date) throw new RangeError(`no such date: ${date}`);
  return ms / DAY_MS;
}

/** The civil date of a day number. */
export function civilDateOf(dayNumber: number): CivilDate {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** Day number from year, month (1–12) and day. */
export function dayNumberFromParts(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** Year of a day number. */
export function yearOf(dayNumber: number): number {
  return new Date(dayNumber * DAY_MS).getUTCFullYear();
}

/** Weekday of a day number: 0 = Sunday … 6 = Saturday. */
export function weekdayOf(dayNumber: number): number {
  return new Date(dayNumber * DAY_MS).getUTCDay();
}

/** Milliseconds since 1970-01-01T00:00 Vietnam time (a "local" timeline on which days are whole multiples). */
export function toLocalMs(instant: Date): number {
  return instant.getTime() + VIETNAM_OFFSET_MS;
}

/** The instant of a point on the local timeline. */
export function fromLocalMs(localMs: number): Date {
  return new Date(localMs - VIETNAM_OFFSET_MS);
}

/** The civil date in Vietnam of an instant. */
export function vietnamDateOf(instant: Date): CivilDate {
  return civilDateOf(Math.floor(toLocalMs(instant) / DAY_MS));
}

/** Parses `HH:MM` (00:00–24:00) into milliseconds after local midnight. */
export function parseTimeOfDay(value: string): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(value);
  const ms = match ? (Number(match[1]) * 60 + Number(match[2])) * MINUTE_MS : NaN;
  if (!(ms <= DAY_MS)) throw new RangeError(`not an HH:MM time of day: ${value}`);
  return ms;
}

/**
 * Formats an instant in Vietnam time with its offset, e.g. `2026-12-03T08:15:00+07:00`, the form the intake API
 * returns for `dueAt`. Legal times are stated to the second: milliseconds are dropped (truncated, so a due date is
 * never shown later than it is).
 */
export function toVietnamIso(instant: Date): string {
  const local = new Date(toLocalMs(instant)).toISOString(); // UTC fields now read as Vietnam wall time
  return `${local.slice(0, 19)}+07:00`;
}
