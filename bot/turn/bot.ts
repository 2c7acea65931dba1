/**
 * The bot every channel talks to: checks the message is something we can
 * read, then runs the root dialog, and saves state at the end of the turn
 * (inside the conversation lock, so saves never race).
 */
import { ActivityHandler, type BotState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, type DialogContext, type DialogState, type DialogStateManagerConfiguration, type Dialog } from 'botbuilder-dialogs';

/**
 * botbuilder-dialogs builds a fresh set of memory scopes and path resolvers for
 * every turn unless one is found in turnState under this key (dialogStateManager.js).
 * They hold no per-turn data, so we keep the first turn's and hand it to every
 * later turn: about a tenth of a turn's CPU. If the key ever changed upstream,
 * dialogs would only get slower, not wrong.
 */
const DIALOG_STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';
import type { Translator } from '../content/i18n';
import { turnLocaleOf } from './turn-info';
import { afterHandoffOf } from '../handoff/turn-flags';

export interface ComplaintBotDeps {
  conversationState: BotState;
  userState: BotState;
  /** The dialogs of the conversation and how a turn runs them (dialogs/ provides it). */
  rootFlow: { readonly dialogs: Dialog[]; run(dc: DialogContext): Promise<void>; startAtMenu(dc: DialogContext, beforeKey?: string): Promise<void> };
  translator: Translator;
  maxTextChars: number;
}

export class ComplaintBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private stateManagerConfiguration: DialogStateManagerConfiguration | undefined;

  constructor(private readonly deps: ComplaintBotDeps) {
    super();
    this.dialogState = deps.conversationState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogState);
    for (const dialog of deps.rootFlow.dialogs) this.dialogs.add(dialog);

    this.onMessage(async (context, next) => {
      if (await this.refuseUnreadable(context)) return next();
      await this.runRootDialog(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const customerJoined = (context.activity.membersAdded ?? []).some((m) => m.id !== botId);
      if (customerJoined) await this.runRootDialog(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await Promise.all([this.deps.conversationState.saveChanges(context), this.deps.userState.saveChanges(context)]);
  }

  /** Answers messages we cannot take (too long, nothing to read); true when it did. */
  private async refuseUnreadable(context: TurnContext): Promise<boolean> {
    const locale = turnLocaleOf(context);
    const text = context.activity.text ?? '';
    if ([...text].length > this.deps.maxTextChars) {
      await context.sendActivity(this.deps.translator.t(locale, 'input.tooLong', { max: this.deps.maxTextChars }));
      return true;
    }
    const hasAttachments = (context.activity.attachments?.length ?? 0) > 0;
    if (text.trim() === '' && !hasAttachments && context.activity.value === undefined) {
      await context.sendActivity(this.deps.translator.t(locale, 'input.noText'));
      return true;
    }
    return false;
  }

  private async runRootDialog(context: TurnContext): Promise<void> {
    if (this.stateManagerConfiguration) context.turnState.set(DIALOG_STATE_MANAGER_CONFIGURATION, this.stateManagerConfiguration);
    const dc = await this.dialogs.createContext(context);
    this.stateManagerConfiguration ??= context.turnState.get(DIALOG_STATE_MANAGER_CONFIGURATION);
    // Back from a person (handoff relay): what ran before is over; the menu, or this message read afresh.
    const after = afterHandoffOf(context);
    if (after?.clearDialogs) await dc.cancelAllDialogs();
    if (after?.beforeKey) return this.deps.rootFlow.startAtMenu(dc, after.beforeKey);
    await this.deps.rootFlow.run(dc);
  }
}

