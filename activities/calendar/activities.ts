import type { Kysely } from 'kysely';
import type { BusinessDate } from '../../domain/records';
import type { Database } from '../storage/schema';
import { loadCalendarData } from './calendar-data';
import { businessDateOf, endOfBusinessDay, WorkingDayCalendar, type CalendarResult } from './working-days';

export interface Deadline extends CalendarResult {
  /** The instant the day `date` begins: 00:00 Asia/Shanghai. */
  startsAt: string;
  /** The instant the period ends: 24:00 Asia/Shanghai of `date` (art. 203). */
  endsAt: string;
}

const withEnd = (result: CalendarResult): Deadline => {
  const end = endOfBusinessDay(result.date);
  return { ...result, startsAt: new Date(end.getTime() - 86_400_000).toISOString(), endsAt: end.toISOString() };
};

/**
 * Calendar activities. Workflows never compute business dates themselves: the answer depends on
 * calendar data that changes (a new year's schedule), and on replay a workflow must see the answer it
 * saw the first time — which it does when the answer is an activity result in its history.
 */
export function createCalendarActivities(db: Kysely<Database>) {
  const calendar = async () => new WorkingDayCalendar(await loadCalendarData(db));
  return {
    /**
     * The business date (Asia/Shanghai) of an instant — the workflow passes its own current time, so
     * the answer follows workflow time (also under time skipping) and is recorded in history.
     */
    async businessDay(input: { at: string }): Promise<{ date: BusinessDate }> {
      return { date: businessDateOf(new Date(input.at)) };
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
