/**
 * What a WeChat customer can be shown: plain text only. The turn's messages are
 * joined; suggested actions become a numbered list (the menu accepts the
 * numbers); the result is split into messages that fit WeChat's text limit.
 */
import type { Activity } from 'botbuilder';

/** Text messages are limited to 2048 bytes (客服消息/被动回复 文本); keep a margin. */
export const MAX_TEXT_BYTES = 2000;

export function renderText(activities: Partial<Activity>[], chooseByNumberHint: string): string {
  const parts: string[] = [];
  for (const a of activities) {
    if (a.type && a.type !== 'message') continue;
    const lines: string[] = [];
    if (a.text) lines.push(a.text);
    const actions = a.suggestedActions?.actions ?? [];
    if (actions.length > 0) {
      lines.push(actions.map((x, i) => `${i + 1}. ${x.title ?? String(x.value ?? '')}`).join('\n'));
      lines.push(chooseByNumberHint);
    }
    if (lines.length > 0) parts.push(lines.join('\n'));
  }
  return parts.join('\n\n');
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
