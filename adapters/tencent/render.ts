/**
 * What a WeChat customer can be shown: plain text only. The turn's messages are
 * joined; suggested actions become a numbered list (the menu accepts the
 * numbers); the result is split into messages that fit WeChat's text limit.
 */
import type { Activity } from 'botbuilder';

/** Text messages are limited to 2048 bytes (客服消息/被动回复 文本); keep a margin. */
export const MAX_TEXT_BYTES = 2000;

/**
 * One message as WeChat shows it: its text; or, when it has none, what its Adaptive Cards say (WeChat shows no
 * cards: a message's `text` is its card's plain wording, so both are never shown). Lines stay lines; empty lines
 * inside one message are dropped, so a summary reads as one block. Messages are separated by one empty line.
 */
export function renderText(activities: Partial<Activity>[], chooseByNumberHint: string): string {
  const parts: string[] = [];
  for (const a of activities) {
    if (a.type && a.type !== 'message') continue;
    const lines: string[] = [];
    const text = a.text || (a.attachments ?? []).flatMap((x) => (x.contentType === ADAPTIVE_CARD ? cardLines(x.content) : [])).join('\n');
    const clean = text.split('\n').filter((line) => line.trim() !== '');
    if (clean.length > 0) lines.push(clean.join('\n'));
    const actions = a.suggestedActions?.actions ?? [];
    if (actions.length > 0) {
      lines.push(actions.map((x, i) => `${i + 1}. ${x.title ?? String(x.value ?? '')}`).join('\n'));
      lines.push(chooseByNumberHint);
    }
    if (lines.length > 0) parts.push(lines.join('\n'));
  }
  return parts.join('\n\n');
}

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** Undoes Markdown a card may use (`**bold**`, `\\*` escapes): WeChat text shows characters as they are. */
const plain = (s: string) => s.replace(/\*\*(.+?)\*\*/g, '$1').replace(/\\([\\`*_[\]<>|~#+\-.)!])/g, '$1');

/**
 * An Adaptive Card as lines: each TextBlock and RichTextBlock a line (its runs joined), each row of columns one line (its cells joined, "金额：¥5,000.00"),
 * each fact "title value". Images and actions have no text to show.
 */
export function cardLines(card: unknown): string[] {
  const el = (card ?? {}) as { type?: string; text?: unknown; body?: unknown[]; items?: unknown[]; columns?: unknown[]; facts?: { title?: string; value?: string }[] };
  switch (el.type) {
    case 'AdaptiveCard':
      return (el.body ?? []).flatMap(cardLines);
    case 'TextBlock':
      return typeof el.text === 'string' ? [plain(el.text)] : [];
    case 'Container':
    case 'Column':
      return (el.items ?? []).flatMap(cardLines);
    case 'RichTextBlock':
      return [((el as { inlines?: unknown[] }).inlines ?? []).map((x) => (typeof x === 'string' ? x : String((x as { text?: unknown }).text ?? ''))).join('')];
    case 'ColumnSet':
      return [(el.columns ?? []).map((c) => cardLines(c).join(' ')).join('')].filter(Boolean);
    case 'FactSet':
      return (el.facts ?? []).map((f) => `${plain(f.title ?? '')} ${plain(f.value ?? '')}`.trim());
    default:
      return [];
  }
}

/** The values of the last numbered list in a turn's messages (what "1", "2" … will mean next), if any. */
export function numberedChoices(activities: Partial<Activity>[]): string[] | undefined {
  const last = [...activities].reverse().find((a) => (a.suggestedActions?.actions.length ?? 0) > 0);
  return last?.suggestedActions?.actions.map((x) => String(x.value ?? x.title ?? ''));
}

/** Splits text into pieces of at most `maxBytes` UTF-8 bytes, preferring line breaks. */
export function splitForWeChat(text: string, maxBytes = MAX_TEXT_BYTES): string[] {
  const pieces: string[] = [];
  let current = '';
  const fits = (s: string) => Buffer.byteLength(s) <= maxBytes;
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current) pieces.push(current);
    current = '';
    // A single line longer than the limit is cut by characters.
    let rest = line;
    while (!fits(rest)) {
      let cut = rest.length;
      while (!fits(rest.slice(0, cut))) cut = Math.floor(cut * 0.9);
      pieces.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current) pieces.push(current);
  return pieces;
}
