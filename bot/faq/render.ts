/**
 * Answers as customers read them: registered in i18next as namespace `faq`
 * (key = entry id), with the placeholders filled from content/policy at render
 * time, so a changed time limit or office hour changes every answer at once.
 */
import type { i18n } from 'i18next';
import { SUPPORTED_LOCALES, type Branding, type SupportedLocale } from '../content/schemas';
import type { Translator } from '../content/i18n';
import type { ComplaintPolicy } from '../tickets/policy';
import type { FaqEntry, FaqPlaceholder } from './schema';

export const FAQ_NAMESPACE = 'faq';

/**
 * The namespace `faq` of one locale: the texts of content/locales/<locale>/faq.json (if any) and
 * every answer under its entry id (the loader refuses an id that is also one of those keys).
 */
export function faqNamespace(entries: FaqEntry[], locale: SupportedLocale, localeTexts: object | undefined): Record<string, unknown> {
  return { ...(localeTexts ?? {}), ...Object.fromEntries(entries.map((e) => [e.id, e.answer[locale]])) };
}

export interface FaqRenderPolicy {
  complaints: Pick<ComplaintPolicy, 'timeLimits' | 'officeHours'>;
  branding: Pick<Branding, 'name'>;
}

export function faqPlaceholderValues(policy: FaqRenderPolicy, locale: SupportedLocale): Record<FaqPlaceholder, string | number> {
  const { timeLimits, officeHours } = policy.complaints;
  return {
    regulatoryDays: timeLimits.regulatoryCalendarDays,
    internalWorkingDays: timeLimits.internalWorkingDays.general,
    appealWindowDays: timeLimits.reopenWithinCalendarDays,
    appealAnswerDays: timeLimits.appealAnswerCalendarDays,
    callbackHours: officeHours.callbackWithinWorkingHours,
    openTime: officeHours.open,
    closeTime: officeHours.close,
    bankName: policy.branding.name[locale],
  };
}

/** The answer of an entry in a locale, placeholders filled. Throws (Translator) for an unknown id. */
export function renderFaqAnswer(t: Translator, id: string, locale: SupportedLocale, policy: FaqRenderPolicy): string {
  return t.t(locale, `${FAQ_NAMESPACE}:${id}`, faqPlaceholderValues(policy, locale));
}

/**
 * Puts (new) answers into a running i18next: the content reload of the FAQ.
 * `localeTexts` are the texts of content/locales/<locale>/faq.json, kept beside the answers.
 */
export function publishFaqAnswers(instance: i18n, entries: FaqEntry[], localeTexts: (locale: SupportedLocale) => object | undefined): void {
  for (const locale of SUPPORTED_LOCALES) {
    instance.addResourceBundle(locale, FAQ_NAMESPACE, faqNamespace(entries, locale, localeTexts(locale)), false, true);
  }
}
