import { condition } from '@temporalio/workflow';
import type { Deadline } from '../activities/calendar/activities';
import { nextDate, startOfBusinessDate } from '../domain/periods';

/** Waits for a condition or an instant (ISO string or epoch ms); true if the condition came first. */
export const until = (predicate: () => boolean, instant: string | number | undefined): Promise<boolean> =>
  instant === undefined
    ? condition(predicate).then(() => true)
    : condition(predicate, Math.max(1, (typeof instant === 'string' ? Date.parse(instant) : instant) - Date.now()));

/** The whole of a business date as a deadline (a date the deciding body set, or a period's day: no calendar involved). */
export function deadlineOn(date: string): Deadline {
  return { date, provisional: false, startsAt: startOfBusinessDate(date), endsAt: startOfBusinessDate(nextDate(date)) };
}
