import { correspondingDay } from '../../domain/periods';
import { businessDateOf, type BusinessDate } from '../../domain/records';

/**
 * Working-day and period arithmetic over the official PRC calendar (weekends and statutory holidays
 * off, adjusted working days 调休 on), following the Civil Code conventions of RULES.md:
 * - the starting day is not counted (art. 201);
 * - a month/year period ends on the corresponding day, or the month's last day if there is none (art. 202);
 * - a period whose last day is a day off ends on the next working day (art. 203);
 * - N working days count only working days, from the first working day after the start.
 *
 * Pure: the data is passed in, so this runs inside activities with whatever calendar data is current.
 * A result that depends on a year whose schedule the State Council has not yet published is marked
 * `provisional` (weekends assumed off, no holidays known) and must be recomputed when data arrives.
 */
export interface CalendarData {
  /** Statutory days off by date, with the holiday's name. */
  holidays: ReadonlyMap<BusinessDate, string>;
  /** Weekend days declared working days (调休). */
  workdays: ReadonlyMap<BusinessDate, string>;
  /** Years whose official schedule is known. */
  publishedYears: ReadonlySet<number>;
}

export interface CalendarResult {
  date: BusinessDate;
  provisional: boolean;
}

const DAY_MS = 86_400_000;

export function parseBusinessDate(date: BusinessDate): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`Not a business date (YYYY-MM-DD): ${date}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`No such day: ${date}`);
  }
  return time;
}

const formatDate = (time: number): BusinessDate => new Date(time).toISOString().slice(0, 10);
const yearOf = (date: BusinessDate) => Number(date.slice(0, 4));

export function addDays(date: BusinessDate, days: number): BusinessDate {
  return formatDate(parseBusinessDate(date) + days * DAY_MS);
}

export { businessDateOf };

/** A day "ends at 24:00" (art. 203): the instant that closes a business date, Asia/Shanghai. */
export function endOfBusinessDay(date: BusinessDate): Date {
  return new Date(parseBusinessDate(date) + DAY_MS - 8 * 3_600_000);
}

export class WorkingDayCalendar {
  constructor(private readonly data: CalendarData) {}

  isPublished(year: number): boolean {
    return this.data.publishedYears.has(year);
  }

  isWorkingDay(date: BusinessDate): boolean {
    if (this.data.holidays.has(date)) return false;
    if (this.data.workdays.has(date)) return true;
    const weekday = new Date(parseBusinessDate(date)).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** The end of a period of `count` working days that starts on `start` (itself not counted). */
  addWorkingDays(start: BusinessDate, count: number): CalendarResult {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`Working days must be a whole number ≥ 0, got ${count}`);
    let date = start;
    let provisional = false;
    for (let counted = 0; counted < count; ) {
      date = addDays(date, 1);
      provisional ||= !this.isPublished(yearOf(date));
      if (this.isWorkingDay(date)) counted += 1;
    }
    return { date, provisional };
  }

  /** Working days after `start` up to and including `end` (0 when end ≤ start). */
  workingDaysBetween(start: BusinessDate, end: BusinessDate): number {
    let count = 0;
    for (let date = addDays(start, 1); date <= end; date = addDays(date, 1)) {
      if (this.isWorkingDay(date)) count += 1;
    }
    return count;
  }

  /** The end of a period of `months` calendar months from `start` (arts. 201–203). */
  addMonths(start: BusinessDate, months: number): CalendarResult {
    return this.rollPastDaysOff(correspondingDay(start, months));
  }

  addYears(start: BusinessDate, years: number): CalendarResult {
    return this.addMonths(start, years * 12);
  }

  /** Art. 203: a period whose last day is a day off ends on the first working day after it. */
  rollPastDaysOff(date: BusinessDate): CalendarResult {
    let end = date;
    let provisional = !this.isPublished(yearOf(end));
    while (!this.isWorkingDay(end)) {
      end = addDays(end, 1);
      provisional ||= !this.isPublished(yearOf(end));
    }
    return { date: end, provisional };
  }
}
