/**
 * Fills a complaint record from whatever the customer wrote, so nobody tells
 * their story twice: the nature category (example phrases from policy), the
 * business line and the reason (axes.ts), the disputed amount (amounts.ts),
 * when it happened as precisely as said (when.ts), a named third party
 * (third-party.ts), phone numbers, card tail digits, branch names (from
 * content) and the customer's wish. Traditional Chinese is converted to
 * simplified for the recognizers, which only know simplified.
 */
import * as OpenCC from 'opencc-js';
import type { SupportedLocale } from '../content/schemas';
import { maskPii, type PiiKind } from '../privacy/mask';
import type { ComplaintPolicy, ReasonWeights } from '../tickets/policy';
import { AmountReader } from './amounts';
import { axisScorers, foldStory, type AxisScorer } from './axes';
import { ThirdPartyReader } from './third-party';
import { chineseMentions, periodOf, recognizerMentions, settleYears, todayIn, wallClock, type Mention, type WhenFound } from './when';

const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

export interface Extracted extends WhenFound {
  category?: string;
  /** The category the reason implies, for when the words name none. */
  impliedCategory?: string;
  line?: string;
  reason?: string;
  /** Every reason but "other", most likely first. */
  reasonRanking: string[];
  thirdParty?: string;
  amount?: { value: number; currency: string };
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
const WISH = /(?:希望|要求|请求|請求|诉求|訴求|请你们|請你們|请银行|請銀行|麻烦|麻煩|我想要|我要求|i want(?: you)? to|i want|i would like(?: you)? to|i'd like(?: you)? to|please|(?<!申)请(?!问|您)|(?<!申)請(?!問|您))\s*(.{2,120}?)(?:[。！!；;，,\n]|\.(?=\s|$)|$)/i;
/** What a customer wants, when the story implies it without saying "希望…" (the summary shows it, and they can change it). */
const WISH_WORDS: [RegExp, string][] = [
  [/退款|退钱|退還|退还|返还|返還|refund|money back/i, 'refund'],
  [/赔偿|賠償|compensat/i, 'compensation'],
  [/道歉|apolog/i, 'apology'],
  [/停止(?:骚扰|騷擾|催收|一切)|停催|不要再?(?:骚扰|騷擾|打电话|打電話)|stop (?:calling|harass|contacting)/i, 'stopCollection'],
  [/协商(?:还款|分期)|協商(?:還款|分期)|个性化分期|個性化分期|延期还款|延期還款|停息挂账|停息掛帳|repayment plan/i, 'repaymentPlan'],
  [/更正|修改征信|消除(?:逾期)?记录|删除(?:逾期)?记录|恢复征信|correct (?:my|the) record/i, 'correction'],
  [/撤销|撤銷|注销|註銷|销户|銷戶|退订|退訂|cancel/i, 'cancel'],
  [/降低利[息率]|减免|減免|waive|lower the interest/i, 'reduceCharges'],
  [/解释|解釋|说法|說法|explain|explanation/i, 'explanation'],
];
/** The wishes WISH_WORDS can name (their wording is content: intake.json wish.*). */
export const WISH_IDS = WISH_WORDS.map(([, id]) => id);

/** Validated mainland mobile or landline in what the customer wrote (digits only), if any. */
export function findPhone(text: string): string | undefined {
  const mobile = MOBILE.exec(text)?.[1];
  if (mobile) return mobile.replace(/\D/g, '');
  const land = LANDLINE.exec(text);
  return land ? `${land[1]}-${land[2]}` : undefined;
}

export interface ExtractorOptions {
  /** Learned reason weights to use instead of the published ones (npm run intake:eval -- --train). */
  reasonWeights?: ReasonWeights;
}

export class ComplaintExtractor {
  /** Example phrases lower-cased once: category() runs on every message at the menu. */
  private readonly examples: [string, string[]][];
  private readonly axes: { lines: AxisScorer; reasons: AxisScorer };
  private readonly amounts: AmountReader;
  private readonly thirdParties: ThirdPartyReader;
  private readonly vagueAnswers: string[];

  constructor(
    private readonly policy: ComplaintPolicy,
    options: ExtractorOptions = {},
  ) {
    this.examples = Object.entries(policy.categories).map(([id, rule]) => [id, rule.examples.map((e) => e.toLowerCase())]);
    this.axes = axisScorers(policy.lines, policy.reasons, options.reasonWeights ?? policy.reasonWeights);
    this.amounts = new AmountReader(policy.storyReading.amount);
    this.thirdParties = new ThirdPartyReader(policy.storyReading.thirdParty);
    const { time, answers } = policy.storyReading;
    this.vagueAnswers = [...time.vague, ...answers.unknown].map((p) => foldStory(p).trim());
  }

  extract(text: string, locale: SupportedLocale, now: Date): Extracted {
    const original = text.slice(0, 5000);
    const simplified = locale === 'en' ? original : toSimplified(original);
    const masked = maskPii(original);
    const folded = foldStory(original);
    const category = this.category(simplified);
    const reasonRead = this.axes.reasons.read(folded);
    const reason = reasonRead.id ?? (category ? this.policy.categories[category]?.reason : undefined);
    const out: Extracted = {
      piiFound: masked.found,
      maskedText: masked.text,
      category,
      line: this.axes.lines.read(folded).id,
      reason,
      impliedCategory: reason ? this.policy.reasons.reasons[reason]?.category : undefined,
      reasonRanking: reasonRead.ranked,
      thirdParty: this.thirdParties.find(simplified),
    };
    // Phone and card numbers are not dates or amounts ("0755-8…" reads as a date to the recognizers).
    const numbersOut = simplified.replace(new RegExp(MOBILE.source, 'g'), ' ').replace(new RegExp(LANDLINE.source, 'g'), ' ').replace(new RegExp(FULL_CARD.source, 'g'), ' ');
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

  /** The business line and the reason alone (an answer to the category question). */
  axesOf(text: string): { line?: string; reason?: string } {
    const folded = foldStory(text);
    return { line: this.axes.lines.read(folded).id, reason: this.axes.reasons.read(folded).id };
  }

  /** The disputed amount (text with phone and card numbers taken out). */
  amount(text: string, locale: SupportedLocale): Extracted['amount'] {
    return this.amounts.disputedAmount(text, locale);
  }

  /** When it happened, as precisely as said, read relative to now in the bank's time zone. */
  when(text: string, locale: SupportedLocale, now: Date): WhenFound {
    const tz = this.policy.timeLimits.timezone;
    const today = todayIn(now, tz);
    const wall = wallClock(now, tz);
    const notTheEvent = this.policy.storyReading.time.notTheEvent;
    // Answers to the date question arrive as typed: the recognizers only read simplified Chinese.
    const head = (locale === 'en' ? text : toSimplified(text)).slice(0, 1000);
    const { mentions, taken } = chineseMentions(head, today);
    const outside = (m: Mention) => taken.every(([s, e]) => m.index + m.text.length <= s || m.index >= e);
    let found = recognizerMentions(head.slice(0, 500), locale, wall, notTheEvent).filter(outside);
    if (found.length === 0 && mentions.length === 0) {
      // The recognizer sometimes misses a date followed by other words ("昨天下午我在ATM取款") or throws on a clause: try each.
      // A clause already read (the whole text, a repeated word) found nothing then and would find nothing now: each costs a parse.
      const tried = new Set([head.slice(0, 500)]);
      for (const clause of head.slice(0, 500).split(/[，。,.!！？?；;\s]+|(?=我|在)/)) {
        if (!clause || tried.has(clause)) continue;
        tried.add(clause);
        found = recognizerMentions(clause, locale, wall, notTheEvent);
        if (found.length > 0) break;
      }
    }
    const period = periodOf(settleYears([...mentions, ...found], today), today, tz);
    if (period.occurredOn || period.occurredInFuture) return period;
    // "前几天", "最近": a time without a date, recorded as said.
    const lower = head.toLowerCase();
    const vague = this.policy.storyReading.time.vague.find((p) => lower.includes(p.toLowerCase()));
    return vague ? { occurredText: vague } : {};
  }

  /** A time the customer cannot or will not give precisely ("不记得了", "大概上个月"), for the date question. */
  isVagueTime(text: string): boolean {
    const folded = foldStory(text);
    return this.vagueAnswers.some((p) => folded.includes(p));
  }

  wish(text: string): string | undefined {
    const said = WISH.exec(text)?.[1]?.trim();
    if (said && said.length >= 2) return maskPii(said).text;
    for (const [pattern, word] of WISH_WORDS) if (pattern.test(text)) return word;
    return undefined;
  }
}

