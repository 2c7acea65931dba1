/**
 * Reading the answer to one intake question into the record: a date, an
 * amount, a wish, a phone number, a category. Pure apart from the record it
 * fills; says whether to ask again and why.
 */
import { findPhone, type ComplaintExtractor } from '../../bot/intake/extract';
import { maskPii } from '../../bot/privacy/mask';
import type { SupportedLocale } from '../../bot/content/schemas';
import { SUPPORTED_LOCALES } from '../../bot/content/schemas';
import type { AnswerWords } from '../words';
import { MAX_AMOUNT, type IntakeRecord } from './record';

export type AnswerOutcome = 'taken' | 'retry' | 'future';
export type AnsweredStep = 'category' | 'when' | 'amount' | 'wish' | 'contact';

/** Letters or digits in any script: emoji and punctuation alone say nothing we can record. */
export function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

export class FieldAnswers {
  constructor(
    private readonly extractor: ComplaintExtractor,
    private readonly words: AnswerWords,
    private readonly categories: string[],
    private readonly categoryName: (locale: SupportedLocale, id: string) => string,
  ) {}

  apply(step: AnsweredStep, text: string, record: IntakeRecord, locale: SupportedLocale, now: Date): AnswerOutcome {
    switch (step) {
      case 'category': {
        const picked = this.category(text);
        if (!picked) return 'retry';
        record.category = picked;
        return 'taken';
      }
      case 'when': {
        const found = this.extractor.when(text, locale, now);
        if (!found.occurredAt) return 'retry';
        if (found.occurredInFuture) return 'future';
        record.occurredAt = found.occurredAt;
        record.occurredText = found.occurredText;
        return 'taken';
      }
      case 'amount': {
        if (this.words.is('none', text)) {
          record.amount = null;
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
        if (this.words.is('anonymous', text)) {
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

  /** A category by its label (any language), its number in the list, or recognised from the words. */
  private category(text: string): string | undefined {
    const trimmed = text.trim();
    const n = Number(trimmed);
    if (/^\d{1,2}$/.test(trimmed) && n >= 1 && n <= this.categories.length) return this.categories[n - 1];
    return this.categories.find((id) => SUPPORTED_LOCALES.some((l) => this.categoryName(l, id) === trimmed)) ?? this.extractor.category(text);
  }
}

function plainNumber(text: string): { value: number; currency: string } | undefined {
  const m = /^\s*[¥￥$]?\s*([\d,]+(?:\.\d+)?)\s*(元|块|塊|yuan|rmb|cny)?\s*$/i.exec(text);
  return m ? { value: Number(m[1]!.replace(/,/g, '')), currency: 'CNY' } : undefined;
}
