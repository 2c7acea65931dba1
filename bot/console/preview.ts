/**
 * What a message would get under a content version, for the console's
 * preview: the FAQ's decision (an answer, "did you mean…?" choices, or none)
 * and triage's (level, reasons in the staff's words, a person now or not).
 * Built from the version's own policy and phrase lists, exactly the classes
 * the bot uses; an index is built once per version and kept while that
 * version is asked about (the live one, and each supervisor's draft).
 */
import type { Content } from '../content/loader';
import { flatten } from '../content/loader';
import type { SupportedLocale } from '../content/schemas';
import { FaqIndex } from '../faq/faq-index';
import { Triage } from '../triage/triage';

export interface PreviewOutcome {
  faq:
    | { kind: 'answer'; id: string; question: string; answer: string }
    | { kind: 'choices'; options: { id: string; question: string }[] }
    | { kind: 'none' };
  triage: { level: string; handoff: boolean; reasons: { id: string; words: string }[] };
}

interface Built {
  content: Content;
  index: FaqIndex;
  triage: Triage;
}

/** Keeps the last few versions' indexes (building one takes tens of milliseconds). */
export class PreviewCache {
  private readonly built = new Map<string, Built>();

  constructor(private readonly size = 8) {}

  /** `tag` names the version: "live:3", or "draft:<user>:<updatedAt>". */
  outcome(tag: string, content: () => Content, text: string, locale: SupportedLocale, now: Date): PreviewOutcome {
    let b = this.built.get(tag);
    if (!b) {
      const c = content();
      b = { content: c, index: FaqIndex.build(c.faq.entries, c.faq.search), triage: new Triage(c.triage, c.triageWeights) };
      this.built.set(tag, b);
      while (this.built.size > this.size) this.built.delete(this.built.keys().next().value as string);
    }
    return previewWith(b, text, locale, now);
  }
}

function previewWith(b: Built, text: string, locale: SupportedLocale, now: Date): PreviewOutcome {
  const entries = new Map(b.content.faq.entries.map((e) => [e.id, e]));
  const questionOf = (id: string) => entries.get(id)?.questions[locale][0] ?? id;
  const decision = b.index.search(text, { now });
  const faq: PreviewOutcome['faq'] =
    decision.kind === 'answer'
      ? { kind: 'answer', id: decision.hit.id, question: questionOf(decision.hit.id), answer: entries.get(decision.hit.id)?.answer[locale] ?? '' }
      : decision.kind === 'choices'
        ? { kind: 'choices', options: decision.hits.map((h) => ({ id: h.id, question: questionOf(h.id) })) }
        : { kind: 'none' };
  const result = b.triage.assess({ text });
  const words = flatten(b.content.locales[locale].triage ?? {});
  return {
    faq,
    triage: { level: result.level, handoff: result.handoff, reasons: result.reasons.map((id) => ({ id, words: words.get(`reason.${id}`) ?? id })) },
  };
}
