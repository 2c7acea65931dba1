/**
 * Text → retrieval terms. One normalisation for the knowledge base and for
 * messages: the recognizer's fold (width, case, traditional → simplified,
 * punctuation; bot/understanding/normalise.ts), then synonyms rewritten to one
 * form, then three kinds of term: words (Intl.Segmenter's dictionary for Chinese
 * without spaces, spaces for English), Chinese character pairs and single
 * Chinese characters, all without the stopwords. Words carry meaning; pairs and characters survive typos
 * and segmenter mistakes ("卡让ATM吞了" still shares 吞, ATM, 卡 with "吞卡").
 */
import { CLAUSE_MARK, foldText, foldPhrase, isLatin } from '../understanding/normalise';
import type { FaqSearchPolicy } from './schema';

export type TermKind = 'word' | 'bigram' | 'char' | 'letter';
/** Terms carry their kind as a prefix, so one index holds all three without a word colliding with a character pair. */
export const KIND_OF_PREFIX: Record<string, TermKind> = { w: 'word', b: 'bigram', c: 'char', l: 'letter' };

const HAN = /\p{Script=Han}/u;
const PLAIN_TERM = /\p{Script=Han}|[a-z0-9]+/gu;
const segmenter = new Intl.Segmenter('zh-CN', { granularity: 'word' });

export class Analyser {
  private readonly rewrite: RegExp | undefined;
  private readonly canonical = new Map<string, string>();
  private readonly stopwords: Set<string>;

  constructor(policy: Pick<FaqSearchPolicy, 'synonyms' | 'stopwords'>) {
    for (const group of policy.synonyms) {
      const [first, ...rest] = group.map(foldPhrase);
      for (const form of rest) if (form && first && form !== first) this.canonical.set(form, first);
    }
    // One pass, longest form first, so that a rewritten form is never rewritten again (卡被吞 → 吞卡, not 吞 + 卡被吞).
    const forms = [...this.canonical.keys()].sort((a, b) => b.length - a.length);
    if (forms.length > 0) {
      const alternatives = forms.map((f) => (isLatin(f) ? `(?<= )${escape(f)}(?= )` : escape(f)));
      this.rewrite = new RegExp(alternatives.join('|'), 'g');
    }
    // Width and case only: OpenCC converts a lone character by its own table (么 → 幺), not as it does inside a message.
    this.stopwords = new Set(policy.stopwords.map((w) => w.normalize('NFKC').toLowerCase().trim()));
  }

  /** Folded text with synonyms rewritten: " 吞卡 怎么办 ". */
  normalise(text: string): string {
    const folded = foldText(text).split(` ${CLAUSE_MARK} `).join(' ');
    return this.rewrite ? folded.replace(this.rewrite, (m) => this.canonical.get(m) ?? m) : folded;
  }

  /**
   * A second, plainer reading for the cross-check (faq-index.ts): every Chinese character and Latin word of the
   * folded text with its count, without synonyms or stopwords — it errs differently from terms(), which is the point.
   */
  plain(text: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const m of foldText(text).matchAll(PLAIN_TERM)) out.set(m[0], (out.get(m[0]) ?? 0) + 1);
    return out;
  }

  /**
   * The distinct terms of a text, prefixed by kind (w:, b:, c:). Character pairs and characters come from the
   * runs of Chinese between stopwords, so that a filler (怎么, 是什么, 我想) neither counts itself nor joins its
   * neighbours into pairs (是什, 么意).
   */
  terms(text: string): string[] {
    const normal = this.normalise(text);
    const out = new Set<string>();
    const add = (kind: string, text: string) => {
      if (!this.stopwords.has(text)) out.add(`${kind}:${text}`);
    };
    let run: string[] = [];
    const flush = () => {
      run.forEach((c, i) => {
        add('c', c);
        if (i > 0) add('b', `${run[i - 1]}${c}`);
      });
      run = [];
    };
    for (const { segment, isWordLike } of segmenter.segment(normal)) {
      if (!isWordLike || this.stopwords.has(segment)) {
        flush();
        continue;
      }
      if (/^[a-z0-9]/.test(segment)) {
        flush();
        add('w', stem(segment));
        // Letters of Latin words as characters too: product names typed loosely (mipay, samsungpay) still meet.
        for (const letter of new Set(segment)) add('l', letter);
        continue;
      }
      const chars = [...segment];
      add('w', segment);
      for (const c of chars) if (HAN.test(c)) run.push(c); else flush();
    }
    flush();
    return [...out];
  }
}

/** Plural and simple verb endings, so that "cards" meets "card" and "blocked" meets "block"; nothing cleverer. */
export function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 3 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function kindOf(term: string): TermKind {
  return KIND_OF_PREFIX[term[0] ?? 'w'] ?? 'word';
}
