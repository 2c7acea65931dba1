/**
 * Chooses the language of a turn. In order:
 *  1. a language the customer chose explicitly (remembered in user state);
 *  2. the script of what they just wrote, when it is decisive (traditional
 *     characters → zh-TW, simplified-only characters → zh-CN, Latin text with no
 *     Chinese → en) — customers write in the language they want answers in;
 *  3. the language detected from their earlier messages (remembered);
 *  4. the locale the channel reports (browser language for web chat);
 *  5. zh-CN.
 */
import * as OpenCC from 'opencc-js';
import { DEFAULT_LOCALE, type SupportedLocale } from '../content/schemas';

const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
const HAN = /\p{Script=Han}/u;
const HAN_ALL = /\p{Script=Han}/gu;
const LATIN_WORD = /[A-Za-z]{2,}/g;
/** English words a message needs to turn a Chinese conversation into English. */
const MIN_WORDS_TO_LEAVE_CHINESE = 3;

/** Maps a BCP 47 tag to one of our locales, or undefined when we do not serve it. */
export function normaliseLocale(tag: string | undefined | null): SupportedLocale | undefined {
  if (!tag) return undefined;
  const t = tag.toLowerCase().replace('_', '-');
  if (/^zh-(tw|hk|mo|hant)/.test(t)) return 'zh-TW';
  if (t === 'zh' || t.startsWith('zh-')) return 'zh-CN';
  if (t === 'en' || t.startsWith('en-')) return 'en';
  return undefined;
}

/** The locale the text's script points to, or undefined when the text does not tell. */
export function localeOfText(text: string | undefined): SupportedLocale | undefined {
  if (!text) return undefined;
  const han = text.match(HAN_ALL)?.join('') ?? '';
  if (han.length === 0) {
    // Two or more English-looking words; "ok" or a card tail alone does not decide.
    const words = text.match(LATIN_WORD) ?? [];
    return words.length >= 2 || (words.length === 1 && (words[0]?.length ?? 0) >= 5) ? 'en' : undefined;
  }
  if (toSimplified(han) !== han) return 'zh-TW';
  if (toTraditional(han) !== han) return 'zh-CN';
  return undefined;
}

export function hasHan(text: string): boolean {
  return HAN.test(text);
}

export interface LocaleInputs {
  chosen?: SupportedLocale;
  text?: string;
  detected?: SupportedLocale;
  channelLocale?: string;
}

export function chooseLocale(inputs: LocaleInputs): { locale: SupportedLocale; fromText?: SupportedLocale } {
  const channel = normaliseLocale(inputs.channelLocale);
  let fromText = localeOfText(inputs.text);
  const chinese = [inputs.detected, channel].find((l) => l === 'zh-CN' || l === 'zh-TW');
  // In a Chinese conversation "ok thanks", "asdfgh" or an English swear word is not a wish to switch: it takes a sentence.
  if (fromText === 'en' && chinese && (inputs.text?.match(LATIN_WORD) ?? []).length < MIN_WORDS_TO_LEAVE_CHINESE) fromText = undefined;
  if (!fromText && inputs.text && hasHan(inputs.text)) {
    // Chinese that reads the same in both scripts ("你好"): keep a Chinese locale we already know.
    const known = [inputs.detected, channel].find((l) => l === 'zh-CN' || l === 'zh-TW');
    fromText = known ?? 'zh-CN';
  }
  const locale = inputs.chosen ?? fromText ?? inputs.detected ?? channel ?? DEFAULT_LOCALE;
  return { locale, fromText };
}
