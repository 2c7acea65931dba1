/**
 * A detection view of a text: full-width digits and letters become ASCII,
 * exotic spaces become spaces, dash and dot look-alikes become "-" and ".",
 * and invisible characters (zero-width, bidi controls, variation selectors)
 * disappear. Masking looks for numbers in this view but edits the text as the
 * customer wrote it, so each character of the view remembers where it came from.
 */

export interface DetectionView {
  /** The normalised text. */
  text: string;
  /** For each character of `text`, where its source starts in the original. */
  from: number[];
  /** For each character of `text`, where its source ends in the original. */
  to: number[];
}

const REMOVED = new Set([0x00ad, 0x034f, 0x061c, 0x180e, 0x20e3, 0xfeff]);
const SPACES = new Set([0x0009, 0x00a0, 0x1680, 0x202f, 0x205f, 0x3000]);
const DASHES = new Set([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe58, 0xfe63]);
const DOTS = new Set([0x00b7, 0x2022, 0x2027, 0x2219, 0x30fb, 0xff65]);
/** The first code point of each dingbat run ❶…❾, ➀…➈, ➊…➒, ⓵…⓽ (the tenth of each is "10"). */
const DINGBAT_ONES = [0x2776, 0x2780, 0x278a, 0x24f5];

/** Zero-width and formatting characters (U+200B–U+200F, bidi embeddings and isolates, U+2060–U+2064), variation selectors. */
function isInvisible(cp: number): boolean {
  return (
    REMOVED.has(cp) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2069) ||
    (cp >= 0xfe00 && cp <= 0xfe0f)
  );
}

/** The ASCII stand-in for one code point, '' to drop it, or undefined to keep it as it is. */
function standIn(cp: number, ch: string): string | undefined {
  if (cp < 0x80) return cp === 0x09 ? ' ' : undefined;
  if (cp >= 0x4e00 && cp <= 0x9fff) return undefined; // the common case in Chinese text: nothing to do
  if (cp >= 0xff01 && cp <= 0xff5e) return String.fromCharCode(cp - 0xfee0); // full-width ASCII (６, Ｘ, ：, －)
  if (isInvisible(cp)) return '';
  if (SPACES.has(cp) || (cp >= 0x2000 && cp <= 0x200a)) return ' ';
  if (DASHES.has(cp)) return '-';
  if (DOTS.has(cp)) return '.';
  // Dingbat circled digits (❶ ➀ ➊ ⓵, and ⓿) have no NFKC form: read them by position in their run of 1–9.
  if (cp === 0x24ff) return '0';
  for (const one of DINGBAT_ONES) if (cp >= one && cp < one + 9) return String(cp - one + 1);
  // Other digit look-alikes (superscripts, circled ①, mathematical 𝟔) read as their digit.
  if ((cp >= 0x2070 && cp <= 0x2093) || (cp >= 0x2460 && cp <= 0x24ff) || (cp >= 0x1d7ce && cp <= 0x1d7ff) || cp === 0xb2 || cp === 0xb3 || cp === 0xb9) {
    const nf = ch.normalize('NFKC');
    return /^\d$/.test(nf) ? nf : undefined;
  }
  return undefined;
}

export function detectionView(original: string): DetectionView {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const ch of original) {
    const cp = ch.codePointAt(0)!;
    const end = i + ch.length;
    const sub = standIn(cp, ch);
    const out = sub ?? ch;
    for (let k = 0; k < out.length; k++) {
      from.push(i);
      to.push(end);
    }
    text += out;
    i = end;
  }
  return { text, from, to };
}
