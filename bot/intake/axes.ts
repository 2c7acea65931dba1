/**
 * Reads the two axes banks report complaints on — the business line and the
 * reason — from what the customer wrote. Both score the example phrases of
 * `content/policy/business-lines.json` and `reasons.json` over the text as the
 * message recognizer folds it (width, case, traditional → simplified). The
 * reason can also add term weights learned from labelled complaints
 * (`reason-weights.json`, `npm run intake:eval -- --train`): a linear score per
 * reason over characters, character pairs and English words (and, learned too,
 * how much each reason's phrase points say), to which the phrases add.
 */
import { foldPhrase, foldText, searchForm } from '../understanding/normalise';
import type { BusinessLines, Reasons, ReasonWeights } from '../tickets/policy';

/** opencc turns 帳 into 帐, which simplified writing spells 账: one spelling for phrases and stories alike. */
export function foldStory(text: string): string {
  return foldText(text).replace(/帐/g, '账');
}

function foldListed(phrase: string): string {
  return searchForm(foldPhrase(phrase).replace(/帐/g, '账'));
}

type Examples = Reasons['reasons'][string]['examples'];
export interface WeightedPhrase {
  text: string;
  weight: number;
}

/** A policy example list as folded phrases with their weights (a phrase listed twice keeps its larger weight). */
export function compileExamples(examples: Examples): WeightedPhrase[] {
  const byText = new Map<string, number>();
  const add = (p: string, w: number) => {
    const text = foldListed(p);
    if (text.trim() && (!byText.has(text) || Math.abs(w) > Math.abs(byText.get(text)!))) byText.set(text, w);
  };
  for (const e of examples) {
    if (typeof e === 'string') add(e, 1);
    else for (const p of e.phrases) add(p, e.weight);
  }
  return [...byText].map(([text, weight]) => ({ text, weight }));
}

/** The sum of the weights of the phrases found in folded text (each phrase counts once). */
export function phraseScore(folded: string, phrases: readonly WeightedPhrase[]): number {
  let score = 0;
  for (const p of phrases) if (folded.includes(p.text)) score += p.weight;
  return score;
}

export type TermFeatures = NonNullable<ReasonWeights['features']>;
/** How the first learned files counted terms: pairs of characters, present or not. */
const PAIRS_PRESENT: TermFeatures = { characters: false, counts: 'presence', norm: 'none' };

/**
 * The terms learned weights are kept for — pairs of Chinese characters (and single ones when asked), and
 * English words — each with its value in a story: 1, or 1 + ln(times); divided by the vector's length for
 * l2, so a long story does not outvote the phrases by its length alone.
 */
export function termsOf(folded: string, features: TermFeatures = PAIRS_PRESENT): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (t: string) => counts.set(t, (counts.get(t) ?? 0) + 1);
  for (const run of folded.match(/\p{Script=Han}+|[a-z]{2,}/gu) ?? []) {
    if (!/\p{Script=Han}/u.test(run)) add(run);
    else
      for (let i = 0; i < run.length; i++) {
        if (features.characters) add(run[i]!);
        if (i + 1 < run.length) add(run.slice(i, i + 2));
      }
  }
  let length = 0;
  for (const [t, c] of counts) {
    const x = features.counts === 'log' ? 1 + Math.log(c) : 1;
    counts.set(t, x);
    length += x * x;
  }
  if (features.norm === 'l2' && length > 0) for (const [t, x] of counts) counts.set(t, x / Math.sqrt(length));
  return counts;
}

export interface AxisReading {
  /** The id read, when the text says enough. */
  id?: string;
  /** Every id but "other", most likely first (ties in the policy's order). */
  ranked: string[];
  scores: Record<string, number>;
}

/** Scores one axis; `learned` adds a linear score per id (reasons only). */
export class AxisScorer {
  private readonly items: [string, WeightedPhrase[]][];

  constructor(
    items: Record<string, { examples: Examples }>,
    private readonly minScore: number,
    private readonly learned?: LearnedScores,
  ) {
    this.items = Object.entries(items).map(([id, item]) => [id, compileExamples(item.examples)]);
  }

  read(folded: string): AxisReading {
    const rules: Record<string, number> = {};
    for (const [id, phrases] of this.items) rules[id] = phraseScore(folded, phrases);
    const learned = this.learned?.score(folded, rules);
    const scores: Record<string, number> = {};
    for (const [id] of this.items) scores[id] = learned ? learned.of(id) + this.learned!.ruleWeight * rules[id]! : rules[id]!;
    const order = this.items.map(([id]) => id);
    const ranked = order.filter((id) => id !== 'other').sort((a, b) => scores[b]! - scores[a]! || order.indexOf(a) - order.indexOf(b));
    const best = ranked[0];
    // Without learned weights the phrases must say it; with them, a story with enough known terms is read.
    const id = best !== undefined && (learned !== undefined || rules[best]! >= this.minScore) ? best : undefined;
    return { id, ranked, scores };
  }
}

/** Learned weights compiled for scoring; reasons without weights of their own borrow their report class's. */
export class LearnedScores {
  readonly ruleWeight: number;
  private readonly index: Map<string, number>;
  private readonly column: Map<string, number>;

  constructor(
    private readonly weights: ReasonWeights,
    reasons: Reasons['reasons'],
  ) {
    this.ruleWeight = weights.ruleWeight;
    this.index = new Map(weights.reasons.map((id, i) => [id, i]));
    this.column = new Map();
    for (const [id, reason] of Object.entries(reasons)) {
      const own = this.index.get(id);
      const sibling = weights.reasons.findIndex((r) => reasons[r]?.reportClass === reason.reportClass);
      if (own !== undefined) this.column.set(id, own);
      else if (sibling >= 0) this.column.set(id, sibling);
    }
  }

  /**
   * The learned score of each reason for folded text and the phrase points of each reason, or undefined when
   * too few of its terms are known.
   */
  score(folded: string, rules: Record<string, number> = {}): { of(id: string): number } | undefined {
    const totals = [...this.weights.prior];
    let known = 0;
    for (const [term, x] of termsOf(folded, this.weights.features)) {
      const ws = this.weights.terms[term];
      if (!ws) continue;
      known++;
      for (let i = 0; i < ws.length; i++) totals[i]! += ws[i]! * x;
    }
    if (known < this.weights.minTerms) return undefined;
    for (const [id, ws] of Object.entries(this.weights.phrases ?? {})) {
      const points = rules[id] ?? 0;
      if (points) for (let i = 0; i < ws.length; i++) totals[i]! += ws[i]! * points;
    }
    const floor = Math.min(...totals) - 1;
    return { of: (id) => (this.column.has(id) ? totals[this.column.get(id)!]! : floor) };
  }
}

/** The line and reason readers the policy describes. */
export function axisScorers(lines: BusinessLines, reasons: Reasons, weights?: ReasonWeights): { lines: AxisScorer; reasons: AxisScorer } {
  return {
    lines: new AxisScorer(lines.lines, lines.minScore),
    reasons: new AxisScorer(reasons.reasons, reasons.minScore, weights ? new LearnedScores(weights, reasons.reasons) : undefined),
  };
}
