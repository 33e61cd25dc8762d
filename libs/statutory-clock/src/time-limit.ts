/** Units of a statutory time limit (domain.md §1.4: store `{amount, unit}`, never bare numbers). */
export type CountedTimeLimitUnit = 'WORKING_DAY' | 'WORKING_HOUR' | 'CALENDAR_DAY';

/**
 * A statutory processing time limit.
 * - `WORKING_DAY`: whole working days of office hours (Decree 101/2024: holidays and days off are not counted);
 *   due at the same working time of day, `amount` working days after counting starts.
 * - `WORKING_HOUR`: working hours of the calendar.
 * - `CALENDAR_DAY`: calendar days (e.g. 30 days for dispute mediation) from the day counting starts; due at the
 *   close of office hours of the last day, moved to the next working day when that day is not one.
 * - `SAME_WORKING_DAY`: due at the close of the working day of receipt; a dossier received after `cutoff` (Vietnam
 *   time, `HH:MM`) is due at the close of the next working day (mortgage registration, debt clearance: 15:00).
 */
export type TimeLimit =
  | { readonly unit: CountedTimeLimitUnit; readonly amount: number }
  | { readonly unit: 'SAME_WORKING_DAY'; readonly cutoff: string };

/**
 * The limits of one procedure case: `normal`, and `remote` for mountainous, island, remote and especially difficult
 * communes (Decree 151/2025: usually +10 working days). Absent `remote` means no extension was published, so the
 * normal limit applies there too.
 */
export interface CaseTimeLimits {
  readonly normal: TimeLimit;
  readonly remote?: TimeLimit;
}

/** Picks the limit that applies: the remote one for a remote commune when the case has one, else the normal one. */
export function applicableTimeLimit(limits: TimeLimit | CaseTimeLimits, remote = false): TimeLimit {
  if (!('normal' in limits)) return limits;
  return remote && limits.remote ? limits.remote : limits.normal;
}
