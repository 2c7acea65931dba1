/** Recognising short answers (yes, no, none, anonymous, submit, field names) from the intake policy's word lists. */
import { normaliseUtterance } from '../bot/content/commands';
import type { IntakeField, IntakePolicy } from '../bot/tickets/policy';

export class AnswerWords {
  private readonly sets: Record<'yes' | 'no' | 'none' | 'anonymous' | 'submit' | 'edit', Set<string>>;

  constructor(private readonly words: IntakePolicy['words']) {
    const set = (list: string[]) => new Set(list.map(normaliseUtterance));
    this.sets = { yes: set(words.yes), no: set(words.no), none: set(words.none), anonymous: set(words.anonymous), submit: set(words.submit), edit: set(words.edit) };
  }

  is(kind: keyof AnswerWords['sets'], text: string | undefined): boolean {
    return Boolean(text) && this.sets[kind].has(normaliseUtterance(text ?? ''));
  }

  /** Yes, no, or undefined when the answer is neither. */
  yesNo(text: string | undefined): boolean | undefined {
    if (this.is('yes', text)) return true;
    if (this.is('no', text)) return false;
    return undefined;
  }

  /** The field a correction names ("电话写错了", "change the amount"). */
  fieldIn(text: string): IntakeField | undefined {
    const lower = text.toLowerCase();
    return (Object.entries(this.words.fields) as [IntakeField, string[]][]).find(([, names]) => names.some((n) => lower.includes(n.toLowerCase())))?.[0];
  }
}
