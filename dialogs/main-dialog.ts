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
import type { SupportedLocale } from '../bot/content/schemas';
import type { CommandRecognizer, GlobalCommand } from '../bot/content/commands';
import type { PreferenceStore } from '../bot/turn/preferences';
import { setTurnLocale, turnLocaleOf } from '../bot/turn/turn-info';
import { LanguageDialog, LANGUAGE_DIALOG } from './language-dialog';
import { Menu, type MenuEntry } from './menu';
import { MenuPrompt, type MenuPick, type MenuPromptOptions, type MessageUnderstanding } from './menu-prompt';
import type { KnowledgeBase, QuestionResult } from './question-dialog';
import { TaskInterruptions, type TaskRequest } from './task-interruption';
import type { Intent } from '../bot/understanding/policy';

const MAIN_LOOP = 'main.loop';
const MENU_PROMPT = 'main.menuPrompt';

interface LoopOptions {
  greet?: boolean;
  /** The conversation starts with this message: act on it if it picks something (a story, a menu button). */
  interpret?: boolean;
  /** Sentence said before the menu prompt (an i18n key). */
  beforeKey?: string;
  /** Act on this pick straight away (a task left for another: task-interruption.ts). */
  pick?: MenuPick;
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
  /** The dialog that answers questions from the knowledge base (options: QuestionOptions), and that knowledge base. */
  questionDialogId?: string;
  knowledge?: Pick<KnowledgeBase, 'knowsAbout' | 'answersDirectly'>;
}

/** What the bot needs from the root flow: its dialogs (for the root DialogSet) and how to run a turn. */
export interface RootFlow {
  readonly dialogs: Dialog[];
  run(dc: DialogContext): Promise<void>;
  /** Shows the menu now, after a sentence (an i18n key): a conversation coming back from a person. */
  startAtMenu(dc: DialogContext, beforeKey?: string): Promise<void>;
  /** The menu's labels in a language (offered with a message sent outside a turn). */
  menuLabels(locale: SupportedLocale): string[];
}

export class MainFlow implements RootFlow {
  private readonly menu: Menu;
  private readonly menuPrompt: MenuPrompt;
  private readonly interruptions: TaskInterruptions;
  readonly dialogs: Dialog[] = [];

  constructor(private readonly deps: MainDialogDeps) {
    this.menu = new Menu(deps.translator, [
      ...deps.features.map((f) => f.entry),
      { id: 'language', labelKey: 'menu.language', dialogId: LANGUAGE_DIALOG },
      { id: 'help', labelKey: 'menu.help' },
    ]);
    const knowledge = deps.questionDialogId ? deps.knowledge : undefined;
    this.menuPrompt = new MenuPrompt(MENU_PROMPT, this.menu, deps.translator, deps.understanding, knowledge);
    this.interruptions = new TaskInterruptions(deps.understanding, {
      purposeOf: (id) => this.purposeOf(id),
      pickFor: (text, r) => this.menuPrompt.pickFor(text, r),
      answersDirectly: knowledge ? (text) => knowledge.answersDirectly(text) : undefined,
    });
    this.dialogs.push(
      new WaterfallDialog(MAIN_LOOP, [(s) => this.showMenu(s), (s) => this.route(s), (s) => this.again(s)]),
      this.menuPrompt,
      new LanguageDialog(deps.translator, deps.commands, deps.preferences),
      ...deps.features.map((f) => f.dialog),
      ...(deps.extraDialogs ?? []),
    );
  }

  /** One turn: a global command wins over whatever dialog is waiting; then a clear request for another task; otherwise continue it, or greet. */
  async run(dc: DialogContext): Promise<void> {
    const text = dc.context.activity.type === 'message' ? dc.context.activity.text : undefined;
    const command = this.deps.commands.recognise(text);
    const request: TaskRequest | undefined = command ? { kind: 'command', command } : this.requestDuringTask(dc, text);
    if (request?.kind === 'command') {
      await this.interrupt(dc, request.command);
      // A command as the very first message: answer it, then show the menu.
      if (!dc.activeDialog) await dc.beginDialog(MAIN_LOOP, {} satisfies LoopOptions);
      return;
    }
    if (request) {
      await this.switchTask(dc, request);
      return;
    }
    const result = await dc.continueDialog();
    if (result.status !== DialogTurnStatus.empty) return;
    const isMessage = dc.context.activity.type === 'message';
    await dc.beginDialog(MAIN_LOOP, { greet: true, interpret: isMessage } satisfies LoopOptions);
  }

  menuLabels(locale: SupportedLocale): string[] {
    return this.menu.entries.map((e) => this.deps.translator.t(locale, e.labelKey));
  }

  async startAtMenu(dc: DialogContext, beforeKey?: string): Promise<void> {
    await dc.cancelAllDialogs();
    await dc.beginDialog(MAIN_LOOP, { beforeKey } satisfies LoopOptions);
  }

  /** Inside a dialog (not at the menu, which reads every message itself): what the message asks for instead of answering. */
  private requestDuringTask(dc: DialogContext, text: string | undefined): TaskRequest | undefined {
    const active = dc.activeDialog?.id;
    if (!text || active === undefined || active === MENU_PROMPT) return undefined;
    // dc.stack has the active dialog last; decide() wants it first.
    return this.interruptions.decide([...dc.stack].reverse().map((d) => d.id), text);
  }

  /** Dialog id → the intent it serves, so that "不是投诉" inside the intake ends the intake. */
  private purposeOf(dialogId: string): Intent | undefined {
    if (dialogId === this.deps.storyDialogId) return 'complaint';
    if (dialogId === LANGUAGE_DIALOG) return 'language';
    if (dialogId === this.deps.appealDialogId) return 'appeal';
    if (dialogId === this.deps.personDialogId) return 'person';
    if (dialogId === this.deps.ticketDialogId) return 'progress';
    if (dialogId === this.deps.questionDialogId) return 'question';
    const entry = this.deps.features.find((f) => f.entry.dialogId === dialogId)?.entry.id;
    return entry === 'withdraw' ? 'withdraw' : undefined;
  }

  /** Another task, above the current one (which asks its question again after) or instead of it. */
  private async switchTask(dc: DialogContext, request: Exclude<TaskRequest, { kind: 'command' }>): Promise<void> {
    const locale = turnLocaleOf(dc.context);
    if (request.kind === 'leave') {
      await dc.context.sendActivity(this.deps.translator.t(locale, request.saidKey));
      await dc.cancelAllDialogs();
      await dc.beginDialog(MAIN_LOOP, { pick: request.pick } satisfies LoopOptions);
      return;
    }
    const { pick } = request;
    if (pick.kind === 'say') {
      await dc.context.sendActivity(this.deps.translator.t(locale, pick.key));
      await dc.repromptDialog();
      return;
    }
    const target = this.dialogFor(pick);
    if (target) await dc.beginDialog(target.id, target.options);
    else await dc.repromptDialog();
  }

  /** The dialog (and its options) a menu pick starts. */
  private dialogFor(pick: MenuPick): { id: string; options?: object } | undefined {
    switch (pick.kind) {
      case 'entry':
        return pick.entry.dialogId ? { id: pick.entry.dialogId } : undefined;
      case 'ticket':
        return this.deps.ticketDialogId ? { id: this.deps.ticketDialogId, options: { number: pick.number } } : undefined;
      case 'appeal':
        return this.deps.appealDialogId ? { id: this.deps.appealDialogId, options: { number: pick.number } } : undefined;
      case 'story':
        return this.deps.storyDialogId ? { id: this.deps.storyDialogId, options: { story: pick.text } } : undefined;
      case 'question':
        return this.deps.questionDialogId
          ? { id: this.deps.questionDialogId, options: { text: pick.text, aside: pick.aside, askIfUnknown: pick.askIfUnknown } }
          : undefined;
      default:
        return undefined;
    }
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
        // On top of whatever is running: it resumes when the call-back is arranged. Asked again while arranging it: carry on.
        if (this.deps.personDialogId && inner.activeDialog?.id === this.deps.personDialogId) {
          await inner.repromptDialog();
          return Dialog.EndOfTurn;
        }
        if (this.deps.personDialogId) return inner.beginDialog(this.deps.personDialogId);
        return inner.continueDialog();
    }
  }

  private async showMenu(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { greet, beforeKey, interpret, pick } = (step.options ?? {}) as LoopOptions;
    if (pick) return step.next(pick);
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
    if (pick.kind === 'evidence' && this.deps.evidenceDialogId) return step.beginDialog(this.deps.evidenceDialogId);
    const target = this.dialogFor(pick);
    if (target) return step.beginDialog(target.id, target.options);
    if (pick.kind !== 'entry') return step.replaceDialog(MAIN_LOOP, {} satisfies LoopOptions);
    // Help is the one entry without a dialog of its own.
    await step.context.sendActivity(this.deps.translator.t(turnLocaleOf(step.context), 'help.text'));
    return step.replaceDialog(MAIN_LOOP, {} satisfies LoopOptions);
  }

  private async again(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = step.result as QuestionResult | undefined;
    // A follow-up button of an answer starts that entry; a reply that was not one of the buttons is read as at the menu.
    const entry = result?.entryId ? this.menu.byId(result.entryId) : undefined;
    const pick: MenuPick | undefined = entry ? { kind: 'entry', entry } : result?.reread ? this.menuPrompt.understand(step.context) : undefined;
    if (pick && pick.kind !== 'greeting') return step.replaceDialog(MAIN_LOOP, { pick } satisfies LoopOptions);
    return step.replaceDialog(MAIN_LOOP, { beforeKey: result?.beforeKey ?? (result?.reread ? 'fallback.notUnderstood' : undefined) } satisfies LoopOptions);
  }
}
