/**
 * i18next over the validated content. Dialogs and adapters see only the
 * `Translator` interface: every customer-facing sentence goes through it.
 */
import i18next, { type i18n } from 'i18next';
import type { Content } from './loader';
import { FAQ_NAMESPACE, faqNamespace } from '../faq/render';
import { DEFAULT_LOCALE, SUPPORTED_LOCALES, type SupportedLocale } from './schemas';

export interface Translator {
  /** `key` is "namespace:path.to.text" or "path.to.text" in the common namespace. */
  t(locale: SupportedLocale, key: string, vars?: Record<string, unknown>): string;
}

export function createI18n(content: Content): i18n {
  const instance = i18next.createInstance();
  const resources: Record<string, Record<string, unknown>> = {};
  for (const locale of SUPPORTED_LOCALES) resources[locale] = { ...content.locales[locale] };
  // FAQ answers join the namespace `faq` (key = entry id), beside any texts of content/locales/*/faq.json.
  for (const locale of SUPPORTED_LOCALES) {
    resources[locale]![FAQ_NAMESPACE] = faqNamespace(content.faq.entries, locale, content.locales[locale][FAQ_NAMESPACE]);
  }
  void instance.init({
    resources,
    lng: DEFAULT_LOCALE,
    fallbackLng: false,
    supportedLngs: [...SUPPORTED_LOCALES],
    // zh-CN and zh-TW are distinct languages here; never fall back from one to the other.
    load: 'currentOnly',
    nonExplicitSupportedLngs: false,
    ns: [...new Set([...content.namespaces, FAQ_NAMESPACE])],
    defaultNS: 'common',
    initAsync: false,
    returnNull: false,
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  } as Parameters<i18n['init']>[0]);
  return instance;
}

/**
 * Puts a new version's texts into a running i18next (a published content version): each namespace is replaced
 * whole, so a text removed from the version is gone too. A turn running meanwhile reads either the old or the new
 * text of a key, never a missing one, because each namespace is swapped in one synchronous step.
 */
export function replaceTexts(instance: i18n, content: Content): void {
  for (const locale of SUPPORTED_LOCALES) {
    const namespaces = new Set([...content.namespaces, FAQ_NAMESPACE]);
    for (const ns of namespaces) {
      const tree = ns === FAQ_NAMESPACE ? faqNamespace(content.faq.entries, locale, content.locales[locale][FAQ_NAMESPACE]) : content.locales[locale][ns] ?? {};
      instance.removeResourceBundle(locale, ns);
      instance.addResourceBundle(locale, ns, tree, false, true);
    }
  }
}

/** What i18next returns for a key it does not have; no content text can be this (a NUL character). */
const MISSING = '\u0000missing';

export class I18nTranslator implements Translator {
  constructor(private readonly i18n: i18n) {}

  t(locale: SupportedLocale, key: string, vars: Record<string, unknown> = {}): string {
    // One lookup, not exists() and then t(): a missing key comes back as the marker (a turn makes dozens of these calls).
    const text = this.i18n.t(key, { lng: locale, ...vars, defaultValue: MISSING }) as string;
    if (text === MISSING) throw new Error(`Missing text "${key}" for ${locale}`);
    return text;
  }
}
