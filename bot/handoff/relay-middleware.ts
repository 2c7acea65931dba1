/**
 * Early in every turn (after the lock, masking and locale): is this
 * conversation with a person? Then the customer's message goes to the desk,
 * not to the dialogs — except "取消" / "cancel" / "start over", which stop
 * waiting and bring back the menu. After staff end the chat or hand it back,
 * the customer's next message starts afresh at the menu (whatever dialog was
 * running before the handoff is dropped: staff have dealt with it).
 *
 * Every conversation's lines (customer and bot, masked) are recorded here too,
 * so staff who take a chat see what came before it.
 */
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { CommandRecognizer } from '../content/commands';
import type { Translator } from '../content/i18n';
import { maskPii } from '../privacy/mask';
import { conversationKeyOf, turnLocaleOf } from '../turn/turn-info';
import type { HandoffService } from './handoff-service';
import type { HandoffChat } from './model';
import { setAfterHandoff } from './turn-flags';

export interface RelayOptions {
  /** A waiting customer who writes is told "noted" at most this often. */
  notedEveryMs: number;
  now?: () => Date;
}

export class HandoffRelayMiddleware implements Middleware {
  private readonly now: () => Date;

  constructor(
    private readonly handoff: HandoffService,
    private readonly commands: CommandRecognizer,
    private readonly translator: Translator,
    private readonly options: RelayOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (activity.type !== ActivityTypes.Message) return next();
    const key = conversationKeyOf(context);
    const chat = await this.handoff.get(key);
    const text = maskPii(activity.text ?? '').text;
    const at = this.now().toISOString();
    if (chat && chat.status !== 'ended') {
      if (await this.relay(context, chat, text, at)) return;
      // The customer stopped waiting: the bot runs this turn, says the wait is over and shows the menu.
      setAfterHandoff(context, { clearDialogs: true, beforeKey: 'handoff:stopped' });
      return next();
    }
    if (chat && !chat.resumed && chat.endedHow !== 'customer') {
      // The first message after staff let go: back to the menu, and the chat is marked so this happens once.
      await this.handoff.markResumed(key);
      setAfterHandoff(context, { clearDialogs: true });
    }
    await this.handoff.record(key, { from: 'customer', text, at }, false);
    const said: string[] = [];
    context.onSendActivities(async (_ctx, activities, send) => {
      for (const a of activities) if (a.type === ActivityTypes.Message && a.text) said.push(a.text);
      return send();
    });
    await next();
    const end = this.now().toISOString();
    for (const line of said) await this.handoff.record(key, { from: 'bot', text: maskPii(line).text, at: end }, false);
  }

  /** The message goes to the desk; false when it ends the wait instead (the bot then takes the turn). */
  private async relay(context: TurnContext, chat: HandoffChat, text: string, at: string): Promise<boolean> {
    await this.handoff.record(chat.key, { from: 'customer', text, at }, true);
    const command = this.commands.recognise(context.activity.text);
    if (command?.kind === 'cancel' || command?.kind === 'restart') {
      await this.handoff.end(chat.key, 'customer', 'customer');
      await this.handoff.markResumed(chat.key);
      return false;
    }
    if (chat.status === 'waiting' && (!chat.notedAt || Date.parse(at) - Date.parse(chat.notedAt) >= this.options.notedEveryMs)) {
      await this.handoff.noted(chat.key, at);
      const reply = this.translator.t(turnLocaleOf(context), 'handoff:noted');
      await context.sendActivity(reply);
      await this.handoff.record(chat.key, { from: 'bot', text: reply, at }, true);
    }
    return true;
  }
}
