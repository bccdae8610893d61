import type { BusinessDate } from './records';

/**
 * Civil Code art. 202: a period of months ends on the corresponding day of the last month, or on that
 * month's last day where it has no corresponding day (31 August + 1 month → 30 September). Pure date
 * arithmetic on business dates; art. 203 (a deadline falling on a day off moves to the next working
 * day) is the calendar's, and applies to deadlines, not to waiting periods.
 */
export function correspondingDay(start: BusinessDate, months: number): BusinessDate {
  const [year, month, day] = start.split('-').map(Number) as [number, number, number];
  const targetMonthIndex = month - 1 + months;
  const targetYear = year + Math.floor(targetMonthIndex / 12);
  const targetMonth = ((targetMonthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return new Date(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay))).toISOString().slice(0, 10);
}

/** The business date after `date`. */
export function nextDate(date: BusinessDate): BusinessDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The instant a business date begins: 00:00 Asia/Shanghai. */
export function startOfBusinessDate(date: BusinessDate): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString();
}
