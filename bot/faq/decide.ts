/**
 * From ranked hits to what the customer gets: one answer when the first is
 * both similar enough and clearly ahead; the close ones as choices when it is
 * not clearly ahead (never a direct answer that could be the wrong one of two);
 * nothing when even the first is too far.
 */
import type { FaqSearchPolicy } from './schema';

export type FaqHit = { id: string; score: number; question: string /* canonical question in the asked locale */ };
export type FaqDecision =
  | { kind: 'answer'; hit: FaqHit; others: FaqHit[] }
  | { kind: 'choices'; hits: FaqHit[] /* 2-3 */ }
  | { kind: 'none'; nearest: FaqHit[] };

export function decide(ranked: FaqHit[], t: FaqSearchPolicy['thresholds']): FaqDecision {
  const [first, second] = ranked;
  if (!first || first.score < t.choices) return { kind: 'none', nearest: ranked.slice(0, t.maxChoices) };
  const gap = first.score - (second?.score ?? 0);
  if (first.score >= t.answer && gap >= t.margin) return { kind: 'answer', hit: first, others: ranked.slice(1, t.maxChoices) };
  if (!second) return { kind: 'none', nearest: [first] };
  const close = ranked.slice(1, t.maxChoices).filter((h) => first.score - h.score <= t.choiceSpread);
  // Always two at least: the first alone was not sure enough to answer.
  return { kind: 'choices', hits: [first, ...(close.length > 0 ? close : [second])] };
}
