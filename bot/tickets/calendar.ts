/**
 * Dates in the bank's time zone and the Chinese working-day calendar
 * (public holidays and the weekend days officially made working days, 调休),
 * from the maintained `chinese-days` package. Years it does not know yet fall
 * back to Monday–Friday; `knowsYear` lets callers warn about that.
 */
import { isWorkday } from 'chinese-days';

/** YYYY-MM-DD of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** The zone's UTC offset on a date, as "+08:00". */
function offsetOf(date: string, timeZone: string): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
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

export function isWorkingDay(date: string): boolean {
  return isWorkday(date);
}

/** The `n`th working day after `date` (the day itself does not count). */
export function addWorkingDays(date: string, n: number): string {
  let current = date;
  for (let left = n; left > 0; ) {
    current = addCalendarDays(current, 1);
    if (isWorkingDay(current)) left--;
  }
  return current;
}

/** The first working day on or after `date`. */
export function nextWorkingDay(date: string): string {
  let current = date;
  while (!isWorkingDay(current)) current = addCalendarDays(current, 1);
  return current;
}
