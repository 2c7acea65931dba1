/**
 * What the intake does with a question after three answers it cannot use:
 * it is not asked a fourth time. The step is left the way a person at a desk
 * would leave it — "I'll note that as not given" — and the complaint goes on;
 * nothing is invented (a missing date stays missing, a missing consent is a
 * "no"). Only the final confirmation cannot be assumed: the customer is told
 * every way forward instead (submit, change, a person, cancel).
 */
import { hasWords } from './answers';
import { skip, type IntakeRecord } from './record';
import { maskPii } from '../../bot/privacy/mask';

export type AfterGivingUp = 'advance' | 'confirm' | 'confirmChoices' | 'submitNew';

/** Leaves `step` as the customer left it; `text` is their last answer; `t` a text of the intake namespace. */
export function giveUp(record: IntakeRecord, step: string, text: string, t: (key: string) => string): AfterGivingUp {
  switch (step) {
    case 'description':
      // Their own words, however few, rather than nothing: the handler reads what they said.
      record.description = hasWords(text) ? maskPii(text).text : t('notGiven');
      return 'advance';
    case 'category':
      record.reason = 'other';
      return 'advance';
    case 'when':
    case 'amount':
      skip(record, step);
      return 'advance';
    case 'wish':
      record.wish = t('notGiven');
      return 'advance';
    case 'contact':
      record.phone = null;
      return 'advance';
    case 'consent':
      record.consent = false;
      record.phone = null; // no consent: nothing personal is kept
      return 'advance';
    case 'financialConsent':
      record.financialConsent = false;
      return 'advance';
    case 'editWhich':
      return 'confirm';
    case 'sameMatter':
      return 'submitNew';
    default:
      return 'confirmChoices';
  }
}
