/**
 * Waits for the customer's pick from the main menu. A button or its label is a
 * pick; any other message is read by the recognizer (bot/understanding), and
 * what it means decides: "查询进度" is the progress entry, a story is a
 * complaint, a question is answered honestly. Anything it cannot place is
 * answered by re-asking with the menu, inside the prompt: no dialog is
 * restarted, and the re-ask is built in the language of the current turn (the
 * customer may have switched since the menu was shown).
 */
import type { TurnContext } from 'botbuilder';
import { Prompt, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';
import type { Translator } from '../bot/content/i18n';
import type { SupportedLocale } from '../bot/content/schemas';
import type { Expecting, Recognition } from '../bot/understanding/recognizer';
import { markNotUnderstood, turnLocaleOf } from '../bot/turn/turn-info';
import type { Menu, MenuEntry } from './menu';

export type MenuPick =
  | { kind: 'entry'; entry: MenuEntry }
  | { kind: 'greeting' }
  | { kind: 'ticket'; number: string }
  | { kind: 'appeal'; number: string }
  | { kind: 'story'; text: string }
  /** A question for the knowledge base (no text: ask for it; `aside`: answered in the middle of another task). */
  | { kind: 'question'; text?: string; askIfUnknown?: boolean; aside?: boolean }
  | { kind: 'evidence' }
  | { kind: 'language'; locale: SupportedLocale }
  /** Answered with one sentence (an i18n key), then the menu again. */
  | { kind: 'say'; key: string }
  | { kind: 'goodbye' };

/** What a message means (bot/understanding's recognizer). */
export interface MessageUnderstanding {
  recognise(text: string | undefined, expecting?: Expecting): Recognition;
  /** Inside a dialog: what the message clearly asks for instead of answering. */
  interruption(text: string | undefined): Recognition | undefined;
}

/** What the knowledge base can answer, when there is one (bot/faq through dialogs/question-dialog.ts). */
export interface QuestionReader {
  /** An answer or close choices exist for this text. */
  knowsAbout(text: string): boolean;
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
    private readonly translator: Translator,
    private readonly understanding: MessageUnderstanding,
    /** Absent while no knowledge base is built: a question is then answered honestly with the menu. */
    private readonly questions?: QuestionReader,
  ) {
    super(id);
  }

  protected async onPrompt(context: TurnContext, state: { misses?: number }, options: PromptOptions, isRetry: boolean): Promise<void> {
    const locale = turnLocaleOf(context);
    if (isRetry) {
      // Never trapped: from the second message in a row it cannot place, the menu also says how to reach a person.
      state.misses = (state.misses ?? 0) + 1;
      markNotUnderstood(context);
      await context.sendActivity(this.menu.activity(locale, state.misses >= 2 ? 'fallback.wayForward' : 'fallback.notUnderstood'));
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
    if (!text?.trim()) return undefined;
    return this.pickFor(text, this.understanding.recognise(text, 'menu'));
  }


  /** What the menu does with a message that means `r` (also used inside a dialog: task-interruption.ts). */
  pickFor(text: string, r: Recognition): MenuPick | undefined {
    const entry = (id: string): MenuPick | undefined => {
      const e = this.menu.byId(id);
      return e ? { kind: 'entry', entry: e } : undefined;
    };
    switch (r.intent) {
      case 'complaint':
        // "我要投诉" asks for the intake; anything more is the story, which the intake reads (nobody tells it twice).
        return r.exact ? entry('complaint') : { kind: 'story', text };
      case 'progress':
        return r.ticketNumber ? { kind: 'ticket', number: r.ticketNumber } : entry('progress');
      case 'appeal':
        // Without a number, the customer's complaints are listed, each answered one with how to appeal it.
        return r.ticketNumber ? { kind: 'appeal', number: r.ticketNumber } : entry('progress');
      case 'withdraw':
        return entry('withdraw');
      case 'person':
        return entry('person');
      case 'help':
        return entry('help');
      case 'language':
        return r.locale ? { kind: 'language', locale: r.locale } : entry('language');
      case 'question':
        // Without a knowledge base, say so honestly: a question is never taken as a complaint.
        if (!this.questions) return { kind: 'say', key: 'question.notYet' };
        // "我有个问题" asks for the question; "我不是投诉，只是问问" may carry none.
        return r.exact ? { kind: 'question' } : { kind: 'question', text, askIfUnknown: r.negated.length > 0 };
      case 'greeting':
        return { kind: 'greeting' };
      case 'thanks':
        return { kind: 'say', key: 'smalltalk.thanks' };
      case 'goodbye':
        return { kind: 'goodbye' };
      case 'cancel':
        return { kind: 'say', key: 'cancel.nothing' };
      case 'restart':
        return { kind: 'say', key: 'restart.done' };
      case 'none':
        // A bare topic ("信用卡年费", "吞卡") is a question when the knowledge base knows it.
        return this.questions?.knowsAbout(text) ? { kind: 'question', text } : undefined;
    }
  }
}
