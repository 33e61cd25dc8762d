/**
 * Dates of birth as dossiers and the registry carry them: a full date, or the year alone (old records, household
 * books). Pure TypeScript.
 */
export interface BirthDate {
  year: number;
  /** 1–12; absent when only the year is known. */
  month?: number;
  /** 1–31; absent when only the year is known. */
  day?: number;
}

/**
 * Reads `YYYY-MM-DD`, `YYYYMMDD` (the registry's NgayThangNam), `DD/MM/YYYY` (paper forms) or `YYYY`; undefined
 * when the text is none of them or names no real day.
 */
export function parseBirthDate(text: string | undefined | null): BirthDate | undefined {
  if (!text) return undefined;
  const value = text.trim();
  let m = /^(\d{4})$/.exec(value);
  if (m) return validYear(Number(m[1]));
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (m) return validDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (m) return validDate(Number(m[3]), Number(m[2]), Number(m[1]));
  return undefined;
}

function validYear(year: number): BirthDate | undefined {
  return year >= 1850 && year <= 2399 ? { year } : undefined;
}

function validDate(year: number, month: number, day: number): BirthDate | undefined {
  if (!validYear(year) || month < 1 || month > 12 || day < 1) return undefined;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= lastDay ? { year, month, day } : undefined;
}

export function isYearOnly(date: BirthDate): boolean {
  return date.month === undefined || date.day === undefined;
}

/** `YYYY-MM-DD` or `YYYY`. */
export function formatBirthDate(date: BirthDate): string {
  if (isYearOnly(date)) return String(date.year);
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

export const BirthDateOutcome = {
  Exact: 'EXACT',
  /** One side knows only the year, and the years agree. */
  YearOnly: 'YEAR_ONLY',
  /** Day and month exchanged (dd/mm read as mm/dd). */
  DayMonthSwapped: 'DAY_MONTH_SWAPPED',
  /** Same year and month, another day. */
  DayDiffers: 'DAY_DIFFERS',
  Different: 'DIFFERENT',
  /** A side has no usable date. */
  Unknown: 'UNKNOWN',
} as const;
export type BirthDateOutcome = (typeof BirthDateOutcome)[keyof typeof BirthDateOutcome];

export interface BirthDateEvidence {
  field: 'dateOfBirth';
  outcome: BirthDateOutcome;
  score: number;
}

export interface BirthDateScores {
  yearOnly: number;
  dayMonthSwapped: number;
  dayDiffers: number;
  unknown: number;
}

export const defaultBirthDateScores: BirthDateScores = {
  yearOnly: 0.85,
  dayMonthSwapped: 0.8,
  dayDiffers: 0.5,
  unknown: 0.3,
};

export function compareBirthDates(
  claimed: BirthDate | undefined,
  registry: BirthDate | undefined,
  scores: BirthDateScores = defaultBirthDateScores,
): BirthDateEvidence {
  const evidence = (outcome: BirthDateOutcome, score: number): BirthDateEvidence => ({
    field: 'dateOfBirth',
    outcome,
    score,
  });
  if (!claimed || !registry) return evidence(BirthDateOutcome.Unknown, scores.unknown);
  if (claimed.year !== registry.year) return evidence(BirthDateOutcome.Different, 0);
  if (isYearOnly(claimed) || isYearOnly(registry)) {
    return isYearOnly(claimed) && isYearOnly(registry)
      ? evidence(BirthDateOutcome.Exact, 1)
      : evidence(BirthDateOutcome.YearOnly, scores.yearOnly);
  }
  if (claimed.month === registry.month && claimed.day === registry.day) return evidence(BirthDateOutcome.Exact, 1);
  if (claimed.month === registry.day && claimed.day === registry.month) {
    return evidence(BirthDateOutcome.DayMonthSwapped, scores.dayMonthSwapped);
  }
  if (claimed.month === registry.month) return evidence(BirthDateOutcome.DayDiffers, scores.dayDiffers);
  return evidence(BirthDateOutcome.Different, 0);
}
