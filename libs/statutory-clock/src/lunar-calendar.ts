// Vietnamese lunisolar calendar, after Hồ Ngọc Đức's published algorithm ("Âm lịch Việt Nam", 2004): new moons and
// solar terms from Jean Meeus' "Astronomical Algorithms" series, evaluated at UTC+7. The Vietnamese calendar is
// computed for the meridian of UTC+7, so it differs from the Chinese (UTC+8) calendar in some years; Tết and Hùng
// Kings day (Labour Code 2019 Art. 112) must therefore come from this computation, not from a Chinese calendar.
import { type CivilDate, civilDateOf, dayNumberOf } from './local-time';

/** A date of the Vietnamese lunar calendar. */
export interface LunarDate {
  /** Lunar year (the solar year in which its first month starts). */
  readonly year: number;
  /** Month 1–12. */
  readonly month: number;
  /** Day 1–30. */
  readonly day: number;
  /** True for the intercalary (leap) repeat of `month`. */
  readonly leap: boolean;
}

/** The Vietnamese calendar is reckoned at UTC+7. */
const TIME_ZONE_HOURS = 7;
/** Julian day number of 1970-01-01. */
const JDN_OF_DAY_ZERO = 2440588;
/** Julian day of the new moon of 1 Jan 1900 (k = 0 in NewMoon) and the mean synodic month. */
const NEW_MOON_EPOCH = 2415021.076998695;
const SYNODIC_MONTH = 29.530588853;
const RAD = Math.PI / 180;

/** Julian day (fractional, TT) of the k-th new moon after 1 Jan 1900. */
function newMoon(k: number): number {
  const t = k / 1236.85;
  const t2 = t * t;
  const t3 = t2 * t;
  let jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
  jd += 0.00033 * Math.sin((166.56 + 132.87 * t - 0.009173 * t2) * RAD);
  const m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3; // sun's mean anomaly
  const mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3; // moon's mean anomaly
  const f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3; // moon's argument of latitude
  let c1 = (0.1734 - 0.000393 * t) * Math.sin(m * RAD) + 0.0021 * Math.sin(2 * RAD * m);
  c1 -= 0.4068 * Math.sin(mpr * RAD) + 0.0161 * Math.sin(RAD * 2 * mpr);
  c1 -= 0.0004 * Math.sin(RAD * 3 * mpr);
  c1 += 0.0104 * Math.sin(RAD * 2 * f) - 0.0051 * Math.sin(RAD * (m + mpr));
  c1 -= 0.0074 * Math.sin(RAD * (m - mpr)) + 0.0004 * Math.sin(RAD * (2 * f + m));
  c1 -= 0.0004 * Math.sin(RAD * (2 * f - m)) - 0.0006 * Math.sin(RAD * (2 * f + mpr));
  c1 += 0.001 * Math.sin(RAD * (2 * f - mpr)) + 0.0005 * Math.sin(RAD * (2 * mpr + m));
  const deltaT =
    t < -11
      ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
      : -0.000278 + 0.000265 * t + 0.000262 * t2;
  return jd + c1 - deltaT;
}

/** Sun's apparent longitude in radians (0 ≤ L < 2π) at Julian day `jdn`. */
function sunLongitude(jdn: number): number {
  const t = (jdn - 2451545.0) / 36525;
  const t2 = t * t;
  const m = 357.5291 + 35999.0503 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  const l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  let dl = (1.9146 - 0.004817 * t - 0.000014 * t2) * Math.sin(RAD * m);
  dl += (0.019993 - 0.000101 * t) * Math.sin(RAD * 2 * m) + 0.00029 * Math.sin(RAD * 3 * m);
  const omega = 125.04 - 1934.136 * t;
  let l = (l0 + dl - 0.00569 - 0.00478 * Math.sin(omega * RAD)) * RAD;
  l -= 2 * Math.PI * Math.floor(l / (2 * Math.PI));
  return l;
}

/** Julian day number of the local (UTC+7) day on which the k-th new moon falls. */
function newMoonDay(k: number): number {
  return Math.floor(newMoon(k) + 0.5 + TIME_ZONE_HOURS / 24);
}

/** Which of the 12 thirty-degree sectors the sun is in at the start of local day `jdn` (0 = from the vernal equinox). */
function sunSector(jdn: number): number {
  return Math.floor((sunLongitude(jdn - 0.5 - TIME_ZONE_HOURS / 24) / Math.PI) * 6);
}

/** Julian day number of the first day of lunar month 11 (the month holding the winter solstice) of `year`. */
function lunarMonth11(year: number): number {
  const off = dayNumberOf(`${year}-12-31`) + JDN_OF_DAY_ZERO - 2415021;
  const k = Math.floor(off / SYNODIC_MONTH);
  const start = newMoonDay(k);
  return sunSector(start) >= 9 ? newMoonDay(k - 1) : start;
}

/** Index (after month 11) of the leap month in a lunar year of 13 months starting at month 11 on `a11`. */
function leapMonthOffset(a11: number): number {
  const k = Math.floor((a11 - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5);
  let i = 1;
  let arc = sunSector(newMoonDay(k + i));
  let last: number;
  do {
    last = arc;
    i += 1;
    arc = sunSector(newMoonDay(k + i));
  } while (arc !== last && i < 14);
  return i - 1;
}

/** Converts a solar (Gregorian) date to the Vietnamese lunar calendar. */
export function solarToLunar(date: CivilDate): LunarDate {
  const jdn = dayNumberOf(date) + JDN_OF_DAY_ZERO;
  const k = Math.floor((jdn - NEW_MOON_EPOCH) / SYNODIC_MONTH);
  let monthStart = newMoonDay(k + 1);
  if (monthStart > jdn) monthStart = newMoonDay(k);
  const solarYear = Number(date.slice(0, 4));
  let a11 = lunarMonth11(solarYear);
  let b11 = a11;
  let year: number;
  if (a11 >= monthStart) {
    year = solarYear;
    a11 = lunarMonth11(solarYear - 1);
  } else {
    year = solarYear + 1;
    b11 = lunarMonth11(solarYear + 1);
  }
  const day = jdn - monthStart + 1;
  const diff = Math.floor((monthStart - a11) / 29);
  let month = diff + 11;
  let leap = false;
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11);
    if (diff >= leapDiff) {
      month = diff + 10;
      leap = diff === leapDiff;
    }
  }
  if (month > 12) month -= 12;
  if (month >= 11 && diff < 4) year -= 1;
  return { year, month, day, leap };
}

/**
 * Converts a Vietnamese lunar date to the solar calendar. Throws a RangeError for a leap month that the year does not
 * have; a day 30 in a 29-day month rolls into the next month, as in the published algorithm.
 */
export function lunarToSolar(lunar: LunarDate): CivilDate {
  const { year, month, day, leap } = lunar;
  const [a11, b11] =
    month < 11 ? [lunarMonth11(year - 1), lunarMonth11(year)] : [lunarMonth11(year), lunarMonth11(year + 1)];
  const k = Math.floor(0.5 + (a11 - NEW_MOON_EPOCH) / SYNODIC_MONTH);
  let off = month - 11;
  if (off < 0) off += 12;
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11);
    let leapMonth = leapOff - 2;
    if (leapMonth < 0) leapMonth += 12;
    if (leap && month !== leapMonth) throw new RangeError(`lunar year ${year} has no leap month ${month}`);
    if (leap || off >= leapOff) off += 1;
  } else if (leap) {
    throw new RangeError(`lunar year ${year} has no leap month`);
  }
  return civilDateOf(newMoonDay(k + off) + day - 1 - JDN_OF_DAY_ZERO);
}
