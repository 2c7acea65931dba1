/**
 * "咨询问题": a customer's question answered from the knowledge base (issue 11),
 * through the `KnowledgeBase` port (bot/faq implements it).
 *
 * - a confident answer is given, then "did this help?" with the entry's
 *   follow-up actions as buttons (a complaint, a person, progress);
 * - when the first entries are close, they are offered as choices (numbered on
 *   WeChat) and "none of these";
 * - with no answer, the bot says so plainly and the menu offers a complaint or
 *   a person: a question is never taken for a complaint;
 * - `aside`: asked in the middle of another task (the intake), the answer is
 *   given alone and that task asks its question again.
 * A reply that is none of the offered buttons is not forced into one: the
 * dialog ends and the main flow reads the message as it would at the menu
 * (`{ reread: true }`), so a new question or a story is never lost.
 */
import { MessageFactory, type TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { normaliseUtterance } from '../bot/content/commands';
import type { Translator } from '../bot/content/i18n';
import type { SupportedLocale } from '../bot/content/schemas';
import { turnLocaleOf } from '../bot/turn/turn-info';

export const QUESTION_DIALOG = 'question';

/** A reply to "did this help?" this short is read for yes/no words inside it; a longer one is a new message. */
const SHORT_REPLY = { hanChars: 12, words: 8 };
const NEGATION = /不|没|沒|别|別|\bno\b|\bnot\b|n't/i;

/** What a follow-up button leads to (the menu entry of the same id; an appeal starts from the complaint list). */
export type FaqAction = 'complaint' | 'person' | 'progress' | 'appeal';

export type FaqLookup =
  | { kind: 'answer'; id: string }
  | { kind: 'choices'; options: { id: string; question: string }[] }
  | { kind: 'none' };

/** The knowledge base as the dialogs see it (bot/faq). */
export interface KnowledgeBase {
  /** What the knowledge base can say to `text` (counted for the supervisors' figures). */
  lookup(text: string, locale: SupportedLocale): FaqLookup;
  /** Whether `text` has a confident answer (not counted: used to decide whether a message is a question at all). */
  answersDirectly(text: string): boolean;
  /** Whether `text` has an answer or close choices (not counted). */
  knowsAbout(text: string): boolean;
  /** The entry's question (its first phrasing), its answer with placeholders filled, and its follow-up actions, in `locale`. */
  answer(id: string, locale: SupportedLocale): { question: string; text: string; actions: FaqAction[] } | undefined;
  /** "Did this help?" answered. */
  feedback(id: string, helpful: boolean): void;
}

export interface QuestionOptions {
  /** The question as the customer wrote it; absent: ask for it. */
  text?: string;
  /** Asked during another task: answer only, then that task goes on. */
  aside?: boolean;
  /** The text may be only "我不是投诉，只是问问": with no answer for it, ask for the question instead of saying there is none. */
  askIfUnknown?: boolean;
}

/** What the dialog ends with, for the main flow. */
export interface QuestionResult {
  /** Sentence before the menu (an i18n key). */
  beforeKey?: string;
  /** Start this menu entry next (a follow-up button). */
  entryId?: string;
  /** The message was not an answer to the buttons: read it as at the menu. */
  reread?: boolean;
}

interface QuestionState {
  step: 'ask' | 'choose' | 'feedback';
  aside?: boolean;
  /** Offered choices (ids, in order) or the answered entry. */
  ids: string[];
  /** Follow-up actions offered after an answer. */
  actions?: FaqAction[];
  /** Replies to "what is your question?" that found nothing. */
  misses?: number;
}

export class QuestionDialog extends Dialog<QuestionOptions> {
  constructor(
    private readonly kb: KnowledgeBase,
    private readonly translator: Translator,
  ) {
    super(QUESTION_DIALOG);
  }

  override async beginDialog(dc: DialogContext, options?: QuestionOptions): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as QuestionState;
    Object.assign(state, { step: 'ask', aside: options?.aside, ids: [] } satisfies QuestionState);
    const text = options?.text?.trim();
    // "我不是投诉，只是问问" is not itself a question: only a sure answer is given to it, never choices.
    if (!text || (options?.askIfUnknown && !this.kb.answersDirectly(text))) {
      await dc.context.sendActivity(this.t(dc.context, 'ask'));
      return Dialog.EndOfTurn;
    }
    return this.handle(dc, state, text);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as QuestionState;
    const text = dc.context.activity.text?.trim() ?? '';
    if (dc.context.activity.type !== 'message') return Dialog.EndOfTurn;
    switch (state.step) {
      case 'ask':
        return this.asked(dc, state, text);
      case 'choose':
        return this.chosen(dc, state, text);
      case 'feedback':
        return this.feedback(dc, state, text);
    }
  }

  override async repromptDialog(context: TurnContext, instance: { state: object }): Promise<void> {
    const state = instance.state as QuestionState;
    if (state.step === 'ask') await context.sendActivity(this.t(context, 'ask'));
    else if (state.step === 'choose') await context.sendActivity(this.choicesActivity(context, state.ids));
    else await context.sendActivity(this.feedbackActivity(context, state.actions ?? []));
  }

  /** The customer's question, as asked: an answer, choices or an honest "no answer yet". */
  private async handle(dc: DialogContext, state: QuestionState, text: string): Promise<DialogTurnResult> {
    const locale = turnLocaleOf(dc.context);
    const found = this.kb.lookup(text, locale);
    if (found.kind === 'answer') return this.give(dc, state, found.id);
    if (found.kind === 'choices') {
      Object.assign(state, { step: 'choose', ids: found.options.map((o) => o.id) } satisfies Partial<QuestionState>);
      await dc.context.sendActivity(this.choicesActivity(dc.context, state.ids));
      return Dialog.EndOfTurn;
    }
    if (state.aside) {
      await dc.context.sendActivity(this.t(dc.context, 'noneAside'));
      return dc.endDialog();
    }
    return dc.endDialog({ beforeKey: 'question:none' } satisfies QuestionResult);
  }

  private async asked(dc: DialogContext, state: QuestionState, text: string): Promise<DialogTurnResult> {
    if (!text) {
      await dc.context.sendActivity(this.t(dc.context, 'ask'));
      return Dialog.EndOfTurn;
    }
    return this.handle(dc, state, text);
  }

  private async chosen(dc: DialogContext, state: QuestionState, text: string): Promise<DialogTurnResult> {
    const locale = turnLocaleOf(dc.context);
    const said = normaliseUtterance(text);
    const labels = state.ids.map((id) => normaliseUtterance(this.questionOf(id, locale)));
    const number = ordinalOf(said) ?? NaN;
    const index = number >= 1 && number <= state.ids.length ? number - 1 : labels.indexOf(said);
    if (index >= 0) return this.give(dc, state, state.ids[index]!);
    if (number === state.ids.length + 1 || said === normaliseUtterance(this.t(dc.context, 'noneOfThese'))) {
      if (state.aside) {
        await dc.context.sendActivity(this.t(dc.context, 'noneAside'));
        return dc.endDialog();
      }
      return dc.endDialog({ beforeKey: 'question:noneMatched' } satisfies QuestionResult);
    }
    // Something else: another question, or a different request altogether.
    if (state.aside) return dc.endDialog();
    return dc.endDialog({ reread: true } satisfies QuestionResult);
  }

  private async give(dc: DialogContext, state: QuestionState, id: string): Promise<DialogTurnResult> {
    const locale = turnLocaleOf(dc.context);
    const answer = this.kb.answer(id, locale);
    if (!answer) return dc.endDialog({ beforeKey: 'question:none' } satisfies QuestionResult);
    if (state.aside) {
      await dc.context.sendActivity(answer.text);
      return dc.endDialog();
    }
    Object.assign(state, { step: 'feedback', ids: [id], actions: answer.actions } satisfies Partial<QuestionState>);
    await dc.context.sendActivity(answer.text);
    await dc.context.sendActivity(this.feedbackActivity(dc.context, answer.actions));
    return Dialog.EndOfTurn;
  }

  private async feedback(dc: DialogContext, state: QuestionState, text: string): Promise<DialogTurnResult> {
    const said = normaliseUtterance(text);
    const id = state.ids[0]!;
    const is = (key: string) => said === normaliseUtterance(this.t(dc.context, key)) || this.words(dc.context, `${key}Words`).includes(said);
    // In a short sentence ("嗯 有用，谢谢", "没有用啊"): a no-word wins; a yes-word counts only without a negation in it.
    const short = isShort(said);
    // Inside a sentence only words of two characters or more: "有" alone is yes, "我还有个问题" is not.
    const has = (key: string) => short && this.words(dc.context, `${key}Words`).some((w) => [...w].length > 1 && containsWord(said, w));
    // A digit picks the button of that place (WeChat numbers them; on the web customers type "1" just the same).
    const buttons = ['helped', 'notHelped', ...(state.actions ?? []).map((a) => `action.${a}`)];
    const place = ordinalOf(said);
    const picked = place ? buttons[place - 1] : undefined;
    if (picked) return this.feedback(dc, state, this.t(dc.context, picked));
    const action = (state.actions ?? []).find((a) => said === normaliseUtterance(this.t(dc.context, `action.${a}`)));
    if (action) return dc.endDialog({ entryId: action === 'appeal' ? 'progress' : action } satisfies QuestionResult);
    if (is('notHelped') || has('notHelped')) {
      this.kb.feedback(id, false);
      return dc.endDialog({ beforeKey: 'question:sorry' } satisfies QuestionResult);
    }
    if (is('helped') || (has('helped') && !NEGATION.test(said))) {
      this.kb.feedback(id, true);
      return dc.endDialog({ beforeKey: 'question:glad' } satisfies QuestionResult);
    }
    return dc.endDialog({ reread: true } satisfies QuestionResult);
  }

  private feedbackActivity(context: TurnContext, actions: FaqAction[]) {
    const buttons = [this.t(context, 'helped'), this.t(context, 'notHelped'), ...actions.map((a) => this.t(context, `action.${a}`))];
    return MessageFactory.suggestedActions(buttons, this.t(context, 'didItHelp'));
  }

  private choicesActivity(context: TurnContext, ids: string[]) {
    const locale = turnLocaleOf(context);
    return MessageFactory.suggestedActions([...ids.map((id) => this.questionOf(id, locale)), this.t(context, 'noneOfThese')], this.t(context, 'choices'));
  }

  /** The entry's question as a button: its first phrasing in the locale. */
  private questionOf(id: string, locale: SupportedLocale): string {
    return this.kb.answer(id, locale)?.question ?? id;
  }

  private t(context: TurnContext, key: string): string {
    return this.translator.t(turnLocaleOf(context), `question:${key}`);
  }

  /** Other ways to say yes/no to "did this help?" (a list in the locale file, "|"-separated). */
  private words(context: TurnContext, key: string): string[] {
    return this.t(context, key).split('|').map(normaliseUtterance).filter(Boolean);
  }
}

/** `word` inside `text`: anywhere for Chinese, as whole words for English ("no" is not in "know"). */
function containsWord(text: string, word: string): boolean {
  if (!/[a-z]/i.test(word)) return text.includes(word);
  return new RegExp(`(^|[^a-z'])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z'])`, 'i').test(text);
}

function isShort(said: string): boolean {
  const han = [...said.matchAll(/\p{Script=Han}/gu)].length;
  const words = said.split(/\s+/).filter((w) => /[a-z0-9]/i.test(w)).length;
  return han <= SHORT_REPLY.hanChars && words <= SHORT_REPLY.words;
}

const CHINESE_ORDINALS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6 };
const ENGLISH_ORDINALS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };

/** "2", "第二个", "第2条", "选三", "the second one", "number 2": the place in a list, or undefined. */
export function ordinalOf(said: string): number | undefined {
  const text = said.trim().toLowerCase();
  const digit = /^(?:第|选|選|no\.?\s*|number\s*|#)?\s*(\d)\s*(?:个|個|条|條|项|項|号|號)?$/.exec(text);
  if (digit) return Number(digit[1]) || undefined;
  const han = /^(?:第|选|選)([一二两三四五六])(?:个|個|条|條|项|項|号|號)?$|^([一二两三四五六])(?:个|個|条|條|项|項|号|號)$/.exec(text);
  if (han) return CHINESE_ORDINALS[han[1] ?? han[2] ?? ''];
  const en = /^(?:the\s+)?(first|second|third|fourth|fifth|sixth)(?:\s+one)?$|^(?:number|option)\s+(one|two|three|four|five|six)$/.exec(text);
  if (en) return ENGLISH_ORDINALS[en[1] ?? en[2] ?? ''];
  return undefined;
}
