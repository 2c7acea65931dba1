/**
 * When it happened, as precisely as the customer said it and no more: "2021年6月"
 * is a month (never 1 June), "2021年" a year, "上周五" a day; several dates make
 * a period from the first to the last; a month or day without a year takes the
 * year the story last named, else the latest one not after today. Relative dates
 * ("昨天", "上个月", "三天前") resolve on the bank's wall clock (Asia/Shanghai).
 *
 * Chinese absolute dates are read here (Microsoft's recognizer splits "2021年6月"
 * into the whole year 2021 and June of an unknown year); relative ones and English
 * come from the recognizer. A date is kept as a partial ISO date: "2021", "2021-06",
 * "2021-06-03".
 */
import { recognizeDateTime } from './recognizers';
import { localDate, localTime } from '../tickets/calendar';
import type { SupportedLocale } from '../content/schemas';

export interface WhenFound {
  /** The instant, only when a day was given (with its time of day, if said). */
  occurredAt?: string;
  /** The date as given ("2021", "2021-06", "2021-06-03"); the start of a period. */
  occurredOn?: string;
  /** The last date of a period, as given. */
  occurredUntil?: string;
  /** The customer's own words for it. */
  occurredText?: string;
  /** Every date named lies ahead: not when it happened. */
  occurredInFuture?: boolean;
}

export interface Mention {
  index: number;
  text: string;
  /** As given: "2021", "2021-06" or "2021-06-03"; a range has a different `to`. */
  from: string;
  to: string;
  time?: string;
  /** The story named the year of this date itself ("2021年6月"), so later dates take it. */
  explicitYear: boolean;
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
/** "6", "六", "十二", "二十三" → a number (up to 99). */
export function smallNumber(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const [tens, ones] = s.includes('十') ? s.split('十') : ['', s];
  return (s.includes('十') ? (tens ? CN_DIGITS[tens] ?? NaN : 1) * 10 : 0) + (ones ? CN_DIGITS[ones] ?? NaN : 0);
}

const N = '(\\d{1,2}|[一二两三四五六七八九十]{1,3})';
const YEAR = '((?:19|20)\\d{2})';
/** In the order they are tried; a later pattern never reads text an earlier one took. */
const PATTERNS: { kind: 'ymd' | 'ym' | 'y' | 'relYm' | 'md' | 'm' | 'ago'; re: RegExp }[] = [
  { kind: 'ymd', re: new RegExp(`(?<!\\d)${YEAR}\\s*([./-])\\s*(\\d{1,2})\\s*\\2\\s*(\\d{1,2})(?!\\d)\\s*[日号]?`, 'g') },
  { kind: 'ymd', re: new RegExp(`(?<!\\d)${YEAR}\\s*(年)\\s*${N}\\s*月份?\\s*${N}\\s*[日号]`, 'g') },
  { kind: 'ym', re: new RegExp(`(?<!\\d)((?:19|20)?\\d{2})\\s*年\\s*${N}\\s*月份?(?:\\s*${N}\\s*[日号])?`, 'g') },
  { kind: 'relYm', re: new RegExp(`(今|去|前|明)年\\s*${N}\\s*月份?(?:\\s*${N}\\s*[日号])?`, 'g') },
  { kind: 'y', re: new RegExp(`(?<!\\d)${YEAR}\\s*年(?:初|底|末|中)?|(今|去|前)年(?:初|底|末|中)`, 'g') },
  { kind: 'md', re: new RegExp(`(?<![\\d年个几每.%])${N}\\s*月份?\\s*${N}\\s*[日号]`, 'g') },
  { kind: 'm', re: new RegExp(`(?<![\\d年个几每上下本这.%])${N}\\s*月份?(?![\\d一二两三四五六七八九十日号供薪息费])`, 'g') },
  // "15日前" is "before the 15th": only 天 counts days back.
  { kind: 'ago', re: new RegExp(`${N}\\s*(天|个月|年)(?:以|之)?前`, 'g') },
];

const pad = (n: number) => String(n).padStart(2, '0');
export const dayOf = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const validDay = (y: number, m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);

/** First and last day a partial date covers. */
export function bounds(given: string): [string, string] {
  const [y, m, d] = given.split('-').map(Number) as [number, number?, number?];
  if (d) return [given, given];
  if (m) return [dayOf(y, m, 1), dayOf(y, m, daysIn(y, m))];
  return [dayOf(y, 1, 1), dayOf(y, 12, 31)];
}

/** Chinese absolute dates, relative years ("去年3月") and "N天前". `today` is the bank's local date. */
export function chineseMentions(text: string, today: string): { mentions: Mention[]; taken: [number, number][] } {
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  const taken: [number, number][] = [];
  const mentions: Mention[] = [];
  const free = (a: number, b: number) => taken.every(([s, e]) => b <= s || a >= e);
  for (const { kind, re } of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const at = m.index;
      if (!free(at, at + m[0].length)) continue;
      const mention = (from: string, explicitYear: boolean, to = from) => {
        mentions.push({ index: at, text: m[0].trim(), from, to, explicitYear });
        taken.push([at, at + m[0].length]);
      };
      const g = m.slice(1);
      if (kind === 'ymd') {
        const [y, mo, d] = [Number(g[0]), smallNumber(g[2]!), smallNumber(g[3]!)];
        if (validDay(y, mo, d)) mention(dayOf(y, mo, d), true);
      } else if (kind === 'ym') {
        const short = Number(g[0]);
        const y = g[0]!.length === 4 ? short : short + (short <= ty % 100 ? 2000 : 1900);
        const [mo, d] = [smallNumber(g[1]!), g[2] ? smallNumber(g[2]) : undefined];
        if (d !== undefined ? validDay(y, mo, d) : mo >= 1 && mo <= 12) mention(d !== undefined ? dayOf(y, mo, d) : `${y}-${pad(mo)}`, true);
      } else if (kind === 'relYm' || kind === 'y') {
        const rel = kind === 'relYm' ? g[0] : g[1];
        const y = rel ? ty - { 今: 0, 去: 1, 前: 2, 明: -1 }[rel as '今']! : Number(g[0]);
        if (kind === 'y') mention(String(y), !rel);
        else {
          const [mo, d] = [smallNumber(g[1]!), g[2] ? smallNumber(g[2]) : undefined];
          if (d !== undefined ? validDay(y, mo, d) : mo >= 1 && mo <= 12) mention(d !== undefined ? dayOf(y, mo, d) : `${y}-${pad(mo)}`, false);
        }
      } else if (kind === 'md' || kind === 'm') {
        const [mo, d] = [smallNumber(g[0]!), kind === 'md' ? smallNumber(g[1]!) : undefined];
        // The year is settled later (the story's year, or the latest not after today): 2000 is a leap year, so 2月29日 passes here.
        if (d !== undefined ? validDay(2000, mo, d) : mo >= 1 && mo <= 12) mention(d !== undefined ? `XXXX-${pad(mo)}-${pad(d)}` : `XXXX-${pad(mo)}`, false);
      } else {
        const n = smallNumber(g[0]!);
        const unit = g[1]!;
        if (!(n > 0 && n < 100)) continue;
        if (unit === '年') mention(String(ty - n), false);
        else if (unit === '个月') {
          const back = new Date(Date.UTC(ty, tm - 1 - n, 1));
          mention(`${back.getUTCFullYear()}-${pad(back.getUTCMonth() + 1)}`, false);
        } else {
          const back = new Date(Date.UTC(ty, tm - 1, td - n));
          mention(dayOf(back.getUTCFullYear(), back.getUTCMonth() + 1, back.getUTCDate()), false);
        }
      }
    }
  }
  return { mentions, taken };
}

type Resolution = { timex?: string; type?: string; value?: string; start?: string; end?: string };

/** The recognizer's dates (relative ones, English), as mentions; times, durations and repeats are not dates. */
export function recognizerMentions(text: string, locale: SupportedLocale, wall: Date, notTheEvent: readonly string[]): Mention[] {
  const culture = locale === 'en' ? 'en-us' : 'zh-cn';
  let results: ReturnType<typeof recognizeDateTime> = [];
  try {
    results = recognizeDateTime(text, culture, undefined, wall);
  } catch {
    return []; // the recognizers throw on some inputs ("三天前"); the caller tries the clauses one by one
  }
  const out: Mention[] = [];
  for (const r of results) {
    if (!/date/.test(r.typeName) || /duration|set/.test(r.typeName)) continue;
    if (notTheEvent.includes(r.text.trim().toLowerCase())) continue;
    // Bare numbers are amounts, not years ("每月还1648元", "136.8元" read as 8 August 136); absolute years are read above.
    if (locale !== 'en' && !/[年月日号天周昨今刚/-]|星期|礼拜/.test(r.text)) continue;
    // "4/5百", "扣款2/3": a slash between small numbers is a date in Chinese only with 日/号 after it or a year before it.
    if (locale !== 'en' && /^\d{1,2}\/\d{1,2}$/.test(r.text.trim()) && !/^\s*[日号]/.test(text.slice(r.start + r.text.length)) && !/年\s*$/.test(text.slice(0, r.start))) continue;
    const values = ((r.resolution as { values?: Resolution[] } | null)?.values ?? []).filter((v) => (v.timex && !/REF$/.test(v.timex)) || v.timex === 'PAST_REF');
    const v = values[0];
    if (!v?.timex) continue;
    const timex = v.timex === 'PAST_REF' ? (v.value ?? '').slice(0, 10) : v.timex;
    const explicitYear = /^\d{4}/.test(timex) && /\d{4}|\d{2}年/.test(r.text);
    // The customer's own words (the English recognizer lower-cases what it returns).
    const base = { index: r.start, text: text.substr(r.start, r.text.length), explicitYear };
    const day = /^(\d{4}|XXXX)-(\d{2})-(\d{2})/.exec(timex);
    const range = /^\((\d{4}-\d{2}-\d{2}|XXXX-\d{2}-\d{2}),(\d{4}-\d{2}-\d{2}|XXXX-\d{2}-\d{2}),P\d+D\)$/.exec(timex);
    if (range) out.push({ ...base, from: range[1]!, to: range[2]! });
    else if (/^\d{4}-W\d{2}$/.test(timex) && v.start && v.end) {
      const last = new Date(Date.parse(`${v.end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      out.push({ ...base, from: v.start, to: last });
    } else if (day) {
      const time = /[ T](\d{2}:\d{2}(?::\d{2})?)/.exec(v.value ?? v.start ?? '')?.[1];
      const from = `${day[1]}-${day[2]}-${day[3]}`;
      out.push({ ...base, from, to: from, time: time && /TAF|TEV|TMO|TNI/.test(timex) ? undefined : time });
    } else if (/^(\d{4}|XXXX)-\d{2}$/.test(timex)) out.push({ ...base, from: timex, to: timex });
    // A year alone only as a relative word ("去年", "last year"): "三四年" is a duration, "2021年" was read above.
    else if (/^\d{4}$/.test(timex) && (locale === 'en' || /^[今去前明]年/.test(r.text.trim()))) out.push({ ...base, from: timex, to: timex });
  }
  const plausible = (m: Mention) => m.from.startsWith('XXXX') || (Number(m.from.slice(0, 4)) >= 1950 && Number(m.from.slice(0, 4)) <= wall.getFullYear());
  return out.filter(plausible);
}

/** Settles "XXXX" years: the year the story named last before this date, else the latest not after today. */
export function settleYears(mentions: Mention[], today: string): Mention[] {
  const sorted = [...mentions].sort((a, b) => a.index - b.index);
  let storyYear: number | undefined;
  return sorted.map((m) => {
    if (!m.from.startsWith('XXXX')) {
      if (m.explicitYear) storyYear = Number(m.from.slice(0, 4));
      return m;
    }
    const withYear = (y: number) => ({ ...m, from: `${y}${m.from.slice(4)}`, to: `${y}${m.to.slice(4)}` });
    if (storyYear !== undefined && bounds(withYear(storyYear).from)[0] <= today) return withYear(storyYear);
    const thisYear = Number(today.slice(0, 4));
    return bounds(withYear(thisYear).from)[0] <= today ? withYear(thisYear) : withYear(thisYear - 1);
  });
}

/** From the mentions found: the first date (or the start of the period) and the last, no finer than said. */
export function periodOf(mentions: Mention[], today: string, timeZone: string): WhenFound {
  if (mentions.length === 0) return {};
  const spans = mentions.map((m) => ({ m, start: bounds(m.from)[0], end: bounds(m.to)[1] }));
  const past = spans.filter((s) => s.start <= today);
  if (past.length === 0) return { occurredInFuture: true, occurredText: mentions[0]!.text };
  // A bare year that holds a finer date of the story ("2019年…3月10号") says nothing more than that date does;
  // a month stays ("从1月起…1月15日…2月3日" is a period from January).
  const isYear = (m: Mention) => /^\d{4}$/.test(m.from) && m.from === m.to;
  const kept = past.filter((s) => !(isYear(s.m) && past.some((o) => o !== s && !isYear(o.m) && o.start >= s.start && o.end <= s.end)));
  const first = kept.reduce((a, b) => (b.start < a.start ? b : a));
  const last = kept.reduce((a, b) => (b.end > a.end ? b : a));
  const until = last.m.to !== first.m.from ? last.m.to : undefined;
  const text = first === last ? first.m.text : `${first.m.text}…${last.m.text}`;
  const found: WhenFound = { occurredOn: first.m.from, occurredText: text.slice(0, 200) };
  if (until) found.occurredUntil = until;
  if (/^\d{4}-\d{2}-\d{2}$/.test(first.m.from)) found.occurredAt = localTime(first.m.from, first.m.time ?? '00:00:00', timeZone).toISOString();
  return found;
}

/** The bank's local date of an instant. */
export function todayIn(now: Date, timeZone: string): string {
  return localDate(now, timeZone);
}

/** Building an Intl.DateTimeFormat (time-zone data) costs far more than using one: one per time zone is kept. */
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** A Date whose local (process time zone) fields show the wall clock of `timeZone` at `instant`: what the recognizers read. */
export function wallClock(instant: Date, timeZone: string): Date {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    wallClockFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return new Date(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
}
