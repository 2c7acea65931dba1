/**
 * From ranked hits to what the customer gets: one answer when the first is
 * both similar enough and clearly ahead; the close ones as choices when it is
 * not clearly ahead (never a direct answer that could be the wrong one of two);
 * nothing when even the first is too far. A first hit that the cross-check
 * disputes (faq-index.ts) is offered as a choice, never answered directly.
 */
import type { FaqSearchPolicy } from './schema';

export type FaqHit = {
  id: string;
  score: number;
  question: string /* canonical question in the asked locale */;
  /** Set on the first hit when the cross-check (a plain BM25 over characters and Latin words, faq-index.ts) puts another entry first: never answered directly. */
  disputed?: boolean;
  /** The message is exactly one of this entry's questions: answered directly whatever the others score. */
  exact?: boolean;
};
export type FaqDecision =
  | { kind: 'answer'; hit: FaqHit; others: FaqHit[] }
  | { kind: 'choices'; hits: FaqHit[] /* 1 to maxChoices: "did you mean…?" */ }
  | { kind: 'none'; nearest: FaqHit[] };

export function decide(ranked: FaqHit[], t: FaqSearchPolicy['thresholds']): FaqDecision {
  const [first, second] = ranked;
  if (!first || first.score < t.choices) return { kind: 'none', nearest: ranked.slice(0, t.maxChoices) };
  const gap = first.score - (second?.score ?? 0);
  if (first.exact || (first.score >= t.answer && gap >= t.margin && !first.disputed)) return { kind: 'answer', hit: first, others: ranked.slice(1, t.maxChoices) };
  // The choices: the first and those close to it that are near enough themselves; a far second is not offered
  // ("附近有什么好吃的" → the branches entry alone, as "did you mean?", not the ATM entry at 0.02).
  const close = ranked.slice(1, t.maxChoices).filter((h) => first.score - h.score <= t.choiceSpread && h.score >= t.choices);
  return { kind: 'choices', hits: [first, ...close] };
}
