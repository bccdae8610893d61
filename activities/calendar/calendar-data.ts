import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import { businessDateSchema, type BusinessDate } from '../../domain/records';
import type { Database } from '../storage/schema';
import type { CalendarData } from './working-days';

/**
 * Where the calendar's data comes from:
 * 1. the `chinese-days` package (official schedules through 2026);
 * 2. years the operator publishes when the State Council announces them (each November): a JSON file
 *    (CALENDAR_DATA_FILE, imported at worker start) or the admin API, both stored in the database so
 *    every worker and API process sees the same calendar. Stored days win over the package's.
 */
export const publishedYearBaseSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    /** The notice it comes from, e.g. 国务院办公厅关于2027年部分节假日安排的通知. */
    source: z.string().trim().min(1),
    /** Statutory days off: date → holiday name. */
    holidays: z.record(businessDateSchema, z.string().min(1)),
    /** Adjusted working days (调休): date → reason. */
    workdays: z.record(businessDateSchema, z.string().min(1)).default({}),
  })
  .strict();
export const publishedYearSchema = publishedYearBaseSchema.superRefine((value, ctx) => {
    for (const group of ['holidays', 'workdays'] as const) {
      for (const date of Object.keys(value[group])) {
        // A schedule may reach into the next January (e.g. New Year's Day), never elsewhere.
        const year = Number(date.slice(0, 4));
        if (year !== value.year && year !== value.year + 1) {
          ctx.addIssue({ code: 'custom', path: [group, date], message: `is outside the ${value.year} schedule` });
        }
      }
    }
  });
export type PublishedYear = z.input<typeof publishedYearSchema>;

interface PackageData {
  holidays: Record<BusinessDate, string>;
  workdays: Record<BusinessDate, string>;
}

let packageData: CalendarData | undefined;

function builtInData(): CalendarData {
  if (!packageData) {
    const raw = require('chinese-days/dist/chinese-days.json') as PackageData;
    // Entries read "English name,中文名,days"; the Chinese name is what users see.
    const name = (entry: string) => entry.split(',')[1] ?? entry;
    const holidays = new Map(Object.entries(raw.holidays).map(([date, entry]) => [date, name(entry)]));
    const workdays = new Map(Object.entries(raw.workdays).map(([date, entry]) => [date, name(entry)]));
    const publishedYears = new Set([...holidays.keys()].map((date) => Number(date.slice(0, 4))));
    packageData = { holidays, workdays, publishedYears };
  }
  return packageData;
}

/** The calendar as of now: the package's data overlaid with the years stored in the database. */
export async function loadCalendarData(db: Kysely<Database>): Promise<CalendarData> {
  const base = builtInData();
  const [days, years] = await Promise.all([
    db.selectFrom('calendar_days').selectAll().execute(),
    db.selectFrom('calendar_years').select('year').execute(),
  ]);
  if (days.length === 0 && years.length === 0) return base;
  const holidays = new Map(base.holidays);
  const workdays = new Map(base.workdays);
  const storedYears = new Set(years.map((row) => Number(row.year)));
  // A stored year replaces the package's data for that year entirely.
  for (const map of [holidays, workdays]) {
    for (const date of map.keys()) if (storedYears.has(Number(date.slice(0, 4)))) map.delete(date);
  }
  for (const day of days) {
    (day.kind === 'holiday' ? holidays : workdays).set(day.day, day.name);
    (day.kind === 'holiday' ? workdays : holidays).delete(day.day);
  }
  return { holidays, workdays, publishedYears: new Set([...base.publishedYears, ...storedYears]) };
}

/** Stores one year's official schedule (replacing an earlier version of it). Idempotent. */
export async function publishCalendarYear(db: Kysely<Database>, input: PublishedYear, publishedAt: string): Promise<void> {
  const year = publishedYearSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    const dates = [...Object.keys(year.holidays), ...Object.keys(year.workdays)];
    await trx.deleteFrom('calendar_days').where('source', '=', `year:${year.year}`).execute();
    if (dates.length > 0) await trx.deleteFrom('calendar_days').where('day', 'in', dates).execute();
    const rows = [
      ...Object.entries(year.holidays).map(([day, name]) => ({ day, kind: 'holiday', name, source: `year:${year.year}` })),
      ...Object.entries(year.workdays).map(([day, name]) => ({ day, kind: 'workday', name, source: `year:${year.year}` })),
    ];
    if (rows.length > 0) await trx.insertInto('calendar_days').values(rows).execute();
    await trx
      .insertInto('calendar_years')
      .values({ year: year.year, source: year.source, published_at: publishedAt })
      .onConflict((oc) => oc.column('year').doUpdateSet({ source: year.source, published_at: publishedAt }))
      .execute();
  });
}

/** Imports the operator's data file: one published year or a list of them. */
export async function importCalendarFile(db: Kysely<Database>, path: string, importedAt: string): Promise<number[]> {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  const years = Array.isArray(parsed) ? parsed : [parsed];
  for (const year of years) await publishCalendarYear(db, year as PublishedYear, importedAt);
  return years.map((year) => (year as PublishedYear).year);
}
