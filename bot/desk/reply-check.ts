/**
 * A staff reply is checked for the forbidden service phrases (服务禁语) before
 * it is sent; a reply that holds one is refused and the staff member is
 * offered a better wording, in the customer's language, from
 * policy/desk.json `suggestions`, by the phrase's group (texts in
 * locales/<lng>/desk.json `better.*`).
 */
import type { Translator } from '../content/i18n';
import { findForbiddenPhrases } from '../content/loader';
import type { SupportedLocale } from '../content/schemas';
import { forbiddenPhraseGroupOf, type ServicePhrases } from '../content/service-phrases';
import type { DeskPolicy } from './policy';

export interface PhraseHit {
  /** The forbidden phrase as it appears in the reply. */
  phrase: string;
  /** A better sentence to say instead, in the customer's language. */
  suggestion: string;
}

/** The loader marks a rude form of address with this suffix ("喂（称呼）"): the reply itself holds only "喂". */
const ADDRESS_MARK = '（称呼）';

export class ReplyCheck {
  constructor(
    private readonly phrases: ServicePhrases,
    private readonly policy: Pick<DeskPolicy, 'suggestions' | 'defaultSuggestion'>,
    private readonly translator: Translator,
  ) {}

  /** The forbidden phrases in `text`, each with a better wording; empty when the reply may go. */
  check(text: string, locale: SupportedLocale): PhraseHit[] {
    // Also with spaces and invisible characters taken out: "我 不知道" is the same phrase to the customer.
    const squeezed = text.replace(/[\s\u200b-\u200d\u2060\ufeff]+/g, '');
    const hits = [...findForbiddenPhrases(text, this.phrases), ...findForbiddenPhrases(squeezed, this.phrases)]
      .map((hit) => (hit.endsWith(ADDRESS_MARK) ? hit.slice(0, -ADDRESS_MARK.length) : hit));
    return [...new Set(hits)].map((phrase) => {
      const group = forbiddenPhraseGroupOf(phrase);
      const use = this.policy.suggestions.find((s) => s.group === group)?.use ?? this.policy.defaultSuggestion;
      return { phrase, suggestion: this.translator.t(locale, `desk:better.${use}`) };
    });
  }
}
