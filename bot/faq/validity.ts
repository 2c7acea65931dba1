/**
 * Validity dates of an entry (rules that change): the dates are the bank's
 * calendar days, so today is taken in China's time zone, and both ends count.
 */
const shanghaiDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** "2026-12-01" for an instant, as a day in Asia/Shanghai. */
export function dayOf(now: Date): string {
  return shanghaiDay.format(now);
}

export function isValidOn(entry: { validFrom?: string; validUntil?: string }, now: Date): boolean {
  return isValidOnDay(entry, dayOf(now));
}

/** The same for a day already computed (the search computes it once per message, not once per candidate). */
export function isValidOnDay(entry: { validFrom?: string; validUntil?: string }, day: string): boolean {
  return (!entry.validFrom || entry.validFrom <= day) && (!entry.validUntil || day <= entry.validUntil);
}
