/**
 * Waits for the customer's pick from the main menu. Anything that is not a
 * menu entry (or a greeting) is answered by re-asking with the menu, inside the
 * prompt: no dialog is restarted, and the re-ask is built in the language of
 * the current turn (the customer may have switched since the menu was shown).
 */
import type { TurnContext } from 'botbuilder';
import { Prompt, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';
import type { CommandRecognizer } from '../bot/content/commands';
import { turnLocaleOf } from '../bot/turn/turn-info';
import type { Menu, MenuEntry } from './menu';

export type MenuPick = { kind: 'entry'; entry: MenuEntry } | { kind: 'greeting' };

export class MenuPrompt extends Prompt<MenuPick> {
  constructor(
    id: string,
    private readonly menu: Menu,
    private readonly commands: CommandRecognizer,
  ) {
    super(id);
  }

  protected async onPrompt(context: TurnContext, _state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    if (isRetry) await context.sendActivity(this.menu.activity(turnLocaleOf(context), 'fallback.notUnderstood'));
    else if (options.prompt) await context.sendActivity(options.prompt);
  }

  protected async onRecognize(context: TurnContext): Promise<PromptRecognizerResult<MenuPick>> {
    const text = context.activity.text;
    const entry = this.menu.match(text);
    if (entry) return { succeeded: true, value: { kind: 'entry', entry } };
    if (this.commands.isGreeting(text)) return { succeeded: true, value: { kind: 'greeting' } };
    return { succeeded: false };
  }
}
