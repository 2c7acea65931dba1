/**
 * A date shown as precisely as the customer gave it: "2021" → "2021年" /
 * "2021", "2021-06" → "2021年6月" / "June 2021", "2021-06-03" → "2021年6月3日" /
 * "3 June 2021". The date is a calendar date (no time zone to apply).
 */
import type { SupportedLocale } from '../../bot/content/schemas';

const formats = new Map<string, Intl.DateTimeFormat>();
function format(locale: SupportedLocale, parts: 'y' | 'ym' | 'ymd'): Intl.DateTimeFormat {
  const key = `${locale}|${parts}`;
  let f = formats.get(key);
  if (!f) {
    const tag = locale === 'en' ? 'en-GB' : locale;
    const options: Intl.DateTimeFormatOptions = { timeZone: 'UTC', year: 'numeric', ...(parts !== 'y' ? { month: 'long' } : {}), ...(parts === 'ymd' ? { day: 'numeric' } : {}) };
    formats.set(key, (f = new Intl.DateTimeFormat(tag, options)));
  }
  return f;
}

export function formatGiven(given: string, locale: SupportedLocale): string {
  const [y, m, d] = given.split('-').map(Number) as [number, number?, number?];
  const parts = d ? 'ymd' : m ? 'ym' : 'y';
  return format(locale, parts).format(new Date(Date.UTC(y, (m ?? 1) - 1, d ?? 1)));
}
