/** Lets the customer pick the language explicitly; the choice is remembered. */
import { MessageFactory } from 'botbuilder';
import { ComponentDialog, TextPrompt, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Translator } from '../bot/content/i18n';
import type { CommandRecognizer } from '../bot/content/commands';
import type { PreferenceStore } from '../bot/turn/preferences';
import { setTurnLocale, turnLocaleOf } from '../bot/turn/turn-info';
import { SUPPORTED_LOCALES } from '../bot/content/schemas';

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
    this.addDialog(new TextPrompt(PROMPT, async (p) => this.commands.recognise(p.recognized.value)?.kind === 'language'));
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

  private async apply(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const command = this.commands.recognise(step.result as string);
    if (command?.kind !== 'language') return step.endDialog();
    await this.preferences.update(step.context, { chosenLocale: command.locale });
    setTurnLocale(step.context, command.locale);
    return step.endDialog({ beforeKey: 'language.changed' });
  }
}
