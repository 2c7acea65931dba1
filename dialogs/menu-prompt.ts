/**
 * Waits for the customer's pick from the main menu. Anything that is not a
 * menu entry (or a greeting) is answered by re-asking with the menu, inside the
 * prompt: no dialog is restarted, and the re-ask is built in the language of
 * the current turn (the customer may have switched since the menu was shown).
 */
import type { TurnContext } from 'botbuilder';
import { Prompt, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';
import type { CommandRecognizer } from '../bot/content/commands';
import type { Translator } from '../bot/content/i18n';
import { turnLocaleOf } from '../bot/turn/turn-info';
import type { Menu, MenuEntry } from './menu';

export type MenuPick =
  | { kind: 'entry'; entry: MenuEntry }
  | { kind: 'greeting' }
  | { kind: 'ticket'; number: string }
  | { kind: 'appeal'; number: string }
  | { kind: 'story'; text: string }
  | { kind: 'evidence' };

/** What else the menu understands besides its entries: a complaint number, or a story that is a complaint. */
export interface MenuUnderstanding {
  ticketNumber?: RegExp;
  /** Words that, with a complaint number, ask for a review of the answer ("申请复核 TS-…"). */
  isAppeal?: (text: string) => boolean;
  isComplaintStory?: (text: string) => boolean;
}

/**
 * What to say before the menu, as i18n keys. Only keys are kept in dialog
 * state (not the rendered activity): state stays small, and a re-ask after a
 * language switch comes out in the new language.
 */
export interface MenuPromptOptions {
  greet?: boolean;
  beforeKey?: string;
}

export class MenuPrompt extends Prompt<MenuPick> {
  constructor(
    id: string,
    private readonly menu: Menu,
    private readonly commands: CommandRecognizer,
    private readonly translator: Translator,
    private readonly understanding: MenuUnderstanding = {},
  ) {
    super(id);
  }

  protected async onPrompt(context: TurnContext, _state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const locale = turnLocaleOf(context);
    if (isRetry) {
      await context.sendActivity(this.menu.activity(locale, 'fallback.notUnderstood'));
      return;
    }
    const { greet, beforeKey } = (options.validations ?? {}) as MenuPromptOptions;
    const before = [greet ? 'greeting' : undefined, beforeKey]
      .filter((k): k is string => Boolean(k))
      .map((k) => this.translator.t(locale, k))
      .join('\n');
    await context.sendActivity(this.menu.activity(locale, 'menu.prompt', before || undefined));
  }

  protected async onRecognize(context: TurnContext): Promise<PromptRecognizerResult<MenuPick>> {
    const value = this.understand(context);
    return value ? { succeeded: true, value } : { succeeded: false };
  }

  /** What the customer's message picks, if anything (also used for a first message before any menu was shown). */
  understand(context: TurnContext): MenuPick | undefined {
    const text = context.activity.text;
    const clicked = (context.activity.value as { menu?: unknown } | undefined)?.menu;
    const entry = clicked !== undefined ? this.menu.byId(clicked) : this.menu.match(text);
    if (entry) return { kind: 'entry', entry };
    const pictures = (context.activity.attachments ?? []).some((a) => a.contentType?.startsWith('image/'));
    if (pictures && !text?.trim()) return { kind: 'evidence' };
    if (this.commands.isGreeting(text)) return { kind: 'greeting' };
    const number = text ? this.understanding.ticketNumber?.exec(text)?.[0] : undefined;
    if (number) return text && this.understanding.isAppeal?.(text) ? { kind: 'appeal', number } : { kind: 'ticket', number };
    // Customers usually start by telling what happened: that is a complaint, not a wrong menu choice.
    if (text && this.understanding.isComplaintStory?.(text)) return { kind: 'story', text };
    return undefined;
  }
}
