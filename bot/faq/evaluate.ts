/**
 * Figures of a retrieval over labelled queries (`{text, expected_id}`;
 * expected_id null = no entry should be returned), for ours and for the plain
 * baseline measured in the same run. Definitions (issue 11):
 * - top1 / top3 / mrr over the answerable queries (expected_id not null);
 * - confidentRight / confidentWrong: shares of ALL queries answered directly
 *   with the right / a wrong entry; an off-topic query answered directly is wrong;
 * - p50Ms / p99Ms: time per query.
 */
import MiniSearch from 'minisearch';
import type { FaqDecision, FaqHit } from './decide';
import type { FaqIndex } from './faq-index';

export interface LabelledQuery {
  text: string;
  expected_id: string | null;
}
export interface KbLine {
  id: string;
  question: string;
}

export interface Figures {
  queries: number;
  answerable: number;
  top1: number;
  top3: number;
  mrr: number;
  confidentRight: number;
  confidentWrong: number;
  /** Share of the answerable queries answered directly with the right entry. */
  answeredRightOfAnswerable: number;
  offTopicAnswered: number;
  p50Ms: number;
  p99Ms: number;
}

/** What a retrieval under test must do: rank, and decide whether to answer directly. */
export interface Retrieval {
  rankAndDecide(text: string): { ranked: FaqHit[]; decision: FaqDecision };
}

export function ours(index: FaqIndex): Retrieval {
  return {
    // One search: the decision is made from the ranking it returns, as FaqIndex.search does.
    rankAndDecide(text) {
      const ranked = index.rank(text);
      return { ranked, decision: index.decide(ranked) };
    },
  };
}

/**
 * The baseline: a default full-text index (MiniSearch, default BM25 and
 * options) over single characters, without our normalisation, synonyms or
 * thresholds — it answers with its first hit whenever it has one.
 */
export function baseline(kb: KbLine[]): Retrieval {
  const chars = (s: string) => [...s.toLowerCase()].filter((c) => c.trim() !== '');
  // One document per line (an id may have several questions); the best line of an id ranks it.
  const mini = new MiniSearch<{ n: number; question: string }>({ idField: 'n', fields: ['question'], tokenize: chars });
  mini.addAll(kb.map((l, n) => ({ n, question: l.question })));
  return {
    rankAndDecide(text) {
      const seen = new Set<string>();
      const ranked: FaqHit[] = [];
      for (const r of mini.search(text)) {
        const line = kb[r.id as number]!;
        if (seen.has(line.id)) continue;
        seen.add(line.id);
        ranked.push({ id: line.id, score: r.score, question: line.question });
      }
      const decision: FaqDecision = ranked[0] ? { kind: 'answer', hit: ranked[0], others: ranked.slice(1, 3) } : { kind: 'none', nearest: [] };
      return { ranked, decision };
    },
  };
}

export function measure(retrieval: Retrieval, queries: LabelledQuery[]): Figures {
  let top1 = 0, top3 = 0, rr = 0, right = 0, wrong = 0, offAnswered = 0;
  const times: number[] = [];
  const answerable = queries.filter((q) => q.expected_id !== null).length;
  for (const q of queries) {
    const start = process.hrtime.bigint();
    const { ranked, decision } = retrieval.rankAndDecide(q.text);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    const answered = decision.kind === 'answer' ? decision.hit.id : null;
    if (q.expected_id === null) {
      if (answered !== null) (wrong++, offAnswered++);
      continue;
    }
    const at = ranked.findIndex((h) => h.id === q.expected_id);
    if (at === 0) top1++;
    if (at >= 0 && at < 3) top3++;
    if (at >= 0) rr += 1 / (at + 1);
    if (answered === q.expected_id) right++;
    else if (answered !== null) wrong++;
  }
  times.sort((a, b) => a - b);
  const share = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 10000) / 10000);
  const pct = (p: number) => Math.round((times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0) * 1000) / 1000;
  return {
    queries: queries.length,
    answerable,
    top1: share(top1, answerable),
    top3: share(top3, answerable),
    mrr: share(rr, answerable),
    confidentRight: share(right, queries.length),
    confidentWrong: share(wrong, queries.length),
    answeredRightOfAnswerable: share(right, answerable),
    offTopicAnswered: offAnswered,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
  };
}

/** JSON lines, blank lines skipped; a bad line is an error naming its number. */
export function parseJsonLines<T>(text: string, check: (v: unknown) => v is T, what: string): T[] {
  return text
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line !== '')
    .map(([line, n]) => {
      const v: unknown = JSON.parse(line);
      if (!check(v)) throw new Error(`line ${n}: not a ${what}`);
      return v;
    });
}

export const isKbLine = (v: unknown): v is KbLine =>
  typeof v === 'object' && v !== null && typeof (v as KbLine).id === 'string' && typeof (v as KbLine).question === 'string';
export const isLabelledQuery = (v: unknown): v is LabelledQuery =>
  typeof v === 'object' && v !== null && typeof (v as LabelledQuery).text === 'string' &&
  ((v as LabelledQuery).expected_id === null || typeof (v as LabelledQuery).expected_id === 'string');
