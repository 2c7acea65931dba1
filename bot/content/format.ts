/** How dates, amounts and phone numbers are shown to customers, per language. */
import type { SupportedLocale } from './schemas';

/** Building an Intl formatter (locale and time-zone data) costs far more than using one: one per shape is kept (bench: docs/bench.md). */
const formats = new Map<string, Intl.DateTimeFormat>();
function cachedFormat(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = formats.get(key);
  if (!format) formats.set(key, (format = make()));
  return format;
}

export function formatDate(iso: string, locale: SupportedLocale, timeZone: string): string {
  const tag = locale === 'en' ? 'en-GB' : locale;
  return cachedFormat(`d|${tag}|${timeZone}`, () => new Intl.DateTimeFormat(tag, { timeZone, month: 'long', day: 'numeric', weekday: 'short' })).format(new Date(iso));
}

export function formatDateTime(iso: string, locale: SupportedLocale, timeZone: string): string {
  const tag = locale === 'en' ? 'en-GB' : locale;
  return cachedFormat(`t|${tag}|${timeZone}`, () => new Intl.DateTimeFormat(tag, { timeZone, month: 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })).format(new Date(iso));
}

export function formatAmount(amount: { value: number; currency: string }, locale: SupportedLocale): string {
  const tag = locale === 'en' ? 'en-GB' : locale;
  return new Intl.NumberFormat(tag, { style: 'currency', currency: amount.currency, maximumFractionDigits: 2 }).format(amount.value);
}

/** 138****5678; landlines keep the area code and the last four digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (/^1\d{10}$/.test(digits)) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  const [area, number = ''] = phone.split('-');
  return `${area}-****${number.slice(-4)}`;
}
