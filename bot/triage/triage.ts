/**
 * Triage: how upset, worried, hurried and complicated a customer's message is,
 * and whether the conversation as a whole should reach a person. Pure and fast
 * (no store, no network): the caller keeps the small `TriageState` between
 * messages. Rules come from `content/policy/triage.json` (docs/triage.md):
 *  - each dimension (anger, distress, anxiety, urgency, complexity) is the sum
 *    of its matched phrase weights, negation counted ("不生气" is not anger);
 *    intensity cues (！！！, 啊啊啊, CAPITALS) and swearing add to anger;
 *    politeness takes some off; each dimension is capped;
 *  - signals (threats, fraud, data leaks, vulnerable customers, a request for
 *    a person), a large amount, a repeat complaint and the bot not
 *    understanding add to the message score, and some hand off on their own;
 *  - message = Σ weight × dimension + the signals; conversation = previous ×
 *    decay + message, so mounting frustration is caught even when no single
 *    message is extreme;
 *  - the level comes from rules over the reasons, and never falls within a
 *    conversation.
 */
import { LEVELS } from '../tickets/policy';
import { agesIn, amountsIn } from './amounts';
import { IntensityReader } from './intensity';
import { Negator, PhraseSet, foldFillers, foldMessage, type Counting } from './phrases';
import { DIMENSIONS, type Dimension, type TriagePolicy } from './policy';
import { learnedAnger, ruleScoresOf, termsOf, type TriageWeights } from './weights';

export type Level = 'general' | 'important' | 'urgent' | 'major';
export type { TriagePolicy } from './policy';

export interface TriageInput {
  text: string;
  /** A complaint on the same matter was already made (tickets know). */
  repeatComplaint?: boolean;
  /** How many messages in a row the bot has not understood, this one included. */
  notUnderstoodInARow?: number;
}

/** The conversation so far, kept by the caller between messages (JSON, small). */
export interface TriageState {
  score: number;
  turns: number;
  /** The highest level reached in this conversation: a level never falls. */
  level?: Level;
}

export interface TriageResult {
  handoff: boolean;
  level: Level;
  /** Reason ids; staff-readable words in content/locales/<locale>/triage.json under `reason.<id>`. */
  reasons: string[];
  scores: Record<Dimension, number> & { message: number; conversation: number };
  state: TriageState;
  /** With learned weights: the model's probability that the wording is angry, and the terms that weighed most. */
  learned?: { anger: number; handoff: boolean; terms: string[] };
}

/** Reason ids that are not signals of the policy. */
export const FIXED_REASONS = [...DIMENSIONS, 'swearing', 'largeAmount', 'repeat', 'notUnderstood', 'mounting'] as const;

const round = (n: number) => Math.round(n * 100) / 100;
const finite = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? Math.max(0, n) : 0);
const rank = (l: Level) => LEVELS.indexOf(l);

export class Triage {
  private readonly fillers: string[];
  private readonly dimensions: Record<Dimension, PhraseSet>;
  private readonly calm: PhraseSet;
  private readonly swearing: PhraseSet;
  private readonly signals: { id: string; set: PhraseSet; add: number; handoff: boolean; hypothetical: boolean }[];
  private readonly intensity: IntensityReader;

  /** `weights`: the optional learned layer (content/policy/triage-weights.json); without it, the rules alone decide. */
  constructor(
    private readonly policy: TriagePolicy,
    private readonly weights?: TriageWeights,
  ) {
    const negator = new Negator(policy.negation);
    this.fillers = foldFillers(policy.fillers);
    const set = (groups: TriagePolicy['calm'], counting?: Counting) => new PhraseSet(groups, negator, this.fillers, counting);
    this.dimensions = Object.fromEntries(DIMENSIONS.map((d) => [d, set(policy.dimensions[d])])) as Record<Dimension, PhraseSet>;
    this.calm = set(policy.calm);
    this.swearing = set(policy.intensity.swearing);
    this.signals = Object.entries(policy.signals).map(([id, s]) => ({ id, set: set(s.groups, 'groups'), add: s.add, handoff: s.handoff, hypothetical: s.hypotheticalCancels }));
    this.intensity = new IntensityReader(policy.intensity);
  }

  /** Every reason id this policy can give (for checking that staff have words for each). */
  reasonIds(): string[] {
    return [...FIXED_REASONS, ...this.signals.map((s) => s.id), this.policy.elderlySignal].filter((id, i, all) => all.indexOf(id) === i);
  }

  assess(input: TriageInput, before: TriageState = { score: 0, turns: 0 }): TriageResult {
    const p = this.policy;
    const text = input.text ?? '';
    const m = foldMessage(text, this.fillers);
    const dims = Object.fromEntries(DIMENSIONS.map((d) => [d, this.dimensions[d].match(m).score])) as Record<Dimension, number>;
    const reasons: string[] = [];
    let add = 0;
    let forced = false;

    // Loud writing is anger beside angry words; alone it is often anger too, but "！！！" after 害怕 is fear, after 谢谢 joy.
    const swear = this.swearing.match(m);
    const loud = this.intensity.read(text);
    const angry = dims.anger > 0 || swear.hits.length > 0;
    const otherwise = dims.distress > 0 || dims.anxiety > 0 ? p.intensity.aloneFactor / 2 : p.intensity.aloneFactor;
    dims.anger += swear.score + loud.score * (angry ? 1 : otherwise);
    dims.anger = Math.max(0, dims.anger - this.calm.match(m).score);
    dims.complexity += this.lengthComplexity(m.text);
    for (const d of DIMENSIONS) dims[d] = Math.min(p.cap, Math.max(0, dims[d]));
    for (const d of DIMENSIONS) if (dims[d] >= p.reasonAt) reasons.push(d);
    if (swear.hits.length > 0) reasons.push('swearing');

    const found = (id: string, plus: number, handoff: boolean) => {
      if (reasons.includes(id)) return;
      reasons.push(id);
      add += plus;
      forced ||= handoff;
    };
    for (const s of this.signals) if (s.set.match(m, s.hypothetical).score >= 1) found(s.id, s.add, s.handoff);
    if (agesIn(text).some((a) => a >= p.elderlyAge)) {
      const elderly = p.signals[p.elderlySignal];
      found(p.elderlySignal, elderly?.add ?? 0, elderly?.handoff ?? false);
    }
    if (amountsIn(text, p.amount.rates).some((a) => a >= p.amount.thresholdCny)) found('largeAmount', p.amount.add, p.amount.handoff);
    if (input.repeatComplaint) found('repeat', p.repeat.add, p.repeat.handoff);
    const misses = finite(Math.floor(input.notUnderstoodInARow ?? 0));
    add += misses * p.notUnderstood.perMiss;
    if (misses >= p.notUnderstood.handoffAt) found('notUnderstood', 0, true);

    const message = Math.max(0, DIMENSIONS.reduce((s, d) => s + p.combine[d] * dims[d], 0) + add);
    // A stored state is the caller's JSON: a missing or broken number starts afresh rather than poisoning the score.
    const conversation = finite(before.score) * p.handoff.decay + message;
    const byMessage = message >= p.handoff.message;
    const byConversation = conversation >= p.handoff.conversation;
    if (byConversation && !byMessage) reasons.push('mounting');
    // The learned layer sees anger the phrase lists cannot (in the situation, not the words): it can add a handoff, never take one away.
    const scores = { ...(Object.fromEntries(DIMENSIONS.map((d) => [d, round(dims[d])])) as Record<Dimension, number>), message: round(message) };
    const w = this.weights;
    const model = w ? learnedAnger(w, termsOf(m.text, m.raw), ruleScoresOf(scores, forced || byMessage, swear.hits.length > 0)) : undefined;
    const byModel = w !== undefined && model !== undefined && model.p >= (p.learned?.handoffAt ?? w.suggestedThreshold);
    if (byModel && !reasons.includes('anger')) reasons.unshift('anger');
    const handoff = forced || byMessage || byConversation || byModel;
    // A handoff by score says why: the strongest dimension when none reached reasonAt on its own.
    if (handoff && !forced && !DIMENSIONS.some((d) => reasons.includes(d))) {
      const top = [...DIMENSIONS].sort((a, b) => dims[b] - dims[a])[0];
      if (top && dims[top] >= p.reasonAt / 2) reasons.unshift(top);
    }

    const level = this.levelFor(reasons, conversation, before.level);
    return {
      handoff,
      level,
      reasons,
      scores: { ...scores, conversation: round(conversation) },
      state: { score: Math.round(conversation * 1000) / 1000, turns: finite(before.turns) + 1, level },
      ...(model ? { learned: { anger: round(model.p), handoff: byModel, terms: model.top } } : {}),
    };
  }

  /** Long stories carry several facts: a little complexity per 100 Han characters (or 60 English words). */
  private lengthComplexity(folded: string): number {
    const { per100Chars, per60Words, max } = this.policy.length;
    const han = (folded.match(/\p{Script=Han}/gu) ?? []).length;
    const words = (folded.match(/[a-z]+/g) ?? []).length;
    return Math.min(max, (han / 100) * per100Chars + (words / 60) * per60Words);
  }

  /** The highest level any rule gives, never below the conversation's level so far. */
  private levelFor(reasons: string[], conversation: number, before: Level | undefined): Level {
    let level: Level = before && rank(before) >= 0 ? before : 'general';
    const has = (id: string) => reasons.filter((r) => r === id || r.startsWith(`${id}.`));
    for (const rule of this.policy.levels) {
      const matched = new Set(rule.ifAny.flatMap(has)).size;
      const byReasons = rule.ifAny.length > 0 && matched >= rule.atLeast;
      const byScore = rule.minConversation !== undefined && conversation >= rule.minConversation;
      if ((byReasons || byScore) && rank(rule.level) > rank(level)) level = rule.level;
    }
    return level;
  }
}
