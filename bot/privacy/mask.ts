/**
 * Masks personal data in free text: ID card numbers, bank card numbers,
 * passwords and other secrets, phone numbers and e-mail addresses. Used by the
 * logger (so no call site can forget), by the turn pipeline before the bot sees
 * a message, and by dialogs before anything a customer typed is stored or shown.
 *
 * Detection runs on a normalised view of the text (full-width digits as ASCII,
 * zero-width characters removed, dash and space look-alikes unified, see
 * normalise.ts); the masks are applied to the text as written, so everything
 * that is not personal data stays exactly as the customer typed it.
 */
import { detectionView } from './normalise';
import { findNumbers } from './numbers';
import { findSecrets } from './passwords';

const MOBILE = /(?<!\d)(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)\(?(0\d{2,3})\)?[ -]?(\d{3,4})[ -]?(\d{4})(?!\d)/g;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
/** Nothing to look at without a digit, an @ or a password word: most log fields and chat turns end here. */
const WORTH_A_LOOK = /[\d\uFF10-\uFF19@\uFF20\u00B2\u00B3\u00B9\u2070-\u209F\u2460-\u24FF\u2776-\u2793\uD835]|密|碼|码|口令|pass|pwd|pin|otp|cv[vc]|[零〇一二三四五六七八九]{4}/i;

export type PiiKind = 'id' | 'card' | 'phone' | 'email' | 'password';

export interface MaskResult {
  text: string;
  found: PiiKind[];
}

/** What must never be kept anywhere, even in a transcript: card and ID numbers and passwords. */
export const NEVER_KEPT: readonly PiiKind[] = ['id', 'card', 'password'];
export const ALL_KINDS: readonly PiiKind[] = ['id', 'card', 'phone', 'email', 'password'];

export const HIDDEN_SECRET = '[已隐藏/hidden]';
export const HIDDEN_ID = '[身份证号已隐藏/ID hidden]';
/** A card number keeps its last four digits ("****0123"), which is all a complaint needs. */
export const maskedCard = (digits: string) => `****${digits.slice(-4)}`;

export interface PiiSpan {
  /** Offsets in the detection view. */
  start: number;
  end: number;
  kind: PiiKind;
  replacement: string;
}

/** Masks the given kinds (all by default). */
export function maskPii(text: string, kinds: readonly PiiKind[] = ALL_KINDS): MaskResult {
  if (!WORTH_A_LOOK.test(text)) return { text, found: [] };
  const view = detectionView(text);
  const spans = findPiiSpans(view.text, kinds);
  if (spans.length === 0) return { text, found: [] };
  return { text: applySpans(text, view, spans), found: [...new Set(spans.map((s) => s.kind))] };
}

export function maskText(text: string): string {
  return maskPii(text).text;
}

/** Replaces detection-view spans in the original text (the split number guard adds spans of its own). */
export function applySpans(original: string, view: { from: number[]; to: number[] }, spans: { start: number; end: number; replacement: string }[]): string {
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const start = view.from[s.start]!;
    const end = view.to[s.end - 1]!;
    if (start < at) continue; // overlapping spans: the first one wins
    out += original.slice(at, start) + s.replacement;
    at = end;
  }
  return out + original.slice(at);
}

/** Spans to mask in a detection view, in the order of precedence: secrets, ID, card, phone, e-mail. */
export function findPiiSpans(view: string, kinds: readonly PiiKind[]): PiiSpan[] {
  const want = new Set(kinds);
  const spans: PiiSpan[] = [];
  let work = view;
  // Each kind claims its characters so the next cannot read them again (an ID is not also a card).
  const claim = (found: PiiSpan[]) => {
    for (const s of found) {
      spans.push(s);
      work = work.slice(0, s.start) + '\u0000'.repeat(s.end - s.start) + work.slice(s.end);
    }
  };
  if (want.has('password')) claim(findSecrets(work).map((s) => ({ ...s, kind: 'password', replacement: HIDDEN_SECRET })));
  if (want.has('id') || want.has('card')) {
    claim(
      findNumbers(work, { id: want.has('id'), card: want.has('card') }).map((n) => ({
        start: n.start,
        end: n.end,
        kind: n.kind,
        replacement: n.kind === 'id' ? HIDDEN_ID : maskedCard(n.digits),
      })),
    );
  }
  if (want.has('phone')) {
    claim(matches(work, MOBILE, 'phone', (m) => `${m[1]}****${m[3]}`));
    claim(matches(work, LANDLINE, 'phone', (m) => `${m[1]}-****${m[3]}`));
  }
  if (want.has('email')) claim(matches(work, EMAIL, 'email', (m) => `${m[1]}***@${m[2]}`));
  return spans;
}

function matches(text: string, pattern: RegExp, kind: PiiKind, replace: (m: RegExpMatchArray) => string): PiiSpan[] {
  return [...text.matchAll(pattern)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, kind, replacement: replace(m) }));
}
