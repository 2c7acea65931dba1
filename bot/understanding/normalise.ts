/**
 * The one normalisation every phrase and every message goes through, so that a
 * phrase list written in one form matches every way of typing it: full/half
 * width (NFKC), case, traditional → simplified (opencc), punctuation as a
 * separator. The result is padded with spaces so that Latin phrases can be
 * matched on word boundaries with a plain `includes(' word ')`.
 */
import * as OpenCC from 'opencc-js';

const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
const PUNCTUATION = /[\p{P}\p{S}]+/gu;
/** Ends of a clause, kept as " | " so that a negation never reaches into the next clause ("not a complaint, just asking"). */
const CLAUSE_END = /[,.;!?，。；！？、\n]+/gu;
export const CLAUSE_MARK = '|';
const HAN_THEN_LATIN = /(\p{Script=Han})([a-z0-9])/gu;
const LATIN_THEN_HAN = /([a-z0-9])(\p{Script=Han})/gu;

/** Width, case, script and punctuation folded; words separated by one space; padded: " 查询进度 ", " how is it going ". */
export function foldText(text: string): string {
  const folded = toSimplified(text.normalize('NFKC').toLowerCase())
    // Apostrophes belong to English words (don't, I'd): keep the word whole.
    .replace(/[’'`]/g, '')
    .replace(CLAUSE_END, ' \u0001 ')
    .replace(PUNCTUATION, ' ')
    .replace(/\u0001/g, CLAUSE_MARK)
    .replace(HAN_THEN_LATIN, '$1 $2')
    .replace(LATIN_THEN_HAN, '$1 $2');
  return tidy(folded);
}

/** Drops fillers (already folded) from folded text; Latin fillers only as whole words. */
export function dropFillers(folded: string, fillers: readonly string[]): string {
  let out = folded;
  for (const f of fillers) {
    if (isLatin(f)) {
      const padded = ` ${f} `;
      while (out.includes(padded)) out = out.replace(padded, ' ');
    } else {
      out = out.split(f).join('');
    }
  }
  return tidy(out);
}

/** One space between words, one clause mark between clauses, none at the ends; padded with spaces. */
function tidy(text: string): string {
  const words = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  for (const w of words) if (!(w === CLAUSE_MARK && (out.length === 0 || out.at(-1) === CLAUSE_MARK))) out.push(w);
  while (out.at(-1) === CLAUSE_MARK) out.pop();
  return ` ${out.join(' ')} `;
}

/** A phrase made of Latin words (matched on word boundaries). */
export function isLatin(phrase: string): boolean {
  return /^[a-z0-9][a-z0-9 ]*$/.test(phrase);
}

/** A folded phrase as it is searched for: Latin phrases padded with spaces, Chinese as is. */
export function searchForm(phrase: string): string {
  const inner = phrase.trim();
  return isLatin(inner) ? ` ${inner} ` : inner;
}

/** Fold a phrase from a list: like a message, without the padding. */
export function foldPhrase(phrase: string): string {
  return foldText(phrase).trim();
}

/** Has a question mark in any width. */
export function asksQuestion(text: string): boolean {
  return /[?？]/.test(text);
}

/** Characters of Han script, and Latin words: the length of a message as a story. */
export function lengthOf(folded: string): { han: number; words: number } {
  return { han: (folded.match(/\p{Script=Han}/gu) ?? []).length, words: (folded.match(/[a-z]+/g) ?? []).length };
}
