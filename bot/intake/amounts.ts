/**
 * The disputed amount of a story, not every number in it. A story often lists
 * the loan, the instalments and what was repaid before the sum the customer
 * disputes ("借了4万，每期1675元，……多收了我3000元服务费"). Every sum is a candidate;
 * the words around it (`content/policy/story-reading.json`: 扣, 多收, 损失, 被骗,
 * 退, 费 … for, 借, 本金, 每期, 工资 … against) score it, and the best one not
 * below zero is the disputed amount. Phone numbers, dates and counts are never
 * sums (the recognizer needs a currency; a bare number needs a money verb).
 */
import { recognizeCurrency, recognizeNumber } from './recognizers';
import { compileExamples, foldStory, phraseScore, type WeightedPhrase } from './axes';
import type { SupportedLocale } from '../content/schemas';
import type { StoryReading } from '../tickets/policy';

export interface Amount {
  value: number;
  currency: string;
}

interface Candidate extends Amount {
  start: number;
  end: number;
}

const MONEY_VERB = /(?:扣了?|亏损了?|亏了|损失了?|被骗了?|骗了|赔了?|少了|多扣了?|多收了?|付了?|花了?)\s*([\d,.]+|[零〇一二两三四五六七八九十百千万亿]+?)\s*(万|千)?(?:块|元|$|[，。,.！!\s])/g;
/** Where the words that speak about a sum stop: the clause it is in. */
const CLAUSE_END = /[，,。！!？?；;\n]/;

export class AmountReader {
  private readonly disputed: WeightedPhrase[];
  private readonly notDisputed: WeightedPhrase[];

  constructor(reading: StoryReading['amount']) {
    this.disputed = compileExamples(reading.disputed);
    this.notDisputed = compileExamples(reading.notDisputed);
  }

  /** The disputed amount in (simplified) text with phone and card numbers already taken out. */
  disputedAmount(raw: string, locale: SupportedLocale): Amount | undefined {
    // "¥" is the yuan here (the recognizers read it as yen): written as a unit they know.
    const text = raw.replace(/[¥￥]\s*([\d,]+(?:\.\d+)?)/g, locale === 'en' ? '$1 yuan' : '$1元');
    const candidates = [...currencies(text, locale), ...bareAmounts(text)].sort((a, b) => a.start - b.start);
    let best: { c: Candidate; score: number } | undefined;
    const seen: Candidate[] = [];
    for (const c of candidates) {
      if (seen.some((s) => c.start < s.end && s.start < c.end)) continue; // the same words read twice
      seen.push(c);
      const score = this.score(text, c, locale);
      if (score >= 0 && (!best || score > best.score)) best = { c, score };
    }
    return best ? { value: best.c.value, currency: best.c.currency } : undefined;
  }

  private score(text: string, c: Candidate, locale: SupportedLocale): number {
    const before = clauseBefore(text.slice(Math.max(0, c.start - (locale === 'en' ? 40 : 12)), c.start));
    const after = clauseAfter(text.slice(c.end, c.end + (locale === 'en' ? 30 : 8)));
    const around = foldStory(`${before} ${after}`);
    return phraseScore(around, this.disputed) - phraseScore(around, this.notDisputed);
  }
}

function clauseBefore(s: string): string {
  const parts = s.split(CLAUSE_END);
  return parts[parts.length - 1] ?? '';
}

function clauseAfter(s: string): string {
  return s.split(CLAUSE_END)[0] ?? '';
}

function currencies(text: string, locale: SupportedLocale): Candidate[] {
  const culture = locale === 'en' ? 'en-us' : 'zh-cn';
  const out: Candidate[] = [];
  for (const r of safe(() => recognizeCurrency(text, culture)) ?? []) {
    const value = Number((r.resolution as { value?: string }).value);
    if (!Number.isFinite(value) || value <= 0) continue;
    const iso = (r.resolution as { isoCurrency?: string }).isoCurrency;
    const unit = (r.resolution as { unit?: string }).unit;
    // "年利息6分", "月息2厘": a rate, not a sum.
    if (!iso && unit !== 'Dollar') continue;
    // "¥" is yuan here; a bare "$" in a Chinese bank's complaint is most likely USD.
    const currency = iso && iso !== 'JPY' ? iso : unit === 'Dollar' ? 'USD' : 'CNY';
    out.push({ value, currency, start: r.start, end: r.end + 1 });
  }
  return out;
}

/** "亏损了五万", "被骗了两万块": a number after a money verb, without a currency word. */
function bareAmounts(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(MONEY_VERB)) {
    const digits = m[1]!;
    const base = /^[\d,.]+$/.test(digits) ? Number(digits.replace(/,/g, '')) : Number(safe(() => recognizeNumber(digits, 'zh-cn'))?.[0]?.resolution?.value);
    const value = base * (m[2] === '万' ? 10_000 : m[2] === '千' ? 1_000 : 1);
    const start = m.index + m[0].indexOf(digits);
    if (Number.isFinite(value) && value > 0) out.push({ value, currency: 'CNY', start, end: start + digits.length + (m[2]?.length ?? 0) });
  }
  return out;
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined; // the recognizers throw on some inputs: nothing found
  }
}
