/**
 * Learns reason weights from labelled complaints, as a bank would from its own
 * history: a multinomial logistic regression over the terms of each story
 * (single Chinese characters and pairs of them, English words; 1 + ln(times),
 * divided by the story's length so long stories do not shout) and over the
 * points each reason's rule phrases give the story, so the model learns how far
 * each phrase list is to be trusted. Trained with AdaGrad in a fixed order, so
 * the same stories always give the same file. The result is the linear weights
 * `reason-weights.json` holds. The L2 penalty, how much the phrase points weigh
 * as inputs, and how much the phrases count beside the result (`ruleWeight`) are
 * chosen by 5-fold cross-validation on the training stories alone. A label is a
 * reason id, or a report class (客户服务类, …), which stands for the first reason
 * listed with it. (Tried and dropped, docs/intake.md: naive Bayes, trigrams,
 * ICU words, bagging, the opening as separate terms.)
 */
import { AxisScorer, compileExamples, foldStory, LearnedScores, phraseScore, termsOf, type TermFeatures } from './axes';
import { reasonWeightsSchema, type Reasons, type ReasonWeights } from '../tickets/policy';

export interface LabelledStory {
  text: string;
  label: string;
}

export interface LearnOptions {
  /** L2 penalties to choose from by cross-validation. */
  lambdas?: number[];
  /** Scales of the phrase points as inputs to choose from (0: the phrases only add beside, by ruleWeight). */
  phraseScales?: number[];
  /** Shares of the phrases beside the learned score to choose from. */
  ruleWeights?: number[];
  epochs?: number;
  /** AdaGrad's step. */
  rate?: number;
  /** Terms seen in fewer stories are left out. */
  minStories?: number;
  /** At most this many terms are kept (the most telling). */
  maxTerms?: number;
  features?: TermFeatures;
  folds?: number;
  now?: Date;
}

export const DEFAULT_FEATURES: TermFeatures = { characters: true, counts: 'log', norm: 'l2' };

/** The reason a label stands for, or undefined for a label the policy does not know. */
export function reasonOfLabel(label: string, reasons: Reasons['reasons']): string | undefined {
  if (label in reasons) return label;
  return Object.entries(reasons).find(([, r]) => r.reportClass === label)?.[0];
}

interface Doc {
  terms: Map<string, number>;
  /** Phrase points per reason (reasons with phrases only). */
  points: Record<string, number>;
  folded: string;
  reason: string;
}

interface Setting {
  lambda: number;
  phraseScale: number;
}

export function learnReasonWeights(stories: LabelledStory[], reasons: Reasons, options: LearnOptions = {}): ReasonWeights {
  const features = options.features ?? DEFAULT_FEATURES;
  const phrased = Object.entries(reasons.reasons)
    .map(([id, r]) => [id, compileExamples(r.examples)] as const)
    .filter(([, p]) => p.length > 0);
  const docs: Doc[] = stories.flatMap((s) => {
    const reason = reasonOfLabel(s.label, reasons.reasons);
    const folded = foldStory(s.text);
    const points = Object.fromEntries(phrased.map(([id, p]) => [id, phraseScore(folded, p)]));
    return reason ? [{ terms: termsOf(folded, features), points, folded, reason }] : [];
  });
  if (docs.length === 0) throw new Error('no story has a label the policy knows (a reason id or a reportClass of reasons.json)');
  const folds = options.folds ?? 5;
  const ruleWeights = options.ruleWeights ?? [0, 0.05, 0.1, 0.2, 0.3, 0.5, 1];
  const settings = (options.lambdas ?? [1e-4, 1e-3]).flatMap((lambda) => (options.phraseScales ?? [0.1, 0.3, 1]).map((phraseScale) => ({ lambda, phraseScale })));
  let best = { setting: settings[0]!, ruleWeight: ruleWeights[0]!, right: -1 };
  for (const setting of settings) {
    const right = ruleWeights.map(() => 0);
    for (let k = 0; k < folds; k++) {
      const learned = fit(docs.filter((_, i) => i % folds !== k), reasons, options, features, setting, 0);
      // One fit per fold serves every ruleWeight: it only changes how the phrases add at reading time.
      const scorers = ruleWeights.map((ruleWeight) => new AxisScorer(reasons.reasons, reasons.minScore, new LearnedScores({ ...learned, ruleWeight }, reasons.reasons)));
      for (const d of docs.filter((_, i) => i % folds === k)) {
        scorers.forEach((scorer, j) => {
          const id = scorer.read(d.folded).id;
          if (id && reasons.reasons[id]?.reportClass === reasons.reasons[d.reason]?.reportClass) right[j]!++;
        });
      }
    }
    right.forEach((r, j) => {
      if (r > best.right) best = { setting, ruleWeight: ruleWeights[j]!, right: r };
    });
  }
  const learned = fit(docs, reasons, options, features, best.setting, best.ruleWeight);
  const accuracy = Math.round((best.right / docs.length) * 1000) / 1000;
  return reasonWeightsSchema.parse({ ...learned, trainedOn: { ...learned.trainedOn, chosen: { ...best.setting, folds, accuracy } } });
}

function fit(docs: Doc[], reasons: Reasons, options: LearnOptions, features: TermFeatures, setting: Setting, ruleWeight: number): ReasonWeights {
  const ids = Object.keys(reasons.reasons).filter((id) => docs.some((d) => d.reason === id));
  const K = ids.length;
  const seen = new Map<string, number>();
  for (const d of docs) for (const t of d.terms.keys()) seen.set(t, (seen.get(t) ?? 0) + 1);
  // Terms of a single story teach nothing that carries over.
  const vocabulary = new Map([...seen].filter(([, n]) => n >= (options.minStories ?? 2)).map(([t], i) => [t, i]));
  // The phrase points of each reason are inputs after the terms: one column each.
  const phraseIds = setting.phraseScale > 0 ? Object.keys(docs[0]?.points ?? {}) : [];
  const width = vocabulary.size + phraseIds.length;
  const rows = docs.map((d) => {
    const x: [number, number][] = [];
    for (const [t, value] of d.terms) {
      const v = vocabulary.get(t);
      if (v !== undefined) x.push([v, value]);
    }
    phraseIds.forEach((id, j) => {
      if (d.points[id]) x.push([vocabulary.size + j, d.points[id]! * setting.phraseScale]);
    });
    return { y: ids.indexOf(d.reason), x };
  });
  const w = new Float64Array(width * K);
  const bias = new Float64Array(K);
  const g2 = new Float64Array(width * K).fill(1e-8);
  const b2 = new Float64Array(K).fill(1e-8);
  const { epochs = 10, rate = 0.1 } = options;
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
      for (const [v, x] of r.x) for (let k = 0; k < K; k++) z[k]! += w[v * K + k]! * x;
      const top = Math.max(...z);
      const e = Array.from(z, (x) => Math.exp(x - top));
      const sum = e.reduce((a, b) => a + b, 0);
      for (let k = 0; k < K; k++) {
        const g = e[k]! / sum - (k === r.y ? 1 : 0);
        b2[k]! += g * g;
        bias[k]! -= (rate / Math.sqrt(b2[k]!)) * g;
        for (const [v, x] of r.x) {
          const at = v * K + k;
          const gw = g * x + setting.lambda * w[at]!;
          g2[at]! += gw * gw;
          w[at]! -= (rate / Math.sqrt(g2[at]!)) * gw;
        }
      }
    }
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const column = (v: number, scale = 1) => Array.from(w.subarray(v * K, v * K + K), (x) => round(x * scale));
  // The most telling terms (largest spread of weights) are kept, so the file stays a size a person can publish.
  const weighted = [...vocabulary].map(([term, v]) => {
    const ws = column(v);
    return { term, ws, telling: Math.max(...ws) - Math.min(...ws) };
  });
  weighted.sort((a, b) => b.telling - a.telling);
  const kept = weighted.slice(0, options.maxTerms ?? 8000).filter((t) => t.telling > 0);
  return {
    $comment:
      'Learned by npm run intake:eval -- --train from labelled complaints: per term (a Chinese character or two, or an English word) one weight per reason, in the order of "reasons"; a story adds them up, each times its count (features), with the prior, and adds "phrases" times the points the phrases of each reason in reasons.json give it; ruleWeight: how much one point of the phrases counts beside that. Publish by copying this file to content/policy/reason-weights.json and running npm run content:check.',
    trainedOn: { stories: docs.length, at: (options.now ?? new Date()).toISOString() },
    reasons: ids,
    prior: Array.from(bias, round),
    features,
    // Stored per point of the phrases, so reading needs no scale.
    phrases: Object.fromEntries(phraseIds.map((id, j) => [id, column(vocabulary.size + j, setting.phraseScale)])),
    ruleWeight,
    minTerms: 3,
    terms: Object.fromEntries(kept.map((k) => [k.term, k.ws])),
  };
}
