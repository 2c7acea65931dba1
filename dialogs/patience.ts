/**
 * Never trapped (issue 9 §2): a prompt that cannot use an answer asks again
 * once; after the second unusable answer it offers a way forward (say it
 * differently, cancel, a person) instead of the same question; after the
 * third it stops asking and lets the dialog move on. The same question never
 * comes a fourth time.
 *
 * Used as the validator of a TextPrompt: the way-forward message is sent from
 * the validator (the prompt then skips its own retry prompt, because the turn
 * has already been answered), and the third failure ends the prompt with
 * `GAVE_UP`, which the dialog's next step checks with `gaveUp()`.
 */
import type { Activity, TurnContext } from 'botbuilder';
import type { PromptValidator } from 'botbuilder-dialogs';

/** Unusable answers before the prompt stops asking (the way forward comes after one fewer). */
export const UNUSABLE_LIMIT = 3;
const GAVE_UP = '\u0000gave-up';

export function gaveUp(result: unknown): boolean {
  return result === GAVE_UP;
}

/**
 * @param usable whether the answer can be used
 * @param wayForward the text offered after the second unusable answer; the
 *   prompt's buttons (suggested actions) are kept with it
 */
export function patientValidator(usable: (text: string, context: TurnContext) => boolean, wayForward: (context: TurnContext) => string): PromptValidator<string> {
  return async (p) => {
    const text = p.recognized.value ?? '';
    if (p.recognized.succeeded && usable(text, p.context)) return true;
    if (p.attemptCount >= UNUSABLE_LIMIT) {
      p.recognized.value = GAVE_UP;
      return true;
    }
    if (p.attemptCount === UNUSABLE_LIMIT - 1) {
      const shown = p.options.prompt as Partial<Activity> | string | undefined;
      const buttons = typeof shown === 'object' ? shown.suggestedActions : undefined;
      await p.context.sendActivity({ type: 'message', text: wayForward(p.context), ...(buttons ? { suggestedActions: buttons } : {}) });
    }
    return false;
  };
}
