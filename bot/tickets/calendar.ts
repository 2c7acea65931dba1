/**
 * Dates in the bank's time zone and the Chinese working-day calendar
 * (public holidays and the weekend days officially made working days, 调休).
 *
 * Where a day's status comes from, first match wins:
 *  1. the supervisor's policy file (`content/policy/calendar.json`): a listed
 *     make-up working day, or a day inside a listed holiday;
 *  2. `chinese-days`, for the years it has data for (it is maintained yearly;
 *     its 1.5.7 ends with 2026 and calls 1 Jan 2027 a working day);
 *  3. for other years, the statutory days (`statutory-holidays.ts`) and
 *     weekends — with the substitute days the rule requires unless the policy
 *     has that year's published schedule (then the schedule says where they go).
 * `scheduleStatus` tells start-up and /readyz when the current or next year
 * has no published schedule (neither the package nor the policy knows it).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Logger } from '../log';
import type { CalendarPolicy } from './policy';
import { isWeekend, statutoryHolidays } from './statutory-holidays';

export type YearSource = 'library' | 'policy' | 'rules';

/**
 * `chinese-days`' own data file (plain YYYY-MM-DD keys). Its functions read and
 * build dates with local-time getters, so west of UTC they answer for the wrong
 * day (isWorkday says a Saturday works in New York); the data does not move.
 */
const library = z
  .object({ holidays: z.record(z.string(), z.string()), workdays: z.record(z.string(), z.string()) })
  .parse(JSON.parse(readFileSync(require.resolve('chinese-days/dist/chinese-days.json'), 'utf8')));
const libraryOff = new Set(Object.keys(library.holidays));
const libraryWorking = new Set(Object.keys(library.workdays));
const libraryYears = new Set([...libraryOff].map((d) => Number(d.slice(0, 4))));

/** Whether `chinese-days` has the published schedule of `year` (its holiday table has entries in it). */
export function knowsYear(year: number): boolean {
  return libraryYears.has(year);
}

const yearOf = (date: string) => Number(date.slice(0, 4));

export class WorkingCalendar {
  private readonly workingDays = new Set<string>();
  private readonly daysOff = new Set<string>();
  private readonly ruleDays = new Map<number, Set<string>>();

  constructor(private readonly policy: CalendarPolicy = { years: {} }) {
    for (const entry of Object.values(policy.years)) {
      for (const day of entry.workingDays) this.workingDays.add(day);
      for (const range of entry.daysOff) for (let d = range.from; d <= range.to; d = addCalendarDays(d, 1)) this.daysOff.add(d);
    }
  }

  /** Where the days of `year` come from (apart from the policy's own entries, which always win). */
  source(year: number): YearSource {
    if (knowsYear(year)) return 'library';
    return String(year) in this.policy.years ? 'policy' : 'rules';
  }

  /** Whether an official schedule of `year` (with its make-up working days) is known. */
  hasPublishedSchedule(year: number): boolean {
    return this.source(year) !== 'rules';
  }

  isWorkingDay(date: string): boolean {
    if (this.workingDays.has(date)) return true;
    if (this.daysOff.has(date)) return false;
    const year = yearOf(date);
    if (knowsYear(year)) return libraryWorking.has(date) || (!isWeekend(date) && !libraryOff.has(date));
    return !isWeekend(date) && !this.offByRule(year).has(date);
  }

  private offByRule(year: number): Set<string> {
    let days = this.ruleDays.get(year);
    if (!days) {
      const published = String(year) in this.policy.years;
      days = new Set(statutoryHolidays(year).filter((d) => !(published && d.substitute)).map((d) => d.date));
      this.ruleDays.set(year, days);
    }
    return days;
  }
}

/** The process's calendar (one content folder, one calendar); the app installs the policy's at start-up. */
let installed = new WorkingCalendar();

export function useCalendar(calendar: WorkingCalendar): void {
  installed = calendar;
}

export function currentCalendar(): WorkingCalendar {
  return installed;
}

export interface ScheduleStatus {
  ok: boolean;
  years: Record<string, YearSource>;
  /** Years (current or next) counted by the rules alone, without make-up working days. */
  unpublished: number[];
  message?: string;
}

/**
 * Installs the policy's calendar for the process, warns in the log when the
 * current or next year has no published schedule, and returns the check for
 * /readyz (a detail there, never a failure: due dates are still computed).
 */
export function installCalendar(policy: CalendarPolicy, timeZone: string, now: () => Date, logger: Pick<Logger, 'warn'>): () => ScheduleStatus {
  const calendar = new WorkingCalendar(policy);
  useCalendar(calendar);
  const status = () => scheduleStatus(now(), timeZone, calendar);
  const atStart = status();
  if (!atStart.ok) logger.warn({ code: 'CALENDAR_UNPUBLISHED', years: atStart.unpublished }, atStart.message);
  return status;
}

/** Whether the current and the next year (in `timeZone`) have a published schedule. */
export function scheduleStatus(now: Date, timeZone: string, calendar: WorkingCalendar = installed): ScheduleStatus {
  const year = yearOf(localDate(now, timeZone));
  const years: Record<string, YearSource> = {};
  const unpublished: number[] = [];
  for (const y of [year, year + 1]) {
    years[y] = calendar.source(y);
    if (!calendar.hasPublishedSchedule(y)) unpublished.push(y);
  }
  if (unpublished.length === 0) return { ok: true, years, unpublished };
  const message =
    `No published holiday schedule for ${unpublished.join(' and ')}: working days are counted from the statutory holidays ` +
    'without make-up working days; add the State Council schedule to content/policy/calendar.json';
  return { ok: false, years, unpublished, message };
}

/** Building an Intl formatter costs far more than using one (a few per turn): one per time zone and shape is kept (docs/bench.md). */
const formats = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formats.get(key);
  if (!f) formats.set(key, (f = make()));
  return f;
}

/** YYYY-MM-DD of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  return formatter(`date|${timeZone}`, () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })).format(instant);
}

/** The zone's UTC offset on a date, as "+08:00". */
function offsetOf(date: string, timeZone: string): string {
  const name = formatter(`offset|${timeZone}`, () => new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }))
    .formatToParts(new Date(`${date}T12:00:00Z`))
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-]\d{2}:\d{2})/.exec(name ?? '');
  return m?.[1] ?? '+00:00';
}

/** The last second of a local day, as an instant. */
export function endOfLocalDay(date: string, timeZone: string): Date {
  return new Date(`${date}T23:59:59${offsetOf(date, timeZone)}`);
}

/** A local time of day on a date ("09:00" or "09:00:00"), as an instant. */
export function localTime(date: string, time: string, timeZone: string): Date {
  return new Date(`${date}T${time.length === 5 ? `${time}:00` : time}${offsetOf(date, timeZone)}`);
}

export function addCalendarDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, calendar: WorkingCalendar = installed): boolean {
  return calendar.isWorkingDay(date);
}

/** The `n`th working day after `date` (the day itself does not count). */
export function addWorkingDays(date: string, n: number, calendar: WorkingCalendar = installed): string {
  let current = date;
  for (let left = n; left > 0; ) {
    current = addCalendarDays(current, 1);
    if (calendar.isWorkingDay(current)) left--;
  }
  return current;
}

