import fc from 'fast-check';
import { createCalendarActivities } from '../../activities/calendar/activities';
import { loadCalendarData, publishCalendarYear } from '../../activities/calendar/calendar-data';
import { addDays, businessDateOf, endOfBusinessDay, WorkingDayCalendar } from '../../activities/calendar/working-days';
import type { StorageHandle } from '../../activities/storage/database';
import { openTestStorage } from '../helpers/storage';

/** Working days on the real PRC calendar (chinese-days data), with the Civil Code conventions. */
let storage: StorageHandle;
let calendar: WorkingDayCalendar;

beforeAll(async () => {
  storage = await openTestStorage('sqlite');
  calendar = new WorkingDayCalendar(await loadCalendarData(storage.db));
});
afterAll(() => storage?.close());

describe('official calendar data', () => {
  it('knows the 2025 National Day / Mid-Autumn break and its adjusted Saturdays/Sundays', () => {
    for (const day of ['2025-10-01', '2025-10-05', '2025-10-08']) expect(calendar.isWorkingDay(day)).toBe(false);
    expect(calendar.isWorkingDay('2025-09-28')).toBe(true); // Sunday, adjusted working day
    expect(calendar.isWorkingDay('2025-10-11')).toBe(true); // Saturday, adjusted working day
    expect(calendar.isWorkingDay('2025-10-12')).toBe(false);
  });

  it('7 working days from Friday 2025-09-26 end on Monday 2025-10-13 (RULES.md example)', () => {
    expect(calendar.addWorkingDays('2025-09-26', 7)).toEqual({ date: '2025-10-13', provisional: false });
  });

  it('skips Spring Festival 2026 (15–23 Feb) and counts its adjusted working days (14 and 28 Feb)', () => {
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true); // Saturday worked
    expect(calendar.isWorkingDay('2026-02-16')).toBe(false);
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true); // Saturday worked
    // From Thursday 12 Feb: 13 (1), Sat 14 (2), 24 (3), 25 (4), 26 (5), 27 (6), Sat 28 (7), Mon 2 Mar (8), 3 (9), 4 (10).
    expect(calendar.addWorkingDays('2026-02-12', 10)).toEqual({ date: '2026-03-04', provisional: false });
    expect(calendar.workingDaysBetween('2026-02-12', '2026-03-04')).toBe(10);
  });

  it('marks a deadline that reaches an unpublished year provisional, never silently Mon–Fri', () => {
    const crossing = calendar.addWorkingDays('2026-12-24', 10);
    expect(crossing.provisional).toBe(true);
    expect(calendar.addWorkingDays('2026-12-01', 5).provisional).toBe(false);
    expect(calendar.isPublished(2027)).toBe(false);
  });
});

describe('periods in months and years (Civil Code arts. 201–203)', () => {
  it('ends on the corresponding day, clamped to the end of a shorter month', () => {
    expect(calendar.addMonths('2025-01-31', 1)).toEqual({ date: '2025-02-28', provisional: false });
    expect(calendar.addMonths('2024-01-31', 1)).toEqual({ date: '2024-02-29', provisional: false });
    expect(calendar.addMonths('2025-03-10', 3)).toEqual({ date: '2025-06-10', provisional: false });
  });

  it('moves an end that falls on a day off to the next working day', () => {
    // 2025-04-01 + 6 months = 2025-10-01, National Day: the period ends on 2025-10-09.
    expect(calendar.addMonths('2025-04-01', 6)).toEqual({ date: '2025-10-09', provisional: false });
    // 2024-11-15 + 1 year = Saturday 2025-11-15 → Monday 17th.
    expect(calendar.addYears('2024-11-15', 1)).toEqual({ date: '2025-11-17', provisional: false });
  });
});

describe('business dates are Asia/Shanghai', () => {
  it('maps instants to the Shanghai date and a day to its 24:00 end', () => {
    expect(businessDateOf(new Date('2025-09-30T15:59:59.999Z'))).toBe('2025-09-30');
    expect(businessDateOf(new Date('2025-09-30T16:00:00.000Z'))).toBe('2025-10-01');
    expect(endOfBusinessDay('2025-09-30').toISOString()).toBe('2025-09-30T16:00:00.000Z');
  });
});

describe('properties', () => {
  const day = fc.integer({ min: Date.UTC(2005, 0, 1), max: Date.UTC(2026, 5, 1) }).map((t) => new Date(t - (t % 86_400_000)).toISOString().slice(0, 10));

  it('N working days later is a working day with exactly N working days after the start', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 40 }), (start, n) => {
        const { date } = calendar.addWorkingDays(start, n);
        return calendar.isWorkingDay(date) && calendar.workingDaysBetween(start, date) === n && calendar.workingDaysBetween(start, addDays(date, -1)) === n - 1;
      }),
    );
  });

  it('a month period never ends before the corresponding day and always on a working day', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 36 }), (start, months) => {
        const { date } = calendar.addMonths(start, months);
        const [y, m] = start.split('-').map(Number) as [number, number];
        const monthIndex = m - 1 + months;
        const expectedMonth = `${y + Math.floor(monthIndex / 12)}-${String((monthIndex % 12) + 1).padStart(2, '0')}`;
        return calendar.isWorkingDay(date) && date.slice(0, 7) >= expectedMonth && date > start;
      }),
    );
  });
});

describe('operator-published years', () => {
  it('turns a provisional deadline into a firm one when the next schedule is stored', async () => {
    const activities = createCalendarActivities(storage.db);
    const before = await activities.workingDayDeadline({ from: '2026-12-24', workingDays: 10 });
    expect(before.provisional).toBe(true);

    // An illustrative 2027 schedule (New Year's Day 1–3 January, a worked Sunday 4 January is made up).
    await publishCalendarYear(storage.db, {
      year: 2027,
      source: 'test schedule',
      holidays: { '2027-01-01': '元旦', '2027-01-02': '元旦', '2027-01-03': '元旦' },
      workdays: {},
    }, '2026-12-01T00:00:00Z');
    const after = await activities.workingDayDeadline({ from: '2026-12-24', workingDays: 10 });
    expect(after.provisional).toBe(false);
    // 25, 28, 29, 30, 31 Dec (5), 1 Jan holiday, 4, 5, 6, 7, 8 Jan (10).
    expect(after.date).toBe('2027-01-08');
    expect(after.endsAt).toBe('2027-01-08T16:00:00.000Z');
  });

  it('refuses a schedule with dates outside its year, naming the field', async () => {
    await expect(
      publishCalendarYear(storage.db, { year: 2028, source: 'x', holidays: { '2030-01-01': '元旦' } }, '2027-11-01T00:00:00Z'),
    ).rejects.toThrow(/outside the 2028 schedule/);
  });
});
