/**
 * Reading the answer to one intake question into the record: a date (or a
 * vague time, recorded as said), an amount, a wish, a phone number, what the
 * complaint is about. Pure apart from the record it fills; says whether the
 * answer was taken, left out at the customer's word ("跳过"), or unusable.
 */
import { findPhone, type ComplaintExtractor } from '../../bot/intake/extract';
import { maskPii } from '../../bot/privacy/mask';
import type { SupportedLocale } from '../../bot/content/schemas';
import { SUPPORTED_LOCALES } from '../../bot/content/schemas';
import { foldStory } from '../../bot/intake/axes';
import type { ComplaintPolicy } from '../../bot/tickets/policy';
import type { AnswerWords } from '../words';
import { MAX_AMOUNT, skip, type IntakeRecord } from './record';

export type AnswerOutcome = 'taken' | 'skipped' | 'retry' | 'future';
export type AnsweredStep = 'category' | 'when' | 'amount' | 'wish' | 'contact';

/** Letters or digits in any script: emoji and punctuation alone say nothing we can record. */
export function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** The reasons the category question offers: the most likely ones from the story first, then "other". */
export function categoryChoices(record: IntakeRecord, policy: ComplaintPolicy): string[] {
  const known = Object.keys(policy.reasons.reasons).filter((id) => id !== 'other');
  const ranked = [...new Set([...(record.reasonGuesses ?? []), ...known])].filter((id) => known.includes(id));
  return [...ranked.slice(0, policy.reasons.choices), 'other'];
}

export class FieldAnswers {
  private readonly said: Record<'skip' | 'unknown' | 'other', Set<string>>;

  constructor(
    private readonly extractor: ComplaintExtractor,
    private readonly words: AnswerWords,
    private readonly policy: ComplaintPolicy,
    /** A text of the intake namespace in a language (labels of reasons, lines, categories). */
    private readonly label: (locale: SupportedLocale, key: string) => string,
  ) {
    const set = (list: string[]) => new Set(list.map((p) => foldStory(p).trim()));
    const { answers } = policy.storyReading;
    this.said = { skip: set(answers.skip), unknown: set(answers.unknown), other: set(answers.other) };
  }

  private is(kind: 'skip' | 'unknown' | 'other', text: string): boolean {
    return this.said[kind].has(foldStory(text).trim());
  }

  apply(step: AnsweredStep, text: string, record: IntakeRecord, locale: SupportedLocale, now: Date): AnswerOutcome {
    if (this.is('skip', text) && step !== 'contact') {
      skip(record, step);
      return 'skipped';
    }
    switch (step) {
      case 'category':
        return this.category(text, record);
      case 'when': {
        const found = this.extractor.when(text, locale, now);
        if (found.occurredInFuture) return 'future';
        if (!found.occurredOn && !this.extractor.isVagueTime(text)) return 'retry';
        // Kept as said ("大概上个月", "不记得了"): the date, if any, no finer than the customer gave it.
        record.occurredAt = found.occurredAt;
        record.occurredOn = found.occurredOn;
        record.occurredUntil = found.occurredUntil;
        record.occurredText = maskPii(text.trim()).text.slice(0, 100);
        return 'taken';
      }
      case 'amount': {
        if (this.words.is('none', text)) {
          record.amount = null;
          return 'taken';
        }
        if (this.is('unknown', text)) {
          skip(record, 'amount');
          return 'taken';
        }
        const amount = this.extractor.amount(text, locale) ?? plainNumber(text);
        if (!amount || amount.value <= 0 || amount.value > MAX_AMOUNT) return 'retry';
        record.amount = amount;
        return 'taken';
      }
      case 'wish':
        if (!hasWords(text)) return 'retry';
        // Kept in the customer's own words (masked): "how would you like us to resolve this?" is theirs to say.
        record.wish = maskPii(text).text.slice(0, 1000);
        return 'taken';
      case 'contact': {
        if (this.words.is('anonymous', text) || this.is('skip', text)) {
          record.phone = null;
          return 'taken';
        }
        const phone = findPhone(text);
        if (!phone) return 'retry';
        record.phone = phone;
        return 'taken';
      }
    }
  }

  /** A choice by its number or label (any language), a line or reason named in other words, or "other". */
  private category(text: string, record: IntakeRecord): AnswerOutcome {
    const trimmed = text.trim();
    const choices = categoryChoices(record, this.policy);
    const n = Number(trimmed);
    const labelled = (prefix: string, ids: string[]) => ids.find((id) => SUPPORTED_LOCALES.some((l) => this.label(l, `${prefix}.${id}`) === trimmed));
    let reason = /^\d{1,2}$/.test(trimmed) && n >= 1 && n <= choices.length ? choices[n - 1] : labelled('reason', Object.keys(this.policy.reasons.reasons));
    if (!reason && (this.is('other', text) || this.is('unknown', text))) reason = 'other';
    const line = reason ? undefined : labelled('line', Object.keys(this.policy.lines.lines));
    const category = reason || line ? undefined : labelled('category', Object.keys(this.policy.categories)) ?? this.extractor.category(text);
    const read = reason || line || category ? {} : this.extractor.axesOf(text);
    record.reason = reason ?? read.reason ?? (category ? this.policy.categories[category]?.reason : undefined) ?? record.reason;
    record.line = line ?? read.line ?? record.line;
    if (!record.reason && !record.line) return 'retry';
    record.category ??= category ?? (record.reason && record.reason !== 'other' ? this.policy.reasons.reasons[record.reason]?.category : undefined);
    return 'taken';
  }
}

function plainNumber(text: string): { value: number; currency: string } | undefined {
  const m = /^\s*[¥￥$]?\s*([\d,]+(?:\.\d+)?)\s*(元|块|塊|yuan|rmb|cny)?\s*$/i.exec(text);
  return m ? { value: Number(m[1]!.replace(/,/g, '')), currency: 'CNY' } : undefined;
}
