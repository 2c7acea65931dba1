/**
 * The bot every channel talks to: checks the message is something we can
 * read, then runs the root dialog, and saves state at the end of the turn
 * (inside the conversation lock, so saves never race).
 */
import { ActivityHandler, ActivityTypes, type BotState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type Dialog, type DialogState } from 'botbuilder-dialogs';
import type { Translator } from '../content/i18n';
import { turnLocaleOf } from './turn-info';

export interface ComplaintBotDeps {
  conversationState: BotState;
  userState: BotState;
  rootDialog: Dialog;
  translator: Translator;
  maxTextChars: number;
}

export class ComplaintBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly dialogState: StatePropertyAccessor<DialogState>;

  constructor(private readonly deps: ComplaintBotDeps) {
    super();
    this.dialogState = deps.conversationState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogState).add(deps.rootDialog);

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
    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.deps.rootDialog.id);
  }
}

export const isMessage = (context: TurnContext) => context.activity.type === ActivityTypes.Message;
