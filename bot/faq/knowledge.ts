/**
 * The knowledge base as the dialogs use it (the `KnowledgeBase` port of
 * dialogs/question-dialog.ts, met structurally: bot/ does not import dialogs/).
 * It owns the search index and swaps it whole when the content is reloaded,
 * so a turn always searches one consistent version.
 */
import type { Translator } from '../content/i18n';
import type { SupportedLocale } from '../content/schemas';
import type { BotMetrics } from '../metrics';
import type { DayCounters } from '../reports/day-counters';
import type { FaqContent } from './content';
import { FaqIndex } from './faq-index';
import type { FaqDecision } from './decide';
import { renderFaqAnswer, type FaqRenderPolicy } from './render';
import type { FaqAction, FaqEntry } from './schema';
import type { FaqStats } from './stats';

export type FaqLookup =
  | { kind: 'answer'; id: string }
  | { kind: 'choices'; options: { id: string; question: string }[] }
  | { kind: 'none' };

export interface FaqKnowledgeDeps {
  faq: FaqContent;
  translator: Translator;
  /** Where the answers' placeholders (time limits, office hours, the bank's name) come from. */
  policy: FaqRenderPolicy;
  stats: FaqStats;
  metrics: BotMetrics;
  now: () => Date;
  /** The day's FAQ outcomes for the supervisors' reports. */
  counters?: Pick<DayCounters, 'add'>;
}

export class FaqKnowledge {
  private index: FaqIndex;
  private entries: Map<string, FaqEntry>;
  /** The last decision made, by text: one message is looked at by the menu, the task interruption and the dialog. */
  private last?: { text: string; day: string; decision: FaqDecision };

  constructor(private readonly deps: FaqKnowledgeDeps) {
    this.index = FaqIndex.build(deps.faq.entries, deps.faq.search);
    this.entries = new Map(deps.faq.entries.map((e) => [e.id, e]));
  }

  get size(): number {
    return this.entries.size;
  }

  /** A new version of the knowledge base (content reloaded): the next search uses it. */
  replace(faq: FaqContent): void {
    const index = FaqIndex.build(faq.entries, faq.search);
    this.index = index;
    this.entries = new Map(faq.entries.map((e) => [e.id, e]));
    this.last = undefined;
  }

  lookup(text: string, locale: SupportedLocale): FaqLookup {
    const decision = this.decide(text);
    this.deps.metrics.faqLookups.inc({ outcome: decision.kind });
    this.deps.counters?.add(`faq.${decision.kind}`);
    if (decision.kind === 'answer') return { kind: 'answer', id: decision.hit.id };
    if (decision.kind === 'choices') return { kind: 'choices', options: decision.hits.map((h) => ({ id: h.id, question: this.entries.get(h.id)?.questions[locale][0] ?? h.question })) };
    this.deps.stats.miss(text);
    return { kind: 'none' };
  }

  answersDirectly(text: string): boolean {
    return this.decide(text).kind === 'answer';
  }

  knowsAbout(text: string): boolean {
    return this.decide(text).kind !== 'none';
  }

  answer(id: string, locale: SupportedLocale): { question: string; text: string; actions: FaqAction[] } | undefined {
    const entry = this.entries.get(id);
    // An entry removed by a reload while a customer was choosing among it: no answer (the dialog says so).
    if (!entry) return undefined;
    return {
      question: entry.questions[locale][0] ?? entry.id,
      text: renderFaqAnswer(this.deps.translator, id, locale, this.deps.policy),
      actions: entry.actions ?? [],
    };
  }

  feedback(id: string, helpful: boolean): void {
    this.deps.metrics.faqFeedback.inc({ verdict: helpful ? 'helped' : 'notHelped' });
    this.deps.stats.feedback(id, helpful);
  }

  /** The decision does not depend on the customer's language (every phrasing of every locale is indexed); validity dates do depend on the day. */
  private decide(text: string): FaqDecision {
    const now = this.deps.now();
    const day = now.toISOString().slice(0, 10);
    const last = this.last;
    if (last && last.text === text && last.day === day) return last.decision;
    const decision = this.index.search(text, { now });
    this.last = { text, day, decision };
    return decision;
  }
}
