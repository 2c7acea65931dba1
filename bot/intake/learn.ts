/**
 * Learns reason weights from labelled complaints, as a bank would from its own
 * history: a multinomial logistic regression over the terms of each story
 * (pairs of Chinese characters, English words; present or not), trained with
 * AdaGrad in a fixed order, so the same stories always give the same file. The
 * result is the linear weights `reason-weights.json` holds. How much the rule
 * phrases count beside them (`ruleWeight`) is chosen by cross-validation on the
 * training stories alone. A label is a reason id, or a report class (客户服务类,
 * …), which stands for the first reason listed with it. (A naive Bayes over the
 * same terms did about two points worse on held-out stories: docs/intake.md.)
 */
import { AxisScorer, foldStory, LearnedScores, termsOf } from './axes';
import { reasonWeightsSchema, type Reasons, type ReasonWeights } from '../tickets/policy';

export interface LabelledStory {
  text: string;
  label: string;
}

export interface LearnOptions {
  /** L2 penalty. */
  lambda?: number;
  epochs?: number;
  /** AdaGrad's step. */
  rate?: number;
  /** Terms seen in fewer stories are left out. */
  minStories?: number;
  /** At most this many terms are kept (the most telling). */
  maxTerms?: number;
  ruleWeights?: number[];
  folds?: number;
  now?: Date;
}

/** The reason a label stands for, or undefined for a label the policy does not know. */
export function reasonOfLabel(label: string, reasons: Reasons['reasons']): string | undefined {
  if (label in reasons) return label;
  return Object.entries(reasons).find(([, r]) => r.reportClass === label)?.[0];
}

interface Doc {
  terms: string[];
  folded: string;
  reason: string;
}

export function learnReasonWeights(stories: LabelledStory[], reasons: Reasons, options: LearnOptions = {}): ReasonWeights {
  const docs: Doc[] = stories.flatMap((s) => {
    const reason = reasonOfLabel(s.label, reasons.reasons);
    const folded = foldStory(s.text);
    return reason ? [{ terms: termsOf(folded), folded, reason }] : [];
  });
  if (docs.length === 0) throw new Error('no story has a label the policy knows (a reason id or a reportClass of reasons.json)');
  const folds = options.folds ?? 5;
  const candidates = options.ruleWeights ?? [0.5, 1, 1.5, 2, 3];
  let best = { ruleWeight: candidates[0]!, right: -1 };
  for (const ruleWeight of candidates) {
    let right = 0;
    for (let k = 0; k < folds; k++) {
      const train = docs.filter((_, i) => i % folds !== k);
      const scorer = new AxisScorer(reasons.reasons, reasons.minScore, new LearnedScores(fit(train, reasons, options, ruleWeight), reasons.reasons));
      for (const d of docs.filter((_, i) => i % folds === k)) {
        const id = scorer.read(d.folded).id;
        if (id && reasons.reasons[id]?.reportClass === reasons.reasons[d.reason]?.reportClass) right++;
      }
    }
    if (right > best.right) best = { ruleWeight, right };
  }
  return reasonWeightsSchema.parse(fit(docs, reasons, options, best.ruleWeight));
}

function fit(docs: Doc[], reasons: Reasons, options: LearnOptions, ruleWeight: number): ReasonWeights {
  const ids = Object.keys(reasons.reasons).filter((id) => docs.some((d) => d.reason === id));
  const K = ids.length;
  const seen = new Map<string, number>();
  for (const d of docs) for (const t of d.terms) seen.set(t, (seen.get(t) ?? 0) + 1);
  // Terms of a single story teach nothing that carries over.
  const vocabulary = new Map([...seen].filter(([, n]) => n >= (options.minStories ?? 2)).map(([t], i) => [t, i]));
  const rows = docs.map((d) => ({ y: ids.indexOf(d.reason), x: d.terms.map((t) => vocabulary.get(t)).filter((i): i is number => i !== undefined) }));
  const w = new Float64Array(vocabulary.size * K);
  const bias = new Float64Array(K);
  const g2 = new Float64Array(vocabulary.size * K).fill(1e-8);
  const b2 = new Float64Array(K).fill(1e-8);
  const { lambda = 1e-4, epochs = 10, rate = 0.05 } = options;
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const order = rows.map((_, i) => i);
  const z = new Float64Array(K);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const r of order.map((i) => rows[i]!)) {
      for (let k = 0; k < K; k++) z[k] = bias[k]!;
      for (const v of r.x) for (let k = 0; k < K; k++) z[k]! += w[v * K + k]!;
      const top = Math.max(...z);
      const e = Array.from(z, (x) => Math.exp(x - top));
      const sum = e.reduce((a, b) => a + b, 0);
      for (let k = 0; k < K; k++) {
        const g = e[k]! / sum - (k === r.y ? 1 : 0);
        b2[k]! += g * g;
        bias[k]! -= (rate / Math.sqrt(b2[k]!)) * g;
        for (const v of r.x) {
          const at = v * K + k;
          const gw = g + lambda * w[at]!;
          g2[at]! += gw * gw;
          w[at]! -= (rate / Math.sqrt(g2[at]!)) * gw;
        }
      }
    }
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  // The most telling terms (largest spread of weights) are kept, so the file stays a size a person can publish.
  const weighted = [...vocabulary].map(([term, v]) => {
    const ws = Array.from(w.subarray(v * K, v * K + K), round);
    return { term, ws, telling: Math.max(...ws) - Math.min(...ws) };
  });
  weighted.sort((a, b) => b.telling - a.telling);
  const kept = weighted.slice(0, options.maxTerms ?? 8000).filter((t) => t.telling > 0);
  return {
    $comment: 'Learned by npm run intake:eval -- --train from labelled complaints: per term (two Chinese characters or an English word) one weight per reason, in the order of "reasons", added up over the terms of a story with the prior; ruleWeight: how much one point of the phrases in reasons.json counts beside them. Publish by copying this file to content/policy/reason-weights.json and running npm run content:check.',
    trainedOn: { stories: docs.length, at: (options.now ?? new Date()).toISOString() },
    reasons: ids,
    prior: Array.from(bias, round),
    ruleWeight,
    minTerms: 3,
    terms: Object.fromEntries(kept.map((k) => [k.term, k.ws])),
  };
}
