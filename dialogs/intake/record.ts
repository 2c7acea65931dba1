/**
 * The complaint record as the intake fills it, and the rules for what is
 * still missing. `undefined` means "not known yet"; `null` means "the customer
 * said there is none" (no amount, anonymous).
 */
import type { Extracted } from '../../bot/intake/extract';
import type { ComplaintPolicy, IntakeField } from '../../bot/tickets/policy';

export interface IntakeRecord {
  description?: string;
  category?: string;
  occurredAt?: string;
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
}

export type Step = IntakeField | 'consent' | 'financialConsent';

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
  put('category', found.category);
  if (found.amount && found.amount.value > 0 && found.amount.value <= MAX_AMOUNT) put('amount', found.amount);
  if (found.occurredAt && !found.occurredInFuture) {
    put('occurredAt', found.occurredAt);
    put('occurredText', found.occurredText);
  }
  put('phone', found.phone);
  put('cardTail', found.cardTail);
  put('branch', found.branch);
  put('wish', found.wish);
  return changed;
}

/** The next thing to ask, one per turn, or undefined when the record is complete. */
export function nextStep(record: IntakeRecord, policy: ComplaintPolicy): Step | undefined {
  if (!record.description) return 'description';
  if (!record.category) return 'category';
  if (!record.occurredAt) return 'when';
  if (record.amount === undefined && policy.categories[record.category]?.asksAmount) return 'amount';
  if (!record.wish) return 'wish';
  if (record.phone === undefined) return 'contact';
  if (record.phone !== null && record.consent === undefined) return 'consent';
  if (record.cardTail && record.financialConsent === undefined) return 'financialConsent';
  return undefined;
}

/** Forgets a field so it is asked again. */
export function clearField(record: IntakeRecord, field: IntakeField): void {
  if (field === 'when') {
    record.occurredAt = undefined;
    record.occurredText = undefined;
  } else if (field === 'contact') {
    record.phone = undefined;
    record.consent = undefined;
  } else record[field] = undefined;
}
