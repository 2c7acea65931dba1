/**
 * A botbuilder adapter for our in-process Direct Line: inbound activities run
 * through the shared middleware; the bot's replies are appended to the
 * conversation history, from which the REST and WebSocket endpoints serve them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { AppError } from '../../bot/errors';
import type { ChannelNotification, DeliveredAs, ProactiveChannel, Recipient } from '../../bot/channels';
import { markFromInbox } from '../../bot/turn/turn-info';
import type { ConversationHistory } from './history';

export const DIRECT_LINE_BOT = { id: 'bot', name: 'Bot', role: 'bot' };
const SKIP_REPLIES = Symbol('skipReplies');

export type TurnLogic = (context: TurnContext) => Promise<void>;

export class DirectLineAdapter extends BotAdapter implements ProactiveChannel {
  readonly channelId = 'directline';

  constructor(
    private readonly history: ConversationHistory,
    private readonly logic: TurnLogic,
  ) {
    super();
  }

  /** Runs one turn for an activity the customer sent (already stored in history). */
  async receive(activity: Activity): Promise<void> {
    const context = new TurnContext(this, activity);
    await this.runMiddleware(context, this.logic);
  }

  /**
   * Runs the turn of an activity taken from the durable inbox, which holds the
   * conversation's lock. When an earlier run was interrupted after storing some
   * replies, those first `alreadyAnswered` replies are not stored again.
   */
  async receiveFromInbox(activity: Activity, alreadyAnswered: number): Promise<void> {
    const context = new TurnContext(this, activity);
    markFromInbox(context);
    if (alreadyAnswered > 0) context.turnState.set(SKIP_REPLIES, { remaining: alreadyAnswered });
    await this.runMiddleware(context, this.logic);
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await sleep(typeof activity.value === 'number' ? activity.value : 1000);
        responses.push({ id: '' });
        continue;
      }
      const skip = context.turnState.get(SKIP_REPLIES) as { remaining: number } | undefined;
      if (skip && skip.remaining > 0) {
        skip.remaining--;
        responses.push({ id: '' });
        continue;
      }
      const conversationId = activity.conversation?.id ?? context.activity.conversation.id;
      const stored = await this.history.append(conversationId, {
        ...activity,
        from: activity.from ?? DIRECT_LINE_BOT,
        recipient: activity.recipient ?? context.activity.from,
        replyToId: activity.replyToId ?? context.activity.id,
        type: activity.type ?? ActivityTypes.Message,
        // Our texts are plain: Web Chat would otherwise read them as Markdown ("138****5678" turns bold, lines run together).
        textFormat: activity.textFormat ?? 'plain',
      });
      responses.push({ id: stored.id ?? '' });
    }
    return responses;
  }

  /** A notice in the customer's web conversation (shown now if the page is open, or when they come back to it). */
  async notify(recipient: Recipient, notification: ChannelNotification): Promise<DeliveredAs> {
    const conversationId = recipient.conversationId;
    if (!conversationId || !(await this.history.get(conversationId))) {
      throw new AppError('CHANNEL_WINDOW_CLOSED', 'the web conversation has ended', 409);
    }
    await this.history.append(conversationId, {
      type: ActivityTypes.Message,
      text: notification.text,
      textFormat: 'plain',
      ...(notification.choices?.length
        ? { suggestedActions: { to: [], actions: notification.choices.map((c) => ({ type: 'imBack', title: c, value: c })) } }
        : {}),
      from: DIRECT_LINE_BOT,
      recipient: { id: recipient.customerId, name: '', role: 'user' },
    });
    return 'message';
  }

  async updateActivity(): Promise<void> {
    throw new AppError('BAD_REQUEST', 'Direct Line does not support updating activities', 400);
  }

  async deleteActivity(): Promise<void> {
    throw new AppError('BAD_REQUEST', 'Direct Line does not support deleting activities', 400);
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: TurnLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: 'continueConversation' },
      reference,
      true,
    ) as Activity;
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
