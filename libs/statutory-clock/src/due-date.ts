import { DAY_MS, dayNumberOf, civilDateOf, parseTimeOfDay, toLocalMs, vietnamDateOf } from './local-time';
import { type CaseTimeLimits, type TimeLimit, applicableTimeLimit } from './time-limit';
import { type WorkingCalendar } from './working-calendar';

/** What the due-date arithmetic needs besides the receipt and the limit. */
export interface DueDateOptions {
  /** The working calendar of the province that handles the dossier. */
  readonly calendar: WorkingCalendar;
  /** True for a remote commune (mountainous, island, difficult area): the case's remote limit applies. */
  readonly remote?: boolean;
}

/**
 * When the statutory clock starts: the receipt itself inside office hours, otherwise the next opening (a dossier
 * received at 17:30 on Friday counts from 07:00 on the next working day; one received at 12:00 from 13:30).
 */
export function countingStart(receivedAt: Date, calendar: WorkingCalendar): Date {
  return calendar.nextWorkingInstant(receivedAt);
}

/**
 * The legal due date (ngày hẹn trả) of a dossier received complete at `receivedAt` (architecture.md §6): working-hour
 * arithmetic from the counting start, 8 working hours per working day, skipping weekends, holidays and compensatory
 * days and counting make-up Saturdays. Returns the instant; `toVietnamIso` prints it with +07:00.
 */
export function dueDate(receivedAt: Date, timeLimit: TimeLimit | CaseTimeLimits, options: DueDateOptions): Date {
  const { calendar } = options;
  const limit = applicableTimeLimit(timeLimit, options.remote);
  const start = countingStart(receivedAt, calendar);
  switch (limit.unit) {
    case 'WORKING_DAY':
      return calendar.addWorkingMinutes(start, positive(limit.amount) * calendar.minutesPerWorkingDay);
    case 'WORKING_HOUR':
      return calendar.addWorkingMinutes(start, positive(limit.amount) * 60);
    case 'CALENDAR_DAY': {
      const last = civilDateOf(dayNumberOf(vietnamDateOf(start)) + positive(limit.amount));
      return calendar.closeOfDay(calendar.nextWorkingDay(last));
    }
    case 'SAME_WORKING_DAY': {
      // Mortgage registration and debt clearance (DN-TTHC 1.011441, 1.013988): within the working day when the
      // complete dossier arrives by the cutoff, otherwise within the next working day.
      const day = vietnamDateOf(start);
      const timeOfDay = toLocalMs(start) - dayNumberOf(day) * DAY_MS;
      const dueDay =
        timeOfDay > parseTimeOfDay(limit.cutoff) ? calendar.nextWorkingDay(civilDateOf(dayNumberOf(day) + 1)) : day;
      return calendar.closeOfDay(dueDay);
    }
  }
}

function positive(amount: number): number {
  if (!(amount > 0) || !Number.isFinite(amount)) throw new RangeError(`time limit amount must be positive: ${amount}`);
  return amount;
}
