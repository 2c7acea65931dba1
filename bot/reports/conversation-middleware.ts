/**
 * Counts conversations for the supervisors' reports: a conversation counts
 * on each day a customer writes in it (the denominator of the hand-off rate).
 * After the dedupe, so a redelivered message does not count again.
 */
import type { Middleware, TurnContext } from 'botbuilder';
import type { DayCounters } from './day-counters';

export class ConversationCountMiddleware implements Middleware {
  constructor(private readonly counters: Pick<DayCounters, 'conversation'>) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (activity.type === 'message' && activity.conversation?.id) {
      this.counters.conversation(`${activity.channelId}:${activity.conversation.id}`, activity.channelId);
    }
    await next();
  }
}
