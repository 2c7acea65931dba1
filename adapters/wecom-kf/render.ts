/**
 * A turn's replies as kf messages: the text as WeChat shows it (tencent/render.ts,
 * without the numbered list), split to the 2048-byte limit; when the replies
 * offer choices, the last piece becomes the head of a msgmenu whose items the
 * customer taps (the tap comes back as the item's words).
 */
import type { Activity } from 'botbuilder';
import { numberedChoices, renderText, splitForWeChat } from '../tencent/render';
import type { KfMessage } from './client';

/** A menu's head is short on the platform: a longer last piece goes as text before a menu without a head. */
const MAX_HEAD_BYTES = 1000;

export function kfMessages(activities: Partial<Activity>[]): KfMessage[] {
  const choices = numberedChoices(activities) ?? [];
  const text = renderText(activities.map((a) => ({ ...a, suggestedActions: undefined })), '');
  const pieces = text ? splitForWeChat(text) : [];
  const texts = (list: string[]): KfMessage[] => list.map((content) => ({ msgtype: 'text', text: { content } }));
  if (choices.length === 0) return texts(pieces);
  const last = pieces.at(-1);
  const head = last !== undefined && Buffer.byteLength(last) <= MAX_HEAD_BYTES ? last : undefined;
  const list = choices.slice(0, 10).map((content, i) => ({ type: 'click' as const, click: { id: `c${i + 1}`, content } }));
  return [...texts(head === undefined ? pieces : pieces.slice(0, -1)), { msgtype: 'msgmenu', msgmenu: { ...(head ? { head_content: head } : {}), list } }];
}
