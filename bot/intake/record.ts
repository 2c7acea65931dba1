/**
 * The complaint record as the intake fills it, and the rules for what is
 * still missing. `undefined` means "not known yet"; `null` means "the customer
 * said there is none" (no amount, anonymous). Shared by the intake dialog and
 * `npm run intake:eval`, which runs the same rules without a conversation.
 */
import type { Extracted } from './extract';
import type { ComplaintPolicy, IntakeField } from '../tickets/policy';

export interface IntakeRecord {
  description?: string;
  /** The nature category (time limits, the amount question). */
  category?: string;
  /** The business line (routing, statistics). */
  line?: string;
  /** The reason, after the regulator's causes (statistics). */
  reason?: string;
  /** Reasons most likely first, from the story: the category question offers these first. */
  reasonGuesses?: string[];
  /** A collection agency, lender or platform the customer named. */
  thirdParty?: string;
  occurredAt?: string;
  /** As precise as the customer said it: "2021", "2021-06", "2021-06-03"; the start of a period. */
  occurredOn?: string;
  /** The end of a period (several dates). */
  occurredUntil?: string;
  occurredText?: string;
  amount?: { value: number; currency: string } | null;
  wish?: string;
  phone?: string | null;
  branch?: string;
  cardTail?: string;
  consent?: boolean;
  financialConsent?: boolean;
  evidence: { kind: string; url?: string; name?: string }[];
  /** What the customer wrote, masked; for the level signals and the record. */
  texts: string[];
  /** Questions the customer chose to leave, or could not answer: not asked again (absent in records from before it existed). */
  skipped?: Step[];
}

export type Step = IntakeField | 'consent' | 'financialConsent';

/**
 * The questions about the complaint itself, which a story can answer. The contact number (about the
 * customer: asked of everyone who gave none), the consents and the confirmation are not among them.
 */
export const INFORMATION_STEPS: readonly Step[] = ['description', 'category', 'when', 'amount', 'wish'];

/** Largest amount we accept without asking again (absurd values are re-asked). */
export const MAX_AMOUNT = 1e10;

/** Copies what extraction found into the record; `override` replaces known values (a correction). */
export function absorb(record: IntakeRecord, found: Extracted, override = false): string[] {
  const changed: string[] = [];
  const put = <K extends keyof IntakeRecord>(key: K, value: IntakeRecord[K] | undefined) => {
    if (value === undefined) return;
    if (record[key] !== undefined && !override) return;
    record[key] = value;
    changed.push(key);
  };
  put('category', found.category ?? (record.category === undefined ? found.impliedCategory : undefined));
  put('line', found.line);
  put('reason', found.reason);
  if (!record.reasonGuesses && found.reasonRanking.length > 0) record.reasonGuesses = found.reasonRanking;
  put('thirdParty', found.thirdParty);
  if (found.amount && found.amount.value > 0 && found.amount.value <= MAX_AMOUNT) put('amount', found.amount);
  if ((found.occurredOn || found.occurredText) && !found.occurredInFuture && (override || !hasWhen(record))) {
    // One reading of the time replaces the whole of the last one: a month never keeps an earlier day.
    record.occurredAt = found.occurredAt;
    record.occurredOn = found.occurredOn;
    record.occurredUntil = found.occurredUntil;
    record.occurredText = found.occurredText;
    changed.push('occurredAt');
  }
  put('phone', found.phone);
  put('cardTail', found.cardTail);
  put('branch', found.branch);
  put('wish', found.wish);
  return changed;
}

function hasWhen(record: IntakeRecord): boolean {
  return Boolean(record.occurredAt || record.occurredOn || record.occurredText);
}

const skipped = (record: IntakeRecord, step: Step) => record.skipped?.includes(step) ?? false;

/** The next thing to ask, one per turn, or undefined when the record is complete. */
export function nextStep(record: IntakeRecord, policy: ComplaintPolicy): Step | undefined {
  if (!record.description) return 'description';
  // Asked only when neither the business line nor the reason can be read from what the customer wrote.
  if (!record.line && !record.reason && !skipped(record, 'category')) return 'category';
  if (!hasWhen(record) && !skipped(record, 'when')) return 'when';
  if (record.amount === undefined && record.category && policy.categories[record.category]?.asksAmount && !skipped(record, 'amount')) return 'amount';
  if (!record.wish) return 'wish';
  if (record.phone === undefined) return 'contact';
  if (record.phone !== null && record.consent === undefined) return 'consent';
  if (record.cardTail && record.financialConsent === undefined) return 'financialConsent';
  return undefined;
}

/** Leaves a question unanswered for good (the customer said "skip", or it could not be answered). */
export function skip(record: IntakeRecord, step: Step): void {
  record.skipped = [...new Set([...(record.skipped ?? []), step])];
}

/** Forgets a field so it is asked again. */
export function clearField(record: IntakeRecord, field: IntakeField): void {
  record.skipped = record.skipped?.filter((s) => s !== field);
  if (field === 'when') {
    record.occurredAt = undefined;
    record.occurredOn = undefined;
    record.occurredUntil = undefined;
    record.occurredText = undefined;
  } else if (field === 'contact') {
    record.phone = undefined;
    record.consent = undefined;
  } else if (field === 'category') {
    record.category = undefined;
    record.line = undefined;
    record.reason = undefined;
  } else record[field] = undefined;
}
