import type { Kysely } from 'kysely';
import type { BusinessDate } from '../../domain/records';
import type { Database } from '../storage/schema';
import { loadCalendarData } from './calendar-data';
import { businessDateOf, endOfBusinessDay, WorkingDayCalendar, type CalendarResult } from './working-days';

export interface Deadline extends CalendarResult {
  /** The instant the period ends: 24:00 Asia/Shanghai of `date` (art. 203). */
  endsAt: string;
}

const withEnd = (result: CalendarResult): Deadline => ({ ...result, endsAt: endOfBusinessDay(result.date).toISOString() });

/**
 * Calendar activities. Workflows never compute business dates themselves: the answer depends on
 * calendar data that changes (a new year's schedule), and on replay a workflow must see the answer it
 * saw the first time — which it does when the answer is an activity result in its history.
 */
export function createCalendarActivities(db: Kysely<Database>, now: () => Date) {
  const calendar = async () => new WorkingDayCalendar(await loadCalendarData(db));
  return {
    /** Today's business date (Asia/Shanghai) and the current instant. */
    async businessToday(): Promise<{ date: BusinessDate; at: string }> {
      const instant = now();
      return { date: businessDateOf(instant), at: instant.toISOString() };
    },
    /** The deadline `workingDays` working days after `from` (a business date or an ISO instant). */
    async workingDayDeadline(input: { from: string; workingDays: number }): Promise<Deadline> {
      return withEnd((await calendar()).addWorkingDays(toBusinessDate(input.from), input.workingDays));
    },
    /** The end of a period of calendar months after `from` (Civil Code arts. 201–203). */
    async monthsAfter(input: { from: string; months: number }): Promise<Deadline> {
      return withEnd((await calendar()).addMonths(toBusinessDate(input.from), input.months));
    },
    /** Working days elapsed after `from` up to and including `to` (for paused SLA clocks). */
    async workingDaysBetween(input: { from: string; to: string }): Promise<number> {
      return (await calendar()).workingDaysBetween(toBusinessDate(input.from), toBusinessDate(input.to));
    },
  };
}

function toBusinessDate(value: string): BusinessDate {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : businessDateOf(new Date(value));
}
