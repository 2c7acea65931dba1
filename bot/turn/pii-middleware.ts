/**
 * Masks what must never be kept (card and ID numbers, passwords) in a
 * customer's message before the bot sees it, on every channel: the intake
 * stores what it reads, and channels such as WeChat keep no masked transcript
 * of their own. Numbers typed over two messages are caught by the split number
 * guard. What was hidden is listed in `channelData.maskedPii`, so the intake
 * can tell the customer gently; copies of the raw text a channel keeps in
 * `channelData` (WeChat's `Content`, a voice `Recognition`) are masked too.
 *
 * Place it after the conversation lock (the guard reads the previous message's
 * memory, so turns must come in order) and before anything reads the text.
 */
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { PiiKind } from '../privacy/mask';
import type { SplitNumberGuard } from '../privacy/split-number-guard';
import { conversationKeyOf } from './turn-info';

export class PiiMiddleware implements Middleware {
  constructor(private readonly guard: SplitNumberGuard) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (activity.type === ActivityTypes.Message && typeof activity.text === 'string' && activity.text.length > 0) {
      const original = activity.text;
      const masked = await this.guard.mask(conversationKeyOf(context), original, { messageId: activity.id });
      if (masked.found.length > 0) {
        activity.text = masked.text;
        activity.channelData = maskCopies(activity.channelData, original, masked.text, masked.found);
      }
    }
    await next();
  }
}

/** Replaces copies of the raw text (two levels deep) and records what was hidden. */
function maskCopies(channelData: unknown, original: string, masked: string, found: PiiKind[]): Record<string, unknown> {
  const replace = (value: unknown, depth: number): unknown => {
    if (value === original) return masked;
    if (depth >= 2 || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v, depth + 1)]));
  };
  const replaced = replace(channelData, 0);
  const data = replaced !== null && typeof replaced === 'object' ? (replaced as Record<string, unknown>) : {};
  const before = Array.isArray(data.maskedPii) ? (data.maskedPii as PiiKind[]) : [];
  return { ...data, maskedPii: [...new Set([...before, ...found])] };
}
