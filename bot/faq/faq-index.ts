/**
 * The FAQ retrieval: BM25 over our terms (scored as the MiniSearch library
 * scores, on our own posting lists so that a message costs little even on a
 * large knowledge base) finds the nearest questions quickly; a similarity on a fixed 0..1 scale then ranks them and
 * decides (decide.ts). BM25 scores grow with the message's length and the
 * index, so thresholds on them would not carry from one knowledge base to
 * another; the similarity — the rare-word-weighted share of the message the
 * question explains, against the share of the question the message covers —
 * does, and it is what content/policy/faq-search.json calibrates.
 */
import type { SupportedLocale } from '../content/schemas';
import { Analyser, kindOf } from './analyse';
import { decide, type FaqDecision, type FaqHit } from './decide';
import type { FaqEntry, FaqSearchPolicy } from './schema';
import { dayOf, isValidOnDay } from './validity';
import { topN } from './top-n';

/** What the index needs of an entry: its id, its questions per locale (first = canonical), validity dates. */
export interface IndexableEntry {
  id: string;
  questions: Partial<Record<SupportedLocale, string[]>>;
  validFrom?: string;
  validUntil?: string;
}

interface Doc {
  entry: number;
  terms: Set<string>;
  /** Sum of the weights of the question's terms. */
  weight: number;
  /** The plain reading (Analyser.plain) and its length, for the cross-check. */
  plain: Map<string, number>;
  plainLength: number;
}

export interface SearchOptions {
  locale?: SupportedLocale;
  now?: Date;
}

/** MiniSearch's own BM25 defaults, used when the policy sets none. */
const MINISEARCH_BM25 = { k: 1.2, b: 0.7, d: 0.5 };
/** Postings walked per message before only the best questions found so far are scored further (see bm25()). */
const POSTINGS_BUDGET = 10000;
const PRUNE_TO = 150;

export class FaqIndex {
  private readonly analyser: Analyser;
  private readonly docs: Doc[] = [];
  private readonly idf = new Map<string, number>();
  private readonly unknownIdf: number;
  /** Inverse document frequency of the plain terms (over questions, as a plain full-text index counts), and their mean count per question. */
  private readonly plainIdf = new Map<string, number>();
  private readonly plainMean: number;
  /** Posting lists: for each term, the questions (docs) that have it; and each term's BM25 weight (kind boost × idf). */
  private readonly termId = new Map<string, number>();
  private readonly postings: Int32Array[] = [];
  private readonly termText: string[] = [];
  private readonly bm25Weight: number[] = [];
  /** Per question: the BM25 part that depends on its length (d + (k+1)/(1 + k(1-b+b·len/avg)), term counts being 1). */
  private readonly lengthPart: Float64Array;
  /** Scratch space of rank(), one slot per question, left zeroed after each call. */
  private readonly partial: Float64Array;
  private readonly matched: Uint16Array;
  /** Some entry has validity dates (otherwise no date is computed per message). */
  private readonly dated: boolean;
  /** A phrasing, normalised without spaces → its entry (-1 when two entries share it): a message that is exactly an entry's question gets that entry. */
  private readonly phrasings = new Map<string, number>();

  private constructor(
    private readonly entries: IndexableEntry[],
    private readonly policy: FaqSearchPolicy,
  ) {
    this.analyser = new Analyser(policy);
    this.dated = entries.some((e) => e.validFrom || e.validUntil);
    // Document frequency counts entries, not phrasings: an entry with ten phrasings of 吞卡 must not make 吞卡 look common.
    const df = new Map<string, number>();
    const perEntry: { terms: Set<string>; plain: Map<string, number> }[][] = entries.map((e) => {
      const seen = new Set<string>();
      const sets: { terms: Set<string>; plain: Map<string, number> }[] = [];
      for (const q of Object.values(e.questions).flat()) {
        const normal = this.analyser.normalise(q);
        if (seen.has(normal)) continue; // zh-TW folded to simplified often repeats zh-CN.
        seen.add(normal);
        const key = compact(normal);
        const owner = this.phrasings.get(key);
        this.phrasings.set(key, owner === undefined || owner === entries.indexOf(e) ? entries.indexOf(e) : -1);
        sets.push({ terms: new Set(this.analyser.terms(q)), plain: this.analyser.plain(q) });
      }
      const all = new Set(sets.flatMap((s) => [...s.terms]));
      for (const t of all) df.set(t, (df.get(t) ?? 0) + 1);
      return sets;
    });
    const n = Math.max(entries.length, 1);
    for (const [t, f] of df) this.idf.set(t, Math.log(1 + n / f));
    this.unknownIdf = Math.log(1 + n);
    const plainDf = new Map<string, number>();
    let plainTotal = 0;
    const lists: number[][] = [];
    let termTotal = 0;
    perEntry.forEach((sets, entry) =>
      sets.forEach(({ terms, plain }) => {
        const doc = this.docs.length;
        for (const t of terms) {
          let id = this.termId.get(t);
          if (id === undefined) this.termId.set(t, (id = lists.push([]) - 1));
          lists[id]!.push(doc);
        }
        termTotal += terms.size;
        let plainLength = 0;
        for (const [t, f] of plain) {
          plainDf.set(t, (plainDf.get(t) ?? 0) + 1);
          plainLength += f;
        }
        plainTotal += plainLength;
        this.docs.push({ entry, terms, weight: this.sum(terms), plain, plainLength });
      }),
    );
    const questions = Math.max(this.docs.length, 1);
    const { k, b, d } = policy.bm25 ?? MINISEARCH_BM25;
    for (const [t, id] of this.termId) {
      const list = lists[id]!;
      this.postings[id] = Int32Array.from(list);
      this.termText[id] = t;
      this.bm25Weight[id] = this.policy.weights[kindOf(t)] * Math.log(1 + (questions - list.length + 0.5) / (list.length + 0.5));
    }
    const mean = termTotal / questions || 1;
    this.lengthPart = Float64Array.from(this.docs, (doc) => d + (k + 1) / (1 + k * (1 - b + (b * doc.terms.size) / mean)));
    this.partial = new Float64Array(this.docs.length);
    this.matched = new Uint16Array(this.docs.length);
    for (const [t, f] of plainDf) this.plainIdf.set(t, Math.log(1 + (questions - f + 0.5) / (f + 0.5)));
    this.plainMean = plainTotal / questions || 1;
  }

  static build(entries: FaqEntry[], policy: FaqSearchPolicy): FaqIndex {
    return new FaqIndex(entries, policy);
  }

  /** For the evaluation tool and the benchmark: entries that are only an id and questions. */
  static fromQuestions(entries: IndexableEntry[], policy: FaqSearchPolicy): FaqIndex {
    return new FaqIndex(entries, policy);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Every entry near the message, best first, with its similarity (0..1). */
  rank(text: string, opts: SearchOptions = {}): FaqHit[] {
    const terms = this.analyser.terms(text);
    if (terms.length === 0) return [];
    const query = new Set(terms);
    const total = this.sum(query);
    const day = this.dated ? dayOf(opts.now ?? new Date()) : '';
    const found = this.bm25(query, day);
    const best = new Map<number, number>();
    const { queryShare: share, similarity: alpha } = this.policy.weights;
    const top = found[0]?.score ?? 1;
    for (const r of found) {
      const doc = this.docs[r.id]!;
      let overlap = 0;
      for (const t of query) if (doc.terms.has(t)) overlap += this.weightOf(t);
      const similarity = overlap === 0 ? 0 : (overlap / total) ** share * (overlap / doc.weight) ** (1 - share);
      // Never above the similarity (the calibrated scale); a question far behind the best in BM25 is pulled down.
      const score = similarity * (alpha + (1 - alpha) * (r.score / top));
      if (score > (best.get(doc.entry) ?? -1)) best.set(doc.entry, score);
    }
    const ranked = [...best].sort((a, b) => b[1] - a[1]);
    const hits = ranked.map(([entry, score]) => this.hit(entry, score, opts.locale));
    // Exactly one entry's own question, as the customer typed it ("What is my transfer limit?"): that entry, first and sure.
    const own = this.phrasings.get(compact(this.analyser.normalise(text)));
    const exact = own !== undefined && own >= 0 ? hits.findIndex((h) => h.id === this.entries[own]!.id) : -1;
    if (exact >= 0 && (!this.dated || isValidOnDay(this.entries[own!]!, day))) {
      const [hit] = hits.splice(exact, 1);
      hits.unshift({ ...hit!, score: 1, exact: true });
      return hits;
    }
    if (hits[0] && this.crossCheckDisagrees(text, ranked[0]![0], found)) hits[0].disputed = true;
    return hits;
  }

  /**
   * The `candidates` questions of best BM25 score, best first (score as MiniSearch gives it: the sum of the
   * matched terms' weights, times how many terms matched). Rare terms are walked first; once the posting lists
   * walked pass POSTINGS_BUDGET (only on a large knowledge base, for terms as common as 卡), the questions found so
   * far are cut to the PRUNE_TO best and the commoner terms only add to those — a question that shares nothing
   * but common terms with the message would not have been among the nearest anyway.
   */
  private bm25(query: Set<string>, day: string): { id: number; score: number }[] {
    const known: number[] = [];
    for (const t of query) {
      const id = this.termId.get(t);
      if (id !== undefined) known.push(id);
    }
    known.sort((x, y) => this.postings[x]!.length - this.postings[y]!.length);
    const { partial, matched, lengthPart } = this;
    let touched: number[] = [];
    let walked = 0;
    let i = 0;
    for (; i < known.length; i++) {
      const id = known[i]!;
      const list = this.postings[id]!;
      if (i > 0 && walked + list.length > POSTINGS_BUDGET) break;
      walked += list.length;
      const w = this.bm25Weight[id]!;
      for (let j = 0; j < list.length; j++) {
        const doc = list[j]!;
        if (matched[doc] === 0) touched.push(doc);
        partial[doc] = partial[doc]! + w * lengthPart[doc]!;
        matched[doc] = matched[doc]! + 1;
      }
    }
    if (i < known.length) {
      const kept = this.best(touched, PRUNE_TO, '');
      for (const doc of touched) (partial[doc] = 0), (matched[doc] = 0);
      touched = kept.map((r) => r.id);
      for (const r of kept) (partial[r.id] = r.score / r.matched), (matched[r.id] = r.matched);
      for (; i < known.length; i++) {
        const id = known[i]!;
        const t = this.termText[id]!;
        const w = this.bm25Weight[id]!;
        for (const doc of touched) {
          if (!this.docs[doc]!.terms.has(t)) continue;
          partial[doc] = partial[doc]! + w * lengthPart[doc]!;
          matched[doc] = matched[doc]! + 1;
        }
      }
    }
    const found = this.best(touched, this.policy.candidates, day);
    for (const doc of touched) (partial[doc] = 0), (matched[doc] = 0);
    return found;
  }

  /** The n questions of best score among those touched (valid on the day when entries are dated), best first. */
  private best(touched: number[], n: number, day: string): { id: number; score: number; matched: number }[] {
    const self = this;
    function* scored() {
      for (const doc of touched) {
        if (day && !isValidOnDay(self.entries[self.docs[doc]!.entry]!, day)) continue;
        yield { id: doc, score: self.partial[doc]! * self.matched[doc]!, matched: self.matched[doc]! };
      }
    }
    return topN(scored(), n);
  }

  /**
   * The cross-check: a plain BM25 over characters and Latin words, with no synonyms and no stopwords (the
   * reading a plain full-text index makes), over the same candidates. When it puts another entry first, the
   * two readings disagree and the first is not sure enough to be answered directly (decide.ts).
   */
  private crossCheckDisagrees(text: string, first: number, candidates: { id: number }[]): boolean {
    const query = this.analyser.plain(text);
    const k = 1.2, b = 0.7;
    let bestEntry = -1, bestScore = 0, firstScore = 0;
    for (const r of candidates) {
      const doc = this.docs[r.id]!;
      let score = 0;
      for (const [t, qf] of query) {
        const f = doc.plain.get(t);
        if (f) score += qf * (this.plainIdf.get(t) ?? 0) * ((f * (k + 1)) / (f + k * (1 - b + (b * doc.plainLength) / this.plainMean)));
      }
      if (doc.entry === first) firstScore = Math.max(firstScore, score);
      if (score > bestScore) (bestScore = score), (bestEntry = doc.entry);
    }
    return bestEntry !== -1 && bestEntry !== first && bestScore > firstScore;
  }

  search(text: string, opts: SearchOptions = {}): FaqDecision {
    return this.decide(this.rank(text, opts));
  }

  /** The decision on a ranking already made (the evaluation tool times rank and decision together). */
  decide(ranked: FaqHit[]): FaqDecision {
    return decide(ranked, this.policy.thresholds);
  }

  private hit(entry: number, score: number, locale: SupportedLocale = 'zh-CN'): FaqHit {
    const e = this.entries[entry]!;
    const question = e.questions[locale]?.[0] ?? Object.values(e.questions).find((q) => q.length > 0)?.[0] ?? e.id;
    return { id: e.id, score: Math.round(score * 1000) / 1000, question };
  }

  private weightOf(term: string): number {
    return this.policy.weights[kindOf(term)] * (this.idf.get(term) ?? this.unknownIdf);
  }

  private sum(terms: Iterable<string>): number {
    let s = 0;
    for (const t of terms) s += this.weightOf(t);
    return s || 1;
  }
}



/** A normalised text without its spaces: "what is my transfer limit" and "whatismytransferlimit" are one phrasing. */
function compact(normal: string): string {
  return normal.replace(/\s+/g, '');
}
