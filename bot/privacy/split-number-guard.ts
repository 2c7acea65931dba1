/**
 * A card number typed over two messages ("卡号6222 0211", then "2345 6789 012")
 * is masked in neither by itself: each half is too short to be a card. The
 * guard remembers the shape of the number a customer's message ended with —
 * digit counts only, never a digit — for a short time, per conversation, and
 * when the next message starts with digits that complete a 13–19 digit number,
 * masks them as a card ("****9012"). The first half is already stored by then
 * (it is only part of a number); what matters is that the whole is never kept.
 *
 * Everything else is masked exactly as `maskPii` does.
 */
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import { applySpans, findPiiSpans, maskedCard, NEVER_KEPT, type MaskResult, type PiiKind, type PiiSpan } from './mask';
import { detectionView } from './normalise';
import { cardLikeGrouping, chainsOf, type Chain } from './numbers';

/** What is remembered between two messages: how many digits each plausible start of the trailing number has. */
export interface NumberTail {
  /** Digit counts of the trailing number's suffixes that could begin a card (no leading 0), longest last. */
  counts: number[];
  /** The message it came from: a redelivered message must not join with itself. */
  messageId?: string;
}

const MIN_JOINED = 13;
const MAX_JOINED = 19;
const MOBILE = /^1[3-9]\d{9}$/;
const MOBILE_OR_COUNTRY = /^(?:86)?1[3-9]\d{9}$/;
const LANDLINE = /^0\d{9,11}$/;
/** What may follow the trailing number at the end of a message: spaces and sentence punctuation. */
const END = /^[\s,.;:!?，。；：！？、…]*$/;
const STARTS_WITH_DIGIT = /^[\s\u3000\u200B-\u200D\u2060\uFEFF]*[0-9\uFF10-\uFF19]/;

export interface SplitResult extends MaskResult {
  /** The shape to remember for the next message, or undefined when the message does not end with a number. */
  tail: NumberTail | undefined;
}

/** Pure: masks `text`, joining its leading digits with the previous message's trailing number when they make a card. */
export function maskAcrossMessages(text: string, previous: NumberTail | undefined, kinds: readonly PiiKind[] = NEVER_KEPT, messageId?: string): SplitResult {
  const view = detectionView(text);
  const chains = chainsOf(view.text);
  const spans: PiiSpan[] = findPiiSpans(view.text, kinds);
  const usable = previous && !(messageId !== undefined && previous.messageId === messageId) ? previous : undefined;

  const head = chains[0];
  const startsWithNumber = head !== undefined && /^\s*$/.test(view.text.slice(0, head.groups[0]!.start));
  const join = usable && head && startsWithNumber && kinds.includes('card') ? joinHead(head, usable) : {};
  if (head && join.mask) {
    const start = head.groups[0]!.start;
    const end = head.groups[join.mask - 1]!.end;
    // The head is masked whole, whatever single-message masking found inside it.
    for (let i = spans.length - 1; i >= 0; i--) if (spans[i]!.start < end && spans[i]!.end > start) spans.splice(i, 1);
    const headDigits = head.groups.slice(0, join.mask).map((g) => g.digits).join('');
    spans.push({ start, end, kind: 'card', replacement: maskedCard(headDigits) });
  }

  const tail = trailingTail(view.text, chains, messageId, chains.length === 1 ? join.carry : undefined);
  if (spans.length === 0) return { text, found: [], tail };
  return { text: applySpans(text, view, spans), found: [...new Set(spans.map((s) => s.kind))], tail };
}

/**
 * How the leading groups continue the previous message's number: `mask`, the
 * most leading groups that complete a card-length number; `carry`, the digit
 * count so far when the whole chain continues it (a card typed in three parts).
 */
function joinHead(head: Chain, previous: NumberTail): { mask?: number; carry?: number } {
  const out: { mask?: number; carry?: number } = {};
  // A contact number answered after a message that ended with digits is a phone number, not the rest of a card.
  const whole = head.groups.map((g) => g.digits).join('');
  if (MOBILE_OR_COUNTRY.test(whole) || (LANDLINE.test(whole) && head.groups.length <= 2)) return out;
  let digits = '';
  for (let n = 1; n <= head.groups.length; n++) {
    digits += head.groups[n - 1]!.digits;
    if (MOBILE.test(digits)) continue; // a phone number after a number is a phone number
    // "2026-11-20" continues no card: the head must be grouped like the end of one.
    if (!continuesCard(head.groups.slice(0, n).map((g) => g.digits), head.seps.slice(0, n - 1))) continue;
    const total = (c: number) => c + digits.length;
    if (previous.counts.some((c) => total(c) >= MIN_JOINED && total(c) <= MAX_JOINED)) out.mask = n;
    if (n === head.groups.length) {
      const carried = previous.counts.filter((c) => total(c) < MAX_JOINED).map(total);
      if (carried.length > 0) out.carry = Math.max(...carried);
    }
  }
  return out;
}

/** Groups of three or more digits (no phone number among them), or evenly spaced digits ("2 3 4 5"). */
function continuesCard(groups: string[], seps: string[]): boolean {
  if (groups.length === 1) return true;
  if (seps.some((s) => s.includes('.')) && groups.slice(0, -1).some((g) => g.length !== 4)) return false;
  const width = groups[0]!.length;
  const even = width <= 2 && groups.every((g, i) => g.length === width || (i === groups.length - 1 && g.length < width));
  return even || groups.every((g) => g.length >= 3 && !MOBILE.test(g));
}

/** The shape of the number the message ends with, if it ends with one that could be the start of a card. */
function trailingTail(view: string, chains: Chain[], messageId: string | undefined, continued: number | undefined): NumberTail | undefined {
  const chain = chains[chains.length - 1];
  if (!chain || !END.test(view.slice(chain.groups[chain.groups.length - 1]!.end))) return undefined;
  const counts: number[] = [];
  let digits = '';
  // Suffixes from the last group backwards; a code (TS-20261123-0001) or a mobile number is no start of a card.
  for (let k = chain.groups.length - 1; k >= chain.codeGroups; k--) {
    const g = chain.groups[k]!;
    digits = g.digits + digits;
    if (digits.length >= MAX_JOINED) break;
    const lengths = chain.groups.slice(k).map((x) => x.digits.length);
    const grouped = lengths.length === 1 || cardLikeGrouping([...lengths, 4], [...chain.seps.slice(k), ' ']);
    if (!digits.startsWith('0') && !MOBILE.test(digits) && grouped) counts.push(digits.length);
  }
  // A message that only continued the previous number carries the whole number forward.
  if (continued !== undefined && continued < MAX_JOINED) counts.push(continued);
  const sorted = [...new Set(counts)].sort((a, b) => a - b);
  return sorted.length > 0 ? { counts: sorted, messageId } : undefined;
}

export interface SplitNumberGuardOptions {
  /** How long a trailing number is remembered (the customer types the rest within this time). */
  ttlMs: number;
  /** Who reads the memory: the web inbox and the turn pipeline see the same messages at different stages. */
  scope: string;
}

/** Masks what must never be kept, across two consecutive messages of one conversation. */
export class SplitNumberGuard {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly options: SplitNumberGuardOptions,
  ) {}

  /**
   * `conversationKey` is "<channelId>:<conversation id>"; `messageId` makes a
   * redelivery of the same message harmless. Call it in message order (under
   * the conversation's lock, or before the message is accepted).
   */
  async mask(conversationKey: string, text: string, options: { kinds?: readonly PiiKind[]; messageId?: string } = {}): Promise<MaskResult> {
    const key = this.keys.piiNumberTail(this.options.scope, conversationKey);
    // Most messages start with words: then the previous message's number does not matter and is not read.
    const needsPrevious = STARTS_WITH_DIGIT.test(text);
    const stored = needsPrevious ? await this.backend.get(key) : null;
    const result = maskAcrossMessages(text, parseTail(stored), options.kinds ?? NEVER_KEPT, options.messageId);
    // Written or cleared on every message: only the message right before may be joined.
    if (result.tail) await this.backend.set(key, JSON.stringify(result.tail), { ttlMs: this.options.ttlMs });
    else if (!needsPrevious || stored !== null) await this.backend.del(key);
    return { text: result.text, found: result.found };
  }
}

function parseTail(stored: string | null): NumberTail | undefined {
  if (!stored) return undefined;
  try {
    const value = JSON.parse(stored) as Partial<NumberTail>;
    const counts = Array.isArray(value.counts) ? value.counts.filter((c): c is number => Number.isInteger(c) && c > 0 && c < MAX_JOINED) : [];
    return counts.length > 0 ? { counts, messageId: typeof value.messageId === 'string' ? value.messageId : undefined } : undefined;
  } catch {
    return undefined; // a value we cannot read is no number to join with
  }
}
