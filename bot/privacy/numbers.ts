/**
 * Finds ID and bank card numbers in a detection view (see normalise.ts),
 * however they are grouped: "6222 0212 3456 7890", "6222.0212…", "6222 - 0212",
 * 4-6-5 and 6-13 groupings, one digit at a time. Digit groups joined by up to
 * three separators form a chain; inside a chain, a window of consecutive groups
 * is a card when it has 12–19 digits and is grouped the way card numbers are
 * written. That grouping rule is what keeps dates (2026-11-20), decimals,
 * IP addresses, phone numbers next to dates and order codes (TS-20261123-0001,
 * ORD-1234-5678) from being read as cards.
 */

export interface NumberSpan {
  /** Offsets in the detection view. */
  start: number;
  end: number;
  kind: 'id' | 'card';
  /** The digits it covers (an ID's check character may be X). */
  digits: string;
}

export interface DigitGroup {
  start: number;
  end: number;
  digits: string;
  /** An ID check character "X" follows the digits directly. */
  x: boolean;
}

export interface Chain {
  groups: DigitGroup[];
  /** seps[k] is the text between groups k and k+1. */
  seps: string[];
  /** Leading groups that belong to a code such as TS-20261123-0001 (never personal data). */
  codeGroups: number;
}

const GROUP = /\d+/g;
const SEPARATOR = /^[ .\-/]{1,3}$/;
const ID_PATTERN = /^[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]$/;
/** Words that introduce a number rather than name a code: "card6222…", "ID110101…", "cardno…". */
const INTRODUCING_WORD = /(?:card|no|num|number|nr|id|acct|account|tel|phone|mobile|cell)$/i;
const MOBILE_WITH_COUNTRY = /^861[3-9]\d{9}$/;

/** Splits the view into chains of digit groups. */
export function chainsOf(text: string): Chain[] {
  const chains: Chain[] = [];
  let current: Chain | undefined;
  let lastEnd = -1;
  for (const m of text.matchAll(GROUP)) {
    const start = m.index;
    const end = start + m[0].length;
    const group: DigitGroup = { start, end, digits: m[0], x: /[Xx]/.test(text[end] ?? '') && !/[A-Za-z]/.test(text[end + 1] ?? '') };
    const gap = current ? text.slice(lastEnd, start) : '';
    if (current && SEPARATOR.test(gap)) {
      current.groups.push(group);
      current.seps.push(gap);
      if (current.codeGroups === current.groups.length - 1 && current.codeGroups > 0 && gap === '-') current.codeGroups++;
    } else {
      current = { groups: [group], seps: [], codeGroups: startsCode(text, start) ? 1 : 0 };
      chains.push(current);
    }
    lastEnd = end;
  }
  return chains;
}

/** Digits glued to a word ("DD2026…", "WX…") or hyphenated to one ("TS-2026…") are a code, unless the word introduces a number. */
function startsCode(text: string, start: number): boolean {
  let at = start;
  if (text[at - 1] === '-' || text[at - 1] === '_') at--;
  const word = /[A-Za-z]+$/.exec(text.slice(Math.max(0, at - 24), at))?.[0];
  if (word) return !INTRODUCING_WORD.test(word);
  return at < start && /[0-9]/.test(text[at - 1] ?? '');
}

function idAt(chain: Chain, i: number): NumberSpan | undefined {
  let digits = '';
  const start = chain.groups[i]!.start;
  for (const g of chain.groups.slice(i)) {
    digits += g.digits;
    if (digits.length === 17 && g.x && ID_PATTERN.test(`${digits}X`)) return { start, end: g.end + 1, kind: 'id', digits: `${digits}X` };
    if (digits.length === 18 && ID_PATTERN.test(digits)) return { start, end: g.end, kind: 'id', digits };
    if (digits.length >= 18) return undefined;
  }
  return undefined;
}

/** How card numbers are grouped when written with separators. */
export function cardLikeGrouping(lengths: number[], seps: string[]): boolean {
  if (lengths.length === 1) return true;
  const inner = lengths.slice(0, -1);
  const last = lengths[lengths.length - 1]!;
  // Dots only ever separate groups of four ("6222.0212…"); otherwise they are decimals, versions or IP addresses.
  if (seps.some((s) => s.includes('.')) && inner.some((n) => n !== 4)) return false;
  const usual = inner.every((n) => n >= 3 && n <= 6);
  const even = inner.every((n) => n === inner[0] && n <= 6); // "6 2 2 2 …", "62 22 02 …"
  if (!usual && !even) return false;
  // The last group is at most six digits, except the 6-13 grouping ("622202 1234567890123").
  return last <= 6 || (lengths.length === 2 && inner[0] === 6 && last >= 10 && last <= 13);
}

function cardAt(chain: Chain, i: number): NumberSpan | undefined {
  const { groups, seps } = chain;
  const first = groups[i]!;
  if (first.digits.startsWith('0')) return undefined; // card numbers never start with 0; landlines and serials do
  if (seps[i - 1]?.includes('.')) return undefined; // the digits after a decimal point
  let best: NumberSpan | undefined;
  let digits = '';
  for (let j = i; j < groups.length; j++) {
    const g = groups[j]!;
    digits += g.digits;
    if (digits.length > 19) break;
    if (digits.length < 12 || MOBILE_WITH_COUNTRY.test(digits)) continue;
    const lengths = groups.slice(i, j + 1).map((x) => x.digits.length);
    if (cardLikeGrouping(lengths, seps.slice(i, j))) best = { start: first.start, end: g.end, kind: 'card', digits };
  }
  return best;
}

/** ID and card numbers in a detection view, left to right, not overlapping. */
export function findNumbers(text: string, want: { id: boolean; card: boolean }): NumberSpan[] {
  const spans: NumberSpan[] = [];
  for (const chain of chainsOf(text)) {
    let i = chain.codeGroups;
    while (i < chain.groups.length) {
      const found = (want.id ? idAt(chain, i) : undefined) ?? (want.card ? cardAt(chain, i) : undefined);
      if (!found) {
        i++;
        continue;
      }
      spans.push(found);
      while (i < chain.groups.length && chain.groups[i]!.start < found.end) i++;
    }
  }
  return spans;
}
