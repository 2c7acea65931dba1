/**
 * The intake's two cards — the summary to confirm and the receipt after
 * submission — as Adaptive Cards (schema 1.3, which Web Chat 4.x renders).
 * Pure layout: every word arrives already translated from content; this file
 * only arranges it. The same lines also make the activity's plain text, so a
 * channel without cards (WeChat, tests) reads the same thing.
 */
import { CardFactory, type Attachment } from 'botbuilder';

export interface CardRow {
  /** "金额：" — the label as content words it, colon included. */
  label: string;
  value: string;
}

export interface SummaryCardInput {
  title: string;
  rows: CardRow[];
  /** What to do next ("reply submit, or tell me what to change"). */
  note: string;
}

export interface ReceiptCardInput {
  title: string;
  /** The sentence with the number and date; `emphasise` are the parts to set in bold (the number, the date). */
  text: string;
  emphasise: string[];
}

/**
 * Web Chat renders card text as Markdown. Customer words (a story with "*" or "1." in it, a masked phone
 * "138****5678") must show as typed, so Markdown's active characters are escaped.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\\`*_[\]<>|~]/g, '\\$&')
    .replace(/^(\s*)([#+-])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2');
}

const card = (body: unknown[], fallbackText: string): Attachment =>
  CardFactory.adaptiveCard({ type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.3', fallbackText, body });

const heading = (title: string, extra: unknown[] = []) => ({
  type: 'Container',
  style: 'emphasis',
  bleed: true,
  items: [{ type: 'TextBlock', text: escapeMarkdown(title), weight: 'Bolder', size: 'Medium', wrap: true }, ...extra],
});

/**
 * The summary before submission: one line per field, the label in grey and the value in full colour (a
 * RichTextBlock, whose text runs are shown exactly as given: no Markdown, so "138****5678" stays as typed),
 * and the next step under a line.
 */
export function summaryCard(input: SummaryCardInput, fallbackText: string): Attachment {
  const rows = input.rows.map((r, i) => ({
    type: 'RichTextBlock',
    spacing: i === 0 ? 'Medium' : 'Small',
    inlines: [
      { type: 'TextRun', text: r.label, isSubtle: true },
      { type: 'TextRun', text: r.value },
    ],
  }));
  const note = { type: 'TextBlock', text: escapeMarkdown(input.note), size: 'Small', isSubtle: true, wrap: true, separator: true, spacing: 'Medium' };
  return card([heading(input.title), ...rows, note], fallbackText);
}

/** The receipt after submission: a title and the sentence with the ticket number and the promised date in bold. */
export function receiptCard(input: ReceiptCardInput, fallbackText: string): Attachment {
  let text = escapeMarkdown(input.text);
  for (const part of input.emphasise) {
    const escaped = escapeMarkdown(part);
    if (part) text = text.split(escaped).join(`**${escaped}**`);
  }
  return card([heading(input.title), { type: 'TextBlock', text, wrap: true, spacing: 'Medium' }], fallbackText);
}
