/**
 * The FAQ retrieval: MiniSearch (BM25 over our terms) finds the nearest
 * questions quickly; a similarity on a fixed 0..1 scale then ranks them and
 * decides (decide.ts). BM25 scores grow with the message's length and the
 * index, so thresholds on them would not carry from one knowledge base to
 * another; the similarity — the rare-word-weighted share of the message the
 * question explains, against the share of the question the message covers —
 * does, and it is what content/policy/faq-search.json calibrates.
 */
import MiniSearch from 'minisearch';
import type { SupportedLocale } from '../content/schemas';
import { Analyser, kindOf } from './analyse';
import { decide, type FaqDecision, type FaqHit } from './decide';
import type { FaqEntry, FaqSearchPolicy } from './schema';
import { dayOf, isValidOnDay } from './validity';

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
}

export interface SearchOptions {
  locale?: SupportedLocale;
  now?: Date;
}

export class FaqIndex {
  private readonly analyser: Analyser;
  private readonly docs: Doc[] = [];
  private readonly idf = new Map<string, number>();
  private readonly unknownIdf: number;
  private readonly mini: MiniSearch<{ id: number; t: string }>;
  /** Some entry has validity dates (otherwise no date is computed per message). */
  private readonly dated: boolean;

  private constructor(
    private readonly entries: IndexableEntry[],
    private readonly policy: FaqSearchPolicy,
  ) {
    this.analyser = new Analyser(policy);
    this.dated = entries.some((e) => e.validFrom || e.validUntil);
    // Document frequency counts entries, not phrasings: an entry with ten phrasings of 吞卡 must not make 吞卡 look common.
    const df = new Map<string, number>();
    const perEntry: Set<string>[][] = entries.map((e) => {
      const seen = new Set<string>();
      const sets: Set<string>[] = [];
      for (const q of Object.values(e.questions).flat()) {
        const normal = this.analyser.normalise(q);
        if (seen.has(normal)) continue; // zh-TW folded to simplified often repeats zh-CN.
        seen.add(normal);
        sets.push(new Set(this.analyser.terms(q)));
      }
      const all = new Set(sets.flatMap((s) => [...s]));
      for (const t of all) df.set(t, (df.get(t) ?? 0) + 1);
      return sets;
    });
    const n = Math.max(entries.length, 1);
    for (const [t, f] of df) this.idf.set(t, Math.log(1 + n / f));
    this.unknownIdf = Math.log(1 + n);
    this.mini = new MiniSearch({ fields: ['t'], idField: 'id', tokenize: (s) => s.split(' '), processTerm: (t) => t });
    const batch: { id: number; t: string }[] = [];
    perEntry.forEach((sets, entry) =>
      sets.forEach((terms) => {
        batch.push({ id: this.docs.length, t: [...terms].join(' ') });
        this.docs.push({ entry, terms, weight: this.sum(terms) });
      }),
    );
    this.mini.addAll(batch);
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
    const found = this.mini.search(terms.join(' '), {
      boostTerm: (t) => this.policy.weights[kindOf(t)],
      ...(this.policy.bm25 ? { bm25: this.policy.bm25 } : {}),
      filter: this.dated ? (r) => isValidOnDay(this.entries[this.docs[r.id as number]!.entry]!, day) : undefined,
    });
    const best = new Map<number, number>();
    const { queryShare: share, similarity: alpha } = this.policy.weights;
    const top = found[0]?.score ?? 1;
    for (const r of found.slice(0, this.policy.candidates)) {
      const doc = this.docs[r.id as number]!;
      let overlap = 0;
      for (const t of query) if (doc.terms.has(t)) overlap += this.weightOf(t);
      const similarity = overlap === 0 ? 0 : (overlap / total) ** share * (overlap / doc.weight) ** (1 - share);
      // Never above the similarity (the calibrated scale); a question far behind the best in BM25 is pulled down.
      const score = similarity * (alpha + (1 - alpha) * (r.score / top));
      if (score > (best.get(doc.entry) ?? -1)) best.set(doc.entry, score);
    }
    return [...best]
      .sort((a, b) => b[1] - a[1])
      .map(([entry, score]) => this.hit(entry, score, opts.locale));
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


