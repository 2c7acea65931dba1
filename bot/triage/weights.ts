/**
 * The learned layer beside the rules: a logistic regression that reads how
 * angry a message is from its wording (Chinese characters and character pairs,
 * English words, a few marks of loud writing) and from the rules' own scores.
 * Its weights are a content file, `content/policy/triage-weights.json`, that a
 * supervisor publishes after `npm run triage:eval -- --train` (docs/triage.md);
 * optional, and the repository ships none. Every weight is a number next to a
 * term a person can read, so "why did it say angry" has an answer.
 */
import { z } from 'zod';
import { DIMENSIONS } from './policy';

/** Rule scores the model may weigh (the rules' dimensions, the message score, whether the rules alone hand off, swearing). */
export const RULE_FEATURES = [...DIMENSIONS, 'message', 'rulesHandoff', 'swearing'] as const;
export type RuleFeature = (typeof RULE_FEATURES)[number];

const finite = z.number().refine(Number.isFinite, 'a finite number');

export const triageWeightsSchema = z
  .object({
    $comment: z.string().optional(),
    /** How terms are cut from a message: changing the cutting needs new weights, so the file names it. */
    features: z.literal('han-1-2+latin-words+marks'),
    trainedOn: z.object({ messages: z.number().int().positive(), angry: z.number().int().min(1), at: z.string().min(1) }).strict(),
    bias: finite,
    /** Weight per rule score (scores as the rules give them, capped at the policy's cap). */
    rules: z.object(Object.fromEntries(RULE_FEATURES.map((f) => [f, finite.optional()])) as Record<RuleFeature, z.ZodOptional<typeof finite>>).strict(),
    /** Weight per term (a Chinese character or pair, an English word, a mark such as "!!"). */
    terms: z.record(z.string().min(1).max(40), finite),
    /** The threshold the learner chose on its own training messages (cross-validated); the policy's `learned.handoffAt` decides. */
    suggestedThreshold: z.number().min(0).max(1),
  })
  .strict();
export type TriageWeights = z.infer<typeof triageWeightsSchema>;

/** A message's terms: Han characters and pairs, Latin words of 2+ letters, marks of loud writing; each once. */
export function termsOf(folded: string, raw: string): string[] {
  const out = new Set<string>();
  for (const run of folded.match(/\p{Script=Han}+|[a-z]{2,}/gu) ?? []) {
    if (!/\p{Script=Han}/u.test(run)) {
      out.add(run);
      continue;
    }
    for (let i = 0; i < run.length; i++) {
      out.add(run[i]!);
      if (i + 1 < run.length) out.add(run.slice(i, i + 2));
    }
  }
  // Marks the folding erases: shouting punctuation, ellipses, emoji.
  if (/[!！]/.test(raw)) out.add('!');
  if (/[!！]{2,}/.test(raw)) out.add('!!');
  if (/[?？]/.test(raw)) out.add('?');
  if (/[?？]{2,}|[?？][!！]|[!！][?？]/.test(raw)) out.add('??');
  if (/…|\.{3}|。{2,}/.test(raw)) out.add('...');
  if (/\p{Extended_Pictographic}/u.test(raw)) out.add('emoji');
  return [...out];
}

export type RuleScores = Record<RuleFeature, number>;

/** The rule features of a message from what the rules said about it alone (rounded scores, as `assess` reports them). */
export function ruleScoresOf(scores: Record<(typeof DIMENSIONS)[number] | 'message', number>, rulesHandoff: boolean, swearing: boolean): RuleScores {
  return { ...Object.fromEntries(DIMENSIONS.map((d) => [d, scores[d]])), message: scores.message, rulesHandoff: rulesHandoff ? 1 : 0, swearing: swearing ? 1 : 0 } as RuleScores;
}

/** The model's probability that a message is angry, with the terms that weighed most (for explaining it). */
export function learnedAnger(weights: TriageWeights, terms: readonly string[], rules: RuleScores): { p: number; top: string[] } {
  let z = weights.bias;
  const contributions: [string, number][] = [];
  for (const t of terms) {
    const w = weights.terms[t];
    if (w === undefined) continue;
    z += w;
    contributions.push([t, w]);
  }
  for (const f of RULE_FEATURES) z += (weights.rules[f] ?? 0) * rules[f];
  contributions.sort((a, b) => b[1] - a[1]);
  return { p: 1 / (1 + Math.exp(-z)), top: contributions.slice(0, 3).filter(([, w]) => w > 0).map(([t]) => t) };
}
