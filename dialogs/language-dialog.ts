/** Lets the customer pick the language explicitly; the choice is remembered. */
import { MessageFactory } from 'botbuilder';
import { ComponentDialog, TextPrompt, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Translator } from '../bot/content/i18n';
import { normaliseUtterance, type CommandRecognizer } from '../bot/content/commands';
import type { PreferenceStore } from '../bot/turn/preferences';
import { setTurnLocale, turnLocaleOf } from '../bot/turn/turn-info';
import { SUPPORTED_LOCALES, type SupportedLocale } from '../bot/content/schemas';
import { patientValidator } from './patience';

export const LANGUAGE_DIALOG = 'language';
const STEPS = 'language.steps';
const PROMPT = 'language.prompt';

export class LanguageDialog extends ComponentDialog {
  constructor(
    private readonly translator: Translator,
    private readonly commands: CommandRecognizer,
    private readonly preferences: PreferenceStore,
  ) {
    super(LANGUAGE_DIALOG);
    this.addDialog(new TextPrompt(PROMPT, patientValidator((text) => this.pick(text) !== undefined, (c) => this.translator.t(turnLocaleOf(c), 'language.help'))));
    this.addDialog(new WaterfallDialog(STEPS, [(s) => this.ask(s), (s) => this.apply(s)]));
    this.initialDialogId = STEPS;
  }

  private ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = turnLocaleOf(step.context);
    // Each language is offered in its own words, so a customer can find theirs.
    const names = SUPPORTED_LOCALES.map((l) => this.translator.t(l, 'language.name'));
    const prompt = MessageFactory.suggestedActions(names, this.translator.t(locale, 'language.prompt'));
    return step.prompt(PROMPT, { prompt, retryPrompt: prompt });
  }

  /** The language a reply names, or picks by its number in the list (channels without buttons). */
  private pick(text: string | undefined): SupportedLocale | undefined {
    const command = this.commands.recognise(text);
    if (command?.kind === 'language') return command.locale;
    const n = Number(normaliseUtterance(text ?? ''));
    return Number.isInteger(n) && n >= 1 ? SUPPORTED_LOCALES[n - 1] : undefined;
  }

  private async apply(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = this.pick(step.result as string);
    // Three replies that named no language: back to the menu, which says what else can be done.
    if (!locale) return step.endDialog({ beforeKey: 'fallback.leaveTask' });
    await this.preferences.update(step.context, { chosenLocale: locale });
    setTurnLocale(step.context, locale);
    return step.endDialog({ beforeKey: 'language.changed' });
  }
}
