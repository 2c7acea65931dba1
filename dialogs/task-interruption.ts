/**
 * Inside a dialog, what a message asks for instead of answering the question
 * (issue 9 §1): "我要找人工" during the intake, "查询进度" while a phone number is
 * asked, "我不是投诉，只是问问" after the bot took a question for a complaint.
 * It decides only; the root flow carries it out:
 *  - `command`: a global command (help, a person, a language by name);
 *  - `onTop`: the other task runs above the current one, which then asks its
 *    question again (checking progress never loses a half-told complaint);
 *  - `leave`: the current task was a misunderstanding (the customer says it is
 *    not what they want) or gives way to a new complaint: it is ended, the
 *    customer is told so, and the other task starts.
 * Only short, clear requests count (the recognizer's `interruption`): a story
 * that mentions 人工 or 进度 is still the answer to "what happened?".
 */
import type { GlobalCommand } from '../bot/content/commands';
import type { Intent } from '../bot/understanding/policy';
import type { Recognition } from '../bot/understanding/recognizer';
import type { MenuPick, MessageUnderstanding } from './menu-prompt';

/** Longer than this, a message with a question in it is taken as the answer (a story), not a question to answer aside. */
const MAX_QUESTION_CHARS = 30;

export type TaskRequest =
  | { kind: 'command'; command: GlobalCommand }
  | { kind: 'onTop'; pick: MenuPick }
  | { kind: 'leave'; pick: MenuPick; saidKey: string };

export interface TaskDialogs {
  /** Dialog id → what that dialog is for (intake → complaint, withdraw → withdraw…). */
  purposeOf: (dialogId: string) => Intent | undefined;
  /** What the menu would do with this meaning (MenuPrompt.pickFor). */
  pickFor: (text: string, r: Recognition) => MenuPick | undefined;
  /** The knowledge base has a confident answer to this text (absent: no knowledge base). */
  answersDirectly?: (text: string) => boolean;
}

export class TaskInterruptions {
  constructor(
    private readonly understanding: MessageUnderstanding,
    private readonly dialogs: TaskDialogs,
  ) {}

  /**
   * What `text` asks for instead of an answer, if anything. `stack` is the
   * root dialog stack, top first (the task waiting for an answer, … the main loop).
   */
  decide(stack: string[], text: string): TaskRequest | undefined {
    const r = this.understanding.interruption(text) ?? this.answerableQuestion(text);
    if (!r || stack.length === 0) return undefined;
    const purposes = stack.map((id) => this.dialogs.purposeOf(id));
    const purpose = purposes[0];
    // A person, asked for again while one is being arranged: the main flow asks for the number again.
    if (r.intent === 'person') return { kind: 'command', command: { kind: 'person' } };
    // "我要投诉" during the intake (or while a person is arranged on top of it) is more of the same.
    if (purposes.includes(r.intent)) return undefined;
    const misunderstood = purpose !== undefined && r.negated.includes(purpose);
    switch (r.intent) {
      case 'help':
        return { kind: 'command', command: { kind: 'help' } };
      case 'language':
        return r.locale ? { kind: 'command', command: { kind: 'language', locale: r.locale } } : this.onTop(text, r);
      case 'progress':
      case 'withdraw':
        return misunderstood ? this.leave(text, r, purpose, stack.length) : this.onTop(text, r);
      case 'appeal':
        // Without a number the menu would list the complaints: harmless on top, and the task goes on.
        return misunderstood ? this.leave(text, r, purpose, stack.length) : this.onTop(text, r);
      case 'question': {
        // "我不是投诉，只是问问": the task that was a mistake ends, and the question is asked for or answered.
        if (misunderstood) return this.leave(text, r, purpose, stack.length);
        // "咨询问题" (the menu button, typed): ask for the question; once answered, the task asks again.
        if (r.exact && this.dialogs.answersDirectly) return { kind: 'onTop', pick: { kind: 'question', aside: true } };
        // A question with a sure answer ("卡被吞了怎么办" during the intake) is answered aside, and the task asks again.
        if (!this.dialogs.answersDirectly?.(text)) return undefined;
        const pick = this.dialogs.pickFor(text, r);
        return pick?.kind === 'question' ? { kind: 'onTop', pick: { ...pick, aside: true } } : undefined;
      }
      case 'complaint':
        // A new complaint is a task of its own: whatever was going on gives way, after saying so.
        return this.leave(text, r, purpose, stack.length);
      default:
        return undefined;
    }
  }

  /**
   * A question the recognizer is less sure of than an interruption needs
   * ("转账限额是多少" reads as a question, but only weakly against an answer to
   * the prompt) still interrupts when the knowledge base has a sure answer and
   * the message is short: a story that ends in "怎么办" stays an answer.
   */
  private answerableQuestion(text: string): Recognition | undefined {
    if (!this.dialogs.answersDirectly || [...text.trim()].length > MAX_QUESTION_CHARS) return undefined;
    // Read as at the menu: against "an answer to the prompt" a bare question always loses.
    const r = this.understanding.recognise(text, 'menu');
    return r.intent === 'question' && this.dialogs.answersDirectly(text) ? r : undefined;
  }

  private onTop(text: string, r: Recognition): TaskRequest | undefined {
    const pick = this.dialogs.pickFor(text, r);
    return pick ? { kind: 'onTop', pick } : undefined;
  }

  private leave(text: string, r: Recognition, purpose: Intent | undefined, depth: number): TaskRequest | undefined {
    const pick = this.dialogs.pickFor(text, r);
    if (!pick) return undefined;
    // Only a task started from the menu is ended: one running on top of another must not take that one with it.
    if (depth > 2) return { kind: 'onTop', pick };
    return { kind: 'leave', pick, saidKey: purpose === 'complaint' ? 'switch.leftComplaint' : 'switch.leftTask' };
  }
}
