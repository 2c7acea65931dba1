/**
 * Weighted phrase groups matched on the folded text of bot/understanding
 * (width, case, traditional → simplified, punctuation), with the recognizer's
 * ideas: a phrase inside a longer phrase that also matched does not count
 * ("生气" inside "不生气" would be negated anyway; "气死" inside "气死我了"
 * counts once), and a negation cue shortly before a phrase, in the same
 * clause, cancels it ("不生气", "not angry", "没有被骗") — unless the negation
 * is rhetorical ("怎么能不生气").
 */
import { CLAUSE_MARK, dropFillers, foldPhrase, foldText, isLatin, searchForm } from '../understanding/normalise';
import type { PhraseGroup, TriagePolicy } from './policy';

/** A message folded once, in the forms the matchers need. */
export interface Folded {
  /** Lower-cased NFKC text before folding (emoji, symbols kept). */
  raw: string;
  /** foldText: padded, clause marks. */
  text: string;
  /** Without fillers, trimmed: compared with `exact` phrases. */
  core: string;
  /** Han characters plus Latin words: how long the message is, for groups with maxLength. */
  length: number;
}

export interface Hit {
  phrase: string;
  weight: number;
  /** Index of the group in the policy list. */
  group: number;
  start: number;
  end: number;
  negated: boolean;
}

type Negation = TriagePolicy['negation'];

export class Negator {
  private readonly cues: string[];
  private readonly immediate: string[];
  private readonly rhetorical: string[];
  private readonly hypothetical: string[];

  constructor(private readonly policy: Negation) {
    const fold = (list: string[]) => list.map(foldPhrase).filter(Boolean);
    this.cues = fold(policy.cues);
    this.immediate = fold(policy.immediate);
    this.rhetorical = fold(policy.rhetorical);
    this.hypothetical = fold(policy.hypothetical);
  }

  /** A negation cue shortly before `at`, within the same clause, and not a rhetorical one. */
  negatedAt(text: string, at: number, phrase: string): boolean {
    if (isLatin(phrase.trim())) {
      const upTo = text.slice(0, at + (phrase.startsWith(' ') ? 1 : 0));
      const words = upTo.slice(upTo.lastIndexOf(CLAUSE_MARK) + 1).trim().split(' ');
      const window = ` ${words.slice(-this.policy.englishWords).join(' ')} `;
      const wider = ` ${words.slice(-this.policy.englishWords - 2).join(' ')} `;
      if (this.rhetorical.some((r) => isLatin(r) && wider.includes(` ${r} `))) return false;
      return this.cues.some((c) => isLatin(c) && window.includes(` ${c} `));
    }
    const clause = text.slice(0, at);
    const run = clause.slice(clause.lastIndexOf(' ') + 1);
    const window = run.slice(-this.policy.chineseWindow);
    const negated = this.immediate.some((c) => window.endsWith(c)) || this.cues.some((c) => !isLatin(c) && window.includes(c));
    if (!negated) return false;
    // "怎么能不生气", "能不生气吗": the rhetorical cue sits just before the negation.
    const wider = run.slice(-this.policy.chineseWindow - 3);
    return !this.rhetorical.some((r) => !isLatin(r) && wider.includes(r));
  }

  /** A hypothetical cue shortly before `at`, across commas: "如果卡被盗刷怎么办", "what if my card is stolen". */
  hypotheticalAt(text: string, at: number): boolean {
    const before = ` ${text.slice(Math.max(0, at - this.policy.hypotheticalWindow), at)} `;
    return this.hypothetical.some((c) => (isLatin(c) ? before.includes(` ${c} `) : before.includes(c)));
  }
}

interface Compiled {
  contains: { text: string; weight: number; group: number }[];
  exact: Map<string, { weight: number; group: number }>;
  patterns: { re: RegExp; weight: number; raw: boolean; group: number }[];
}

/**
 * How the hits of a set add up: `sum` — every different phrase counts (two angry
 * words are angrier than one); `groups` — each group counts its weight once if
 * any of its phrases is found, so a signal written as "a regulator's name (0.5)
 * + a verb like 投诉 (0.5)" needs one of each, never two verbs.
 */
export type Counting = 'sum' | 'groups';

/** Fold a message once for every matcher. */
export function foldMessage(text: string, fillers: readonly string[]): Folded {
  const folded = foldText(text);
  const length = (folded.match(/\p{Script=Han}/gu) ?? []).length + (folded.match(/[a-z0-9]+/g) ?? []).length;
  return { raw: text.normalize('NFKC').toLowerCase(), text: folded, core: dropFillers(folded, fillers).trim(), length };
}

/** The fillers of a policy, folded, longest first (so "我想要" goes before "我想"). */
export function foldFillers(list: readonly string[]): string[] {
  return [...new Set(list.map(foldPhrase))].filter(Boolean).sort((a, b) => b.length - a.length);
}

/** A list of weighted groups, compiled once; `match` gives the kept hits and their score. */
export class PhraseSet {
  private readonly compiled: Compiled;
  /** maxLength of each group (Infinity when none). */
  private readonly maxLength: number[];

  constructor(
    groups: readonly PhraseGroup[],
    private readonly negator: Negator,
    fillers: readonly string[],
    private readonly counting: Counting = 'sum',
  ) {
    const contains = new Map<string, { weight: number; group: number }>();
    const exact = new Map<string, { weight: number; group: number }>();
    const patterns: Compiled['patterns'] = [];
    // "氣死" and "气死" fold to one phrase: it counts once, in the group that weighs it most (counting by sum).
    const keep = (map: typeof contains, key: string, weight: number, group: number) => {
      const k = counting === 'sum' ? key : `${group}\u0000${key}`;
      const was = map.get(k);
      if (!was || was.weight < weight) map.set(k, { weight, group });
    };
    groups.forEach((g, group) => {
      for (const p of g.phrases) {
        const text = searchForm(foldPhrase(p));
        if (text.trim()) keep(contains, text, g.weight, group);
      }
      for (const p of g.exact) {
        const key = dropFillers(foldText(p), fillers).trim();
        if (key) keep(exact, key, g.weight, group);
      }
      for (const p of g.patterns) patterns.push({ re: new RegExp(p.pattern, 'u'), weight: g.weight, raw: p.raw ?? false, group });
    });
    this.maxLength = groups.map((g) => g.maxLength ?? Infinity);
    const unkey = (k: string) => k.slice(k.indexOf('\u0000') + 1);
    this.compiled = {
      contains: [...contains].map(([k, v]) => ({ text: unkey(k), ...v })),
      exact: new Map([...exact].map(([k, v]) => [unkey(k), v])),
      patterns,
    };
  }

  /** Every kept, non-negated hit (first occurrence of each phrase), the exact match, the patterns. */
  match(m: Folded, hypotheticalCancels = false): { score: number; hits: Hit[] } {
    const found: Hit[] = [];
    const fits = (group: number) => m.length <= (this.maxLength[group] ?? Infinity);
    for (const { text, weight, group } of this.compiled.contains) {
      if (!fits(group)) continue;
      const at = m.text.indexOf(text);
      if (at < 0) continue;
      // Positions without the padding of Latin phrases, so " still " and " waiting " do not overlap.
      const start = at + (text.startsWith(' ') ? 1 : 0);
      const end = at + text.length - (text.endsWith(' ') ? 1 : 0);
      found.push({ phrase: text.trim(), weight, group, start, end, negated: this.negator.negatedAt(m.text, at, text) });
    }
    const raw: Hit[] = [];
    for (const p of this.compiled.patterns) {
      if (!fits(p.group)) continue;
      const r = p.re.exec(p.raw ? m.raw : m.text);
      if (!r) continue;
      const hit = { phrase: r[0].trim(), weight: p.weight, group: p.group, start: r.index, end: r.index + r[0].length, negated: false };
      // Raw positions are not folded positions: negation and overlap are judged on folded text only.
      if (p.raw) raw.push(hit);
      else found.push({ ...hit, negated: this.negator.negatedAt(m.text, r.index, r[0]) });
    }
    const hits = kept(found).filter((h) => !h.negated && !(hypotheticalCancels && this.negator.hypotheticalAt(m.text, h.start)));
    hits.push(...raw);
    const exact = this.compiled.exact.get(m.core);
    if (exact !== undefined && fits(exact.group) && !hits.some((h) => h.phrase === m.core)) hits.push({ phrase: m.core, ...exact, start: 0, end: m.text.length, negated: false });
    if (this.counting === 'sum') return { score: hits.reduce((s, h) => s + h.weight, 0), hits };
    const best = new Map<number, number>();
    for (const h of hits) best.set(h.group, Math.max(best.get(h.group) ?? -Infinity, h.weight));
    return { score: [...best.values()].reduce((s, w) => s + w, 0), hits };
  }
}

/**
 * Drops a hit overlapping a longer one: the longer phrase says more ("气死我了" over "气死", "不生气" over
 * "生气"), and two phrases sharing characters ("怎么又" and "又要" in "怎么又要等") are one thing said once.
 */
function kept(hits: Hit[]): Hit[] {
  const byLength = [...hits].sort((a, b) => b.end - b.start - (a.end - a.start) || b.weight - a.weight);
  const out: Hit[] = [];
  for (const h of byLength) if (!out.some((k) => h.start < k.end && k.start < h.end)) out.push(h);
  return out;
}
