/**
 * Fills a complaint record from whatever the customer wrote, so nobody tells
 * their story twice: category (example phrases from policy), amounts and dates
 * (Microsoft's recognizers, which read Chinese: 五千元, 3万元, 昨天下午, 上周五),
 * phone numbers, card tail digits, branch names (from content) and the
 * customer's wish. Traditional Chinese is converted to simplified for the
 * recognizers, which only know simplified.
 */
import * as OpenCC from 'opencc-js';
import { recognizeCurrency, recognizeDateTime, recognizeNumber } from './recognizers';
import type { SupportedLocale } from '../content/schemas';
import { maskPii, type PiiKind } from '../privacy/mask';
import type { ComplaintPolicy } from '../tickets/policy';
import { localTime } from '../tickets/calendar';

const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

export interface Extracted {
  category?: string;
  amount?: { value: number; currency: string };
  occurredAt?: string; // ISO instant
  occurredText?: string;
  occurredInFuture?: boolean;
  phone?: string;
  cardTail?: string;
  branch?: string;
  wish?: string;
  /** Kinds of sensitive data the customer typed (masked in `maskedText`). */
  piiFound: PiiKind[];
  maskedText: string;
}

const MOBILE = /(?<!\d)(?:\+?86[ -]?)?(1[3-9]\d[ -]?\d{4}[ -]?\d{4})(?!\d)/;
const LANDLINE = /(?<!\d)(0\d{2,3})[ -]?(\d{7,8})(?!\d)/;
const CARD_TAIL = /(?:尾号|尾號|末四位|后四位|後四位|ending(?: in)?|last (?:4|four) digits(?: are| is)?|tail)\s*[:：是为為]?\s*(\d{4})(?!\d)/i;
const FULL_CARD = /(?<![\dA-Za-z-])[1-9](?:[ -]?\d){11,18}(?!\d)/;
const WISH = /(?:希望|要求|请求|請求|请你们|請你們|请银行|請銀行|麻烦|麻煩|我想要|我要求|i want(?: you)? to|i want|i would like(?: you)? to|i'd like(?: you)? to|please|请(?!问|您)|請(?!問|您))\s*(.{2,120}?)(?:[。！!；;，,\n]|\.(?=\s|$)|$)/i;
const MONEY_VERB = /(?:扣了?|亏损了?|虧損了?|损失了?|損失了?|被骗了?|被騙了?|赔了?|賠了?|少了|多扣了?|付了?|花了?)\s*([\d,.]+|[零〇一二两兩三四五六七八九十百千万萬亿億]+?)\s*(万|萬|千)?(?:块|塊|元|$|[，。,.！!\s])/;
const WISH_WORDS: [RegExp, string][] = [
  [/退款|退钱|退還|退还|返还|返還|refund|money back/i, 'refund'],
  [/赔偿|賠償|compensat/i, 'compensation'],
  [/道歉|apolog/i, 'apology'],
];

/** Validated mainland mobile or landline in what the customer wrote (digits only), if any. */
export function findPhone(text: string): string | undefined {
  const mobile = MOBILE.exec(text)?.[1];
  if (mobile) return mobile.replace(/\D/g, '');
  const land = LANDLINE.exec(text);
  return land ? `${land[1]}-${land[2]}` : undefined;
}

export class ComplaintExtractor {
  /** Example phrases lower-cased once: category() runs on every message at the menu. */
  private readonly examples: [string, string[]][];

  constructor(private readonly policy: ComplaintPolicy) {
    this.examples = Object.entries(policy.categories).map(([id, rule]) => [id, rule.examples.map((e) => e.toLowerCase())]);
  }

  extract(text: string, locale: SupportedLocale, now: Date): Extracted {
    const original = text.slice(0, 5000);
    const simplified = locale === 'en' ? original : toSimplified(original);
    const masked = maskPii(original);
    const out: Extracted = { piiFound: masked.found, maskedText: masked.text };

    // Phone and card numbers are not dates or amounts ("0755-8…" reads as a date to the recognizers).
    const numbersOut = simplified.replace(new RegExp(MOBILE.source, 'g'), ' ').replace(new RegExp(LANDLINE.source, 'g'), ' ').replace(new RegExp(FULL_CARD.source, 'g'), ' ');
    out.category = this.category(simplified);
    out.amount = this.amount(numbersOut, locale);
    Object.assign(out, this.when(numbersOut, locale, now));
    out.phone = findPhone(original);
    const fullCard = FULL_CARD.exec(original.replace(MOBILE, ' '))?.[0]?.replace(/\D/g, '');
    const maskedCard = /\*{4}(\d{4})(?!\d)/.exec(original)?.[1]; // a card number a channel already masked
    out.cardTail = CARD_TAIL.exec(original)?.[1] ?? (fullCard && fullCard.length >= 12 ? fullCard.slice(-4) : maskedCard);
    out.branch = this.policy.branches.find((b) => [...Object.values(b.name), ...b.aliases].some((n) => original.toLowerCase().includes(n.toLowerCase())))?.id;
    out.wish = this.wish(original);
    return out;
  }

  /** The category whose example phrases occur most (longer phrases weigh more). */
  category(text: string): string | undefined {
    const lower = text.toLowerCase();
    let best: { id: string; score: number } | undefined;
    for (const [id, examples] of this.examples) {
      const score = examples.reduce((s, e) => (lower.includes(e) ? s + e.length : s), 0);
      if (score > 0 && (!best || score > best.score)) best = { id, score };
    }
    return best?.id;
  }

  amount(text: string, locale: SupportedLocale): Extracted['amount'] {
    const culture = locale === 'en' ? 'en-us' : 'zh-cn';
    // "¥" is the yuan here (the recognizers read it as yen): write it as a unit they know.
    const normalised = text.replace(/[¥￥]\s*([\d,]+(?:\.\d+)?)/g, locale === 'en' ? '$1 yuan' : '$1元');
    for (const candidate of safe(() => recognizeCurrency(normalised, culture)) ?? []) {
      const value = Number((candidate.resolution as { value?: string }).value);
      if (!Number.isFinite(value)) continue;
      const iso = (candidate.resolution as { isoCurrency?: string }).isoCurrency;
      // "¥" is yuan here; a bare "$" in a Chinese bank's complaint is most likely USD.
      const currency = iso && iso !== 'JPY' ? iso : (candidate.resolution as { unit?: string }).unit === 'Dollar' ? 'USD' : 'CNY';
      return { value, currency };
    }
    return this.bareAmount(normalised);
  }

  /** "亏损了五万", "被骗了两万块": a number after a money verb, without a currency word. */
  private bareAmount(text: string): Extracted['amount'] {
    const m = MONEY_VERB.exec(text);
    if (!m) return undefined;
    const base = /^[\d,.]+$/.test(m[1]!) ? Number(m[1]!.replace(/,/g, '')) : Number(safe(() => recognizeNumber(m[1]!, 'zh-cn'))?.[0]?.resolution?.value);
    const value = base * (m[2] === '万' || m[2] === '萬' ? 10_000 : m[2] === '千' ? 1_000 : 1);
    return Number.isFinite(value) && value > 0 ? { value, currency: 'CNY' } : undefined;
  }

  /** When it happened, read relative to now in the bank's time zone. */
  when(text: string, locale: SupportedLocale, now: Date): Pick<Extracted, 'occurredAt' | 'occurredText' | 'occurredInFuture'> {
    const tz = this.policy.timeLimits.timezone;
    const wall = shiftToWallClock(now, tz);
    const culture = locale === 'en' ? 'en-us' : 'zh-cn';
    const tryText = (t: string) =>
      (safe(() => recognizeDateTime(t, culture, undefined, wall)) ?? []).filter((r) => /date|datetime/.test(r.typeName) && !/duration|set/.test(r.typeName));
    const head = text.slice(0, 500);
    let found = tryText(head);
    if (found.length === 0) {
      // The recognizers sometimes miss a date followed by other words ("昨天下午我在ATM取款"): try each clause.
      // A clause already read (the whole text, a repeated word) found nothing then and would find nothing now: each costs a parse.
      const tried = new Set([head]);
      for (const clause of head.split(/[，。,.!！？?；;\s]+|(?=我|在)/)) {
        if (!clause || tried.has(clause)) continue;
        tried.add(clause);
        found = tryText(clause);
        if (found.length > 0) break;
      }
    }
    const first = found[0];
    if (!first) return {};
    // Only calendar dates (with or without a time): "快一点" reads as one o'clock and durations as "PT2H", neither of which is a day.
    const values = ((first.resolution as { values?: { value?: string; start?: string }[] }).values ?? [])
      .map((v) => v.value ?? v.start)
      .filter((v): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2})?$/.test(v));
    // Of ambiguous dates ("11月20日": this year or next), the latest one not after now.
    const instants = values.map((v) => fromWallClock(v.length === 10 ? `${v} 00:00:00` : v, tz)).filter((d) => !Number.isNaN(d.getTime()));
    const past = instants.filter((d) => d.getTime() <= now.getTime()).sort((a, b) => b.getTime() - a.getTime());
    const chosen = past[0] ?? instants[0];
    if (!chosen) return {};
    return { occurredAt: chosen.toISOString(), occurredText: first.text, occurredInFuture: past.length === 0 };
  }

  wish(text: string): string | undefined {
    const said = WISH.exec(text)?.[1]?.trim();
    if (said && said.length >= 2) return maskPii(said).text;
    for (const [pattern, word] of WISH_WORDS) if (pattern.test(text)) return word;
    return undefined;
  }
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined; // the recognizers throw on some inputs ("三天前"): treat as nothing found
  }
}

/** Building an Intl.DateTimeFormat (time-zone data) costs far more than using one: one per time zone is kept. */
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();
function wallClockFormat(tz: string): Intl.DateTimeFormat {
  let format = wallClockFormats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    wallClockFormats.set(tz, format);
  }
  return format;
}

/** A Date whose local (process time zone) fields show the wall clock of `tz` at `instant`: what the recognizers read. */
function shiftToWallClock(instant: Date, tz: string): Date {
  const parts = Object.fromEntries(
    wallClockFormat(tz)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return new Date(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
}

/** "YYYY-MM-DD HH:mm:ss" on the wall clock of `tz` → the instant. */
function fromWallClock(value: string, tz: string): Date {
  const [date = '', time = '00:00:00'] = value.split(' ');
  return localTime(date, time, tz);
}
