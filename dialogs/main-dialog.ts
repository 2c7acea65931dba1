/**
 * The root of the conversation: greets, shows the menu, starts the feature the
 * customer picks, and handles the global commands (help, cancel, start over,
 * change language) at any step of any dialog.
 *
 * It is a flow over the root dialog set rather than a ComponentDialog: a
 * component adds a second dialog context and event bubbling to every turn
 * (measured: about a tenth of a turn's CPU) for no behaviour we need.
 */
import {
  Dialog,
  DialogTurnStatus,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Translator } from '../bot/content/i18n';
import type { CommandRecognizer, GlobalCommand } from '../bot/content/commands';
import type { PreferenceStore } from '../bot/turn/preferences';
import { setTurnLocale, turnLocaleOf } from '../bot/turn/turn-info';
import { LanguageDialog, LANGUAGE_DIALOG } from './language-dialog';
import { Menu, type MenuEntry } from './menu';
import { MenuPrompt, type MenuPick, type MenuPromptOptions, type MessageUnderstanding } from './menu-prompt';

const MAIN_LOOP = 'main.loop';
const MENU_PROMPT = 'main.menuPrompt';

interface LoopOptions {
  greet?: boolean;
  /** The conversation starts with this message: act on it if it picks something (a story, a menu button). */
  interpret?: boolean;
  /** Sentence said before the menu prompt (an i18n key). */
  beforeKey?: string;
}

export interface MainDialogDeps {
  translator: Translator;
  commands: CommandRecognizer;
  preferences: PreferenceStore;
  /** Menu entries of the features that are built, each with its dialog. */
  features: { entry: MenuEntry; dialog: Dialog }[];
  /** Dialogs that have no menu entry of their own. */
  extraDialogs?: Dialog[];
  /** The dialog that takes a complaint told in free text at the menu (options: { story }). */
  storyDialogId?: string;
  /** The dialog that shows one complaint by number (options: { number }). */
  ticketDialogId?: string;
  /** The dialog that takes an appeal against an answer (options: { number }). */
  appealDialogId?: string;
  /** The dialog that files a picture sent at the menu as evidence. */
  evidenceDialogId?: string;
  /** The dialog "talk to a person" starts, from anywhere. */
  personDialogId?: string;
  /** What a message means: the menu acts on it, and inside a dialog a clear request for a person or help interrupts. */
  understanding: MessageUnderstanding;
}

/** What the bot needs from the root flow: its dialogs (for the root DialogSet) and how to run a turn. */
export interface RootFlow {
  readonly dialogs: Dialog[];
  run(dc: DialogContext): Promise<void>;
}

export class MainFlow implements RootFlow {
  private readonly menu: Menu;
  private readonly menuPrompt: MenuPrompt;
  readonly dialogs: Dialog[] = [];

  constructor(private readonly deps: MainDialogDeps) {
    this.menu = new Menu(deps.translator, [
      ...deps.features.map((f) => f.entry),
      { id: 'language', labelKey: 'menu.language', dialogId: LANGUAGE_DIALOG },
      { id: 'help', labelKey: 'menu.help' },
    ]);
    this.menuPrompt = new MenuPrompt(MENU_PROMPT, this.menu, deps.translator, deps.understanding);
    this.dialogs.push(
      new WaterfallDialog(MAIN_LOOP, [(s) => this.showMenu(s), (s) => this.route(s), (s) => this.again(s)]),
      this.menuPrompt,
      new LanguageDialog(deps.translator, deps.commands, deps.preferences),
      ...deps.features.map((f) => f.dialog),
      ...(deps.extraDialogs ?? []),
    );
  }

  /** One turn: a global command wins over whatever dialog is waiting; otherwise continue it, or greet. */
  async run(dc: DialogContext): Promise<void> {
    const text = dc.context.activity.type === 'message' ? dc.context.activity.text : undefined;
    const command = this.deps.commands.recognise(text) ?? this.requestDuringTask(dc, text);
    if (command) {
      await this.interrupt(dc, command);
      // A command as the very first message: answer it, then show the menu.
      if (!dc.activeDialog) await dc.beginDialog(MAIN_LOOP, {} satisfies LoopOptions);
      return;
    }
    const result = await dc.continueDialog();
    if (result.status !== DialogTurnStatus.empty) return;
    const isMessage = dc.context.activity.type === 'message';
    await dc.beginDialog(MAIN_LOOP, { greet: true, interpret: isMessage } satisfies LoopOptions);
  }

  /**
   * Inside a dialog (not at the menu, which reads every message itself), a
   * message that clearly asks for a person or for help ("我要找人工") is that
   * request, not an answer: the dialog waits underneath and asks again after.
   */
  private requestDuringTask(dc: DialogContext, text: string | undefined): GlobalCommand | undefined {
    const active = dc.activeDialog?.id;
    if (!text || active === undefined || active === MENU_PROMPT || active === LANGUAGE_DIALOG) return undefined;
    const intent = this.deps.understanding.interruption(text)?.intent;
    if (intent === 'person' && this.deps.personDialogId && active !== this.deps.personDialogId) return { kind: 'person' };
    if (intent === 'help') return { kind: 'help' };
    return undefined;
  }

  private async interrupt(inner: DialogContext, command: GlobalCommand): Promise<DialogTurnResult> {
    const { translator } = this.deps;
    switch (command.kind) {
      case 'help':
        await inner.context.sendActivity(translator.t(turnLocaleOf(inner.context), 'help.text'));
        await inner.repromptDialog();
        return Dialog.EndOfTurn;
      case 'language':
        await this.deps.preferences.update(inner.context, { chosenLocale: command.locale });
        setTurnLocale(inner.context, command.locale);
        if (inner.activeDialog?.id === MENU_PROMPT || inner.activeDialog?.id === LANGUAGE_DIALOG) {
          await inner.cancelAllDialogs();
          return inner.beginDialog(MAIN_LOOP, { beforeKey: 'language.changed' } satisfies LoopOptions);
        }
        // In the middle of a task: keep the progress, ask the same question again in the new language.
        await inner.context.sendActivity(translator.t(command.locale, 'language.changed'));
        await inner.repromptDialog();
        return Dialog.EndOfTurn;
      case 'cancel': {
        const busy = inner.activeDialog !== undefined && inner.activeDialog.id !== MENU_PROMPT;
        await inner.cancelAllDialogs();
        return inner.beginDialog(MAIN_LOOP, { beforeKey: busy ? 'cancel.done' : 'cancel.nothing' } satisfies LoopOptions);
      }
      case 'restart':
        await inner.cancelAllDialogs();
        return inner.beginDialog(MAIN_LOOP, { beforeKey: 'restart.done', greet: false } satisfies LoopOptions);
      case 'person':
        // On top of whatever is running: it resumes when the call-back is arranged.
        if (this.deps.personDialogId) return inner.beginDialog(this.deps.personDialogId);
        return inner.continueDialog();
    }
  }

  private async showMenu(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { greet, beforeKey, interpret } = (step.options ?? {}) as LoopOptions;
    const picked = interpret ? this.menuPrompt.understand(step.context) : undefined;
    // A first message that is a greeting still gets the greeting and the menu.
    if (picked && picked.kind !== 'greeting') return step.next(picked);
    return step.prompt(MENU_PROMPT, { validations: { greet, beforeKey } satisfies MenuPromptOptions });
  }

  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const pick = step.result as MenuPick;
    if (pick.kind === 'greeting') return step.replaceDialog(MAIN_LOOP, { greet: true } satisfies LoopOptions);
    if (pick.kind === 'say') return step.replaceDialog(MAIN_LOOP, { beforeKey: pick.key } satisfies LoopOptions);
    if (pick.kind === 'goodbye') {
      // No menu after a goodbye: the next message starts afresh.
      await step.context.sendActivity(this.deps.translator.t(turnLocaleOf(step.context), 'smalltalk.goodbye'));
      return step.endDialog();
    }
    if (pick.kind === 'language') {
      await this.deps.preferences.update(step.context, { chosenLocale: pick.locale });
      setTurnLocale(step.context, pick.locale);
      return step.replaceDialog(MAIN_LOOP, { beforeKey: 'language.changed' } satisfies LoopOptions);
    }
    if (pick.kind === 'appeal' && this.deps.appealDialogId) return step.beginDialog(this.deps.appealDialogId, { number: pick.number });
    if (pick.kind === 'ticket' && this.deps.ticketDialogId) return step.beginDialog(this.deps.ticketDialogId, { number: pick.number });
    if (pick.kind === 'story' && this.deps.storyDialogId) return step.beginDialog(this.deps.storyDialogId, { story: pick.text });
    if (pick.kind === 'evidence' && this.deps.evidenceDialogId) return step.beginDialog(this.deps.evidenceDialogId);
    if (pick.kind !== 'entry') return step.replaceDialog(MAIN_LOOP, {} satisfies LoopOptions);
    if (pick.entry.dialogId) return step.beginDialog(pick.entry.dialogId);
    // Help is the one entry without a dialog of its own.
    await step.context.sendActivity(this.deps.translator.t(turnLocaleOf(step.context), 'help.text'));
    return step.replaceDialog(MAIN_LOOP, {} satisfies LoopOptions);
  }

  private async again(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = step.result as { beforeKey?: string } | undefined;
    return step.replaceDialog(MAIN_LOOP, { beforeKey: result?.beforeKey } satisfies LoopOptions);
  }
}
