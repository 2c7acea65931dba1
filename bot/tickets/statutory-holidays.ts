/**
 * China's public holidays for all citizens, computed from the rules — used for
 * years whose official schedule (the State Council General Office's yearly
 * notice, with its make-up working days) is not published yet.
 *
 * The rule: 《全国年节及纪念日放假办法》 as revised by 国务院令第795号
 * (《国务院关于修改〈全国年节及纪念日放假办法〉的决定》, published 12 Nov 2024,
 * in force 1 Jan 2025), Article 2:
 *   新年 1 day (1 Jan); 春节 4 days (农历除夕、正月初一至初三); 清明节 1 day
 *   (the day of the Qingming solar term); 劳动节 2 days (1–2 May); 端午节
 *   1 day (lunar 5-5); 中秋节 1 day (lunar 8-15); 国庆节 3 days (1–3 Oct).
 * Article 6 (unchanged by the revision): a holiday for all citizens that falls
 * on a Saturday or Sunday is made up on a working day (补假). Where two
 * festivals share a day (中秋 on 1–3 Oct), the published schedules merge them
 * and add a day (国办发明电〔2024〕12号: "国庆节放假如逢中秋节则合并放假8天"),
 * so a shared day is made up like a weekend day.
 *
 * 除夕 is the last day of the twelfth lunar month (the 29th or the 30th), so it
 * is taken as the day before 正月初一 rather than as a fixed lunar date.
 * Lunar dates and the solar term come from `chinese-days` (1900–2100).
 */
import { getSolarDateFromLunar, getSolarTermDate } from 'chinese-days';

export const HOLIDAY_NAMES = ['new_year', 'spring_festival', 'qingming', 'labour_day', 'dragon_boat', 'mid_autumn', 'national_day'] as const;
export type HolidayName = (typeof HOLIDAY_NAMES)[number];

export interface StatutoryDay {
  date: string;
  name: HolidayName;
  /** A weekday off in place of a statutory day that fell on a weekend or on another holiday (补假). */
  substitute?: true;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Whole-day arithmetic on YYYY-MM-DD, in UTC so the process time zone never matters. */
function shift(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function isWeekend(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

/**
 * `chinese-days` reads its arguments and formats its answers with the process's
 * local-time getters; passing local noon (and reading the answer back the same
 * way) keeps the result right in every time zone, including those west of UTC.
 */
function lunarToSolar(year: number, month: number, day: number): string {
  return getSolarDateFromLunar(new Date(year, month - 1, day, 12)).date;
}

/**
 * The Qingming term's date. The library builds it at UTC midnight and formats it
 * in local time (a day early west of UTC); find the date it started from.
 */
function qingming(year: number): string {
  const answer = getSolarTermDate(year, 4, 'pure_brightness');
  const asLibraryFormats = (date: string) => {
    const d = new Date(`${date}T00:00:00Z`);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  };
  return asLibraryFormats(answer) === answer ? answer : shift(answer, 1);
}

/** The statutory days of each festival in `year`, in the order of the rule. */
function festivals(year: number): Array<{ name: HolidayName; days: string[] }> {
  const firstDay = lunarToSolar(year, 1, 1);
  return [
    { name: 'new_year', days: [`${year}-01-01`] },
    { name: 'spring_festival', days: [shift(firstDay, -1), firstDay, shift(firstDay, 1), shift(firstDay, 2)] },
    { name: 'qingming', days: [qingming(year)] },
    { name: 'labour_day', days: [`${year}-05-01`, `${year}-05-02`] },
    { name: 'dragon_boat', days: [lunarToSolar(year, 5, 5)] },
    { name: 'mid_autumn', days: [lunarToSolar(year, 8, 15)] },
    { name: 'national_day', days: [`${year}-10-01`, `${year}-10-02`, `${year}-10-03`] },
  ];
}

/**
 * Every statutory day off of `year` with the substitute days the rule requires,
 * sorted by date. A substitute is the first weekday after the festival that is
 * not already off.
 */
export function statutoryHolidays(year: number): StatutoryDay[] {
  const list = festivals(year);
  const statutory = new Map<string, HolidayName>();
  for (const f of list) for (const d of f.days) if (!statutory.has(d)) statutory.set(d, f.name);
  const off = new Set(statutory.keys());
  const out: StatutoryDay[] = [...statutory].map(([date, name]) => ({ date, name }));
  for (const f of list) {
    // A day lost to a weekend, or shared with an earlier festival, is made up.
    const lost = f.days.filter((d) => isWeekend(d) || statutory.get(d) !== f.name).length;
    let cursor = f.days.at(-1)!; // each festival's days are listed in order
    for (let left = lost; left > 0; ) {
      cursor = shift(cursor, 1);
      if (isWeekend(cursor) || off.has(cursor)) continue;
      off.add(cursor);
      out.push({ date: cursor, name: f.name, substitute: true });
      left--;
    }
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
