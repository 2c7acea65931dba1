/**
 * Learns the triage weights (bot/triage/weights.ts) from labelled messages, as
 * a bank would from its own chats: "angry" against every other label. A
 * logistic regression with an L2 penalty over the message's terms and the
 * rules' scores, trained with AdaGrad in a fixed order, so the same messages
 * always give the same file. The threshold is chosen on out-of-fold
 * probabilities (k-fold cross-validation on the training messages alone), never
 * on the messages it is measured on.
 */
import { foldMessage } from './phrases';
import type { Triage } from './triage';
import { RULE_FEATURES, learnedAnger, ruleScoresOf, termsOf, triageWeightsSchema, type RuleScores, type TriageWeights } from './weights';

export interface LabelledMessage {
  text: string;
  label: string;
}

export interface Example {
  terms: string[];
  rules: RuleScores;
  angry: boolean;
  /** The rules alone hand it off. */
  byRules: boolean;
  label: string;
}

export interface LearnOptions {
  /** L2 penalty per example. */
  lambda?: number;
  epochs?: number;
  /** AdaGrad's step. */
  rate?: number;
  /** Terms seen in fewer messages are left out. */
  minMessages?: number;
  folds?: number;
  /**
   * Labels the model learns "angry" against (default: every other label). Sad and fearful posts share
   * anger's situations; learning anger against calm messages only catches more of it (docs/triage.md).
   */
  negatives?: readonly string[];
  /**
   * Groups of labels whose false handoffs the threshold is held to, each on its own (e.g. neutral+happy
   * posts, and calm customer questions); default: every other label together.
   */
  budgets?: readonly (readonly string[])[];
  /** The threshold is the lowest whose cross-validated false handoffs (rules or model) stay at or below this in every budget. */
  maxFalse?: number;
  now?: Date;
}

/** What the learner and the scorer see of a message: its terms and the rules' scores for it alone. */
export function exampleOf(rulesOnly: Triage, row: LabelledMessage): Example {
  const r = rulesOnly.assess({ text: row.text });
  const m = foldMessage(row.text, []);
  return {
    terms: termsOf(m.text, m.raw),
    rules: ruleScoresOf(r.scores, r.handoff, r.reasons.includes('swearing')),
    angry: row.label === 'angry',
    byRules: r.handoff,
    label: row.label,
  };
}

type Model = Pick<TriageWeights, 'bias' | 'rules' | 'terms'>;

/** Logistic regression by AdaGrad over a fixed shuffle (a small LCG), so a run is reproducible. */
export function fit(examples: readonly Example[], options: LearnOptions = {}): Model {
  const { lambda = 1e-3, epochs = 12, rate = 0.1, minMessages = 2 } = options;
  const seen = new Map<string, number>();
  for (const e of examples) for (const t of e.terms) seen.set(t, (seen.get(t) ?? 0) + 1);
  // A term of a single message teaches nothing that carries over.
  const vocabulary = new Map([...seen].filter(([, n]) => n >= minMessages).map(([t], i) => [t, i]));
  const R = RULE_FEATURES.length;
  const rows = examples.map((e) => ({
    x: e.terms.map((t) => vocabulary.get(t)).filter((i): i is number => i !== undefined),
    r: RULE_FEATURES.map((f) => e.rules[f]),
    y: e.angry ? 1 : 0,
  }));
  const w = new Float64Array(vocabulary.size);
  const g2 = new Float64Array(vocabulary.size).fill(1e-8);
  const wr = new Float64Array(R);
  const gr = new Float64Array(R).fill(1e-8);
  let bias = 0;
  let gb = 1e-8;
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const order = rows.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const row of order.map((i) => rows[i]!)) {
      let z = bias;
      for (const v of row.x) z += w[v]!;
      for (let k = 0; k < R; k++) z += wr[k]! * row.r[k]!;
      const g = 1 / (1 + Math.exp(-z)) - row.y;
      gb += g * g;
      bias -= (rate / Math.sqrt(gb)) * g;
      for (const v of row.x) {
        const gw = g + lambda * w[v]!;
        g2[v]! += gw * gw;
        w[v]! -= (rate / Math.sqrt(g2[v]!)) * gw;
      }
      for (let k = 0; k < R; k++) {
        const gw = g * row.r[k]! + lambda * wr[k]!;
        gr[k]! += gw * gw;
        wr[k]! -= (rate / Math.sqrt(gr[k]!)) * gw;
      }
    }
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const terms = Object.fromEntries([...vocabulary].map(([t, v]) => [t, round(w[v]!)] as const).filter(([, x]) => x !== 0));
  return { bias: round(bias), rules: Object.fromEntries(RULE_FEATURES.map((f, k) => [f, round(wr[k]!)])) as Model['rules'], terms };
}

/** The examples a model learns from: angry ones and those of the negative labels. */
const learnable = (examples: readonly Example[], options: LearnOptions) => examples.filter((e) => e.angry || !options.negatives || options.negatives.includes(e.label));

/** Each training message's probability from a model that did not see it (k folds by position). */
export function outOfFold(examples: readonly Example[], options: LearnOptions = {}): number[] {
  const folds = options.folds ?? 5;
  const p = new Array<number>(examples.length).fill(0);
  for (let k = 0; k < folds; k++) {
    const model = { ...fit(learnable(examples.filter((_, i) => i % folds !== k), options), options), suggestedThreshold: 0.5 } as TriageWeights;
    examples.forEach((e, i) => {
      if (i % folds === k) p[i] = learnedAnger(model, e.terms, e.rules).p;
    });
  }
  return p;
}

/** The share of angry messages caught and of the others handed off, rules or model, at threshold t. */
export function rates(examples: readonly Example[], p: readonly number[], t: number, labels?: readonly string[]) {
  let angry = 0;
  let caught = 0;
  let others = 0;
  let handed = 0;
  examples.forEach((e, i) => {
    const h = e.byRules || p[i]! >= t;
    if (e.angry) {
      angry++;
      if (h) caught++;
    } else if (!labels || labels.includes(e.label)) {
      others++;
      if (h) handed++;
    }
  });
  return { caught: angry ? caught / angry : 0, handedOff: others ? handed / others : 0 };
}

/** The lowest threshold (most angry messages caught) whose false handoffs stay within the budget in every group of labels. */
export function chooseThreshold(examples: readonly Example[], p: readonly number[], maxFalse: number, budgets: readonly (readonly string[] | undefined)[] = [undefined]): number {
  let chosen = 0.99;
  for (let t = 0.99; t >= 0.02; t -= 0.01) {
    if (budgets.some((labels) => rates(examples, p, t, labels).handedOff > maxFalse)) break;
    chosen = Math.round(t * 100) / 100;
  }
  return chosen;
}

export function learnTriageWeights(rulesOnly: Triage, rows: readonly LabelledMessage[], options: LearnOptions = {}): { weights: TriageWeights; outOfFold: number[]; examples: Example[] } {
  const examples = rows.map((r) => exampleOf(rulesOnly, r));
  const angry = examples.filter((e) => e.angry).length;
  if (angry === 0 || learnable(examples, options).length === angry) throw new Error('the training messages need both "angry" and other (negative) labels');
  const p = outOfFold(examples, options);
  const suggestedThreshold = chooseThreshold(examples, p, options.maxFalse ?? 0.08, options.budgets);
  const weights = triageWeightsSchema.parse({
    $comment:
      'Learned by npm run triage:eval -- --train from labelled messages (angry against the rest): a logistic regression; the probability is 1/(1+exp(-z)), z = bias + the weights of the terms found (a Chinese character or pair, an English word, a mark such as "!!") + Σ rules[f] × the rules\' score f. Publish by copying this file to content/policy/triage-weights.json, set learned.handoffAt in policy/triage.json, and run npm run content:check.',
    features: 'han-1-2+latin-words+marks',
    trainedOn: { messages: learnable(examples, options).length, angry, at: (options.now ?? new Date()).toISOString() },
    ...fit(learnable(examples, options), options),
    suggestedThreshold,
  });
  return { weights, outOfFold: p, examples };
}
