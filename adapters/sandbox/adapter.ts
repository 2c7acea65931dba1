/**
 * The console's test chat (docs/console.md): an in-process channel that runs
 * a customer's message through the same turn pipeline as Web Chat and hands
 * back the bot's replies, instead of storing them for a page to fetch. It
 * calls itself `directline`, so the bot words and shapes its replies exactly
 * as it would for Web Chat. Used only inside a sandbox app (an in-memory store
 * and a draft's content), so nothing a supervisor tries there is real.
 */
import { ActivityTypes, BotAdapter, TurnContext, type Activity, type ConversationReference, type Middleware, type ResourceResponse } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../bot/errors';

export type TurnLogic = (context: TurnContext) => Promise<void>;

const REPLIES = Symbol('sandboxReplies');
const BOT = { id: 'bot', name: 'Bot', role: 'bot' };

/** A reply as the test chat shows it: its text and its buttons. */
export interface SandboxReply {
  text: string;
  choices: string[];
}

export class SandboxAdapter extends BotAdapter {
  constructor(private readonly logic: TurnLogic, middleware: Middleware[], onTurnError: (context: TurnContext, error: Error) => Promise<void>) {
    super();
    for (const m of middleware) this.use(m);
    this.onTurnError = onTurnError;
  }

  /** The customer opens the chat (`text` undefined: the greeting) or writes; the bot's replies to it. */
  async say(conversationId: string, customerId: string, locale: string, text?: string): Promise<SandboxReply[]> {
    const activity = {
      id: randomUUID(),
      channelId: 'directline',
      serviceUrl: 'urn:sandbox',
      conversation: { id: conversationId },
      from: { id: customerId, name: '', role: 'user' },
      recipient: BOT,
      locale,
      timestamp: new Date(),
      ...(text === undefined
        ? { type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: customerId, name: '' }] }
        : { type: ActivityTypes.Message, text }),
    } as Activity;
    const context = new TurnContext(this, activity);
    const replies: SandboxReply[] = [];
    context.turnState.set(REPLIES, replies);
    await this.runMiddleware(context, this.logic);
    return replies;
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const replies = context.turnState.get(REPLIES) as SandboxReply[] | undefined;
    for (const a of activities) {
      if (a.type && a.type !== ActivityTypes.Message) continue;
      replies?.push({ text: a.text ?? '', choices: (a.suggestedActions?.actions ?? []).map((x) => String(x.title ?? x.value ?? '')) });
    }
    return activities.map(() => ({ id: randomUUID() }));
  }

  async updateActivity(): Promise<void> {
    throw new AppError('BAD_REQUEST', 'the test chat does not update activities', 400);
  }

  async deleteActivity(): Promise<void> {
    throw new AppError('BAD_REQUEST', 'the test chat does not delete activities', 400);
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: TurnLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true) as Activity;
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
