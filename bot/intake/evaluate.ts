/**
 * What the intake would make of complaint stories told as a first message,
 * without a conversation: the real extractor and the real next-step rules
 * (record.ts). Each story is read as the intake reads it; the questions that
 * would follow are counted by answering each one as a customer who cannot say
 * more would ("skip"), so every question is counted once.
 */
import { performance } from 'node:perf_hooks';
import type { SupportedLocale } from '../content/schemas';
import { maskPii } from '../privacy/mask';
import type { ComplaintPolicy } from '../tickets/policy';
import type { ComplaintExtractor } from './extract';
import type { LabelledStory } from './learn';
import { compileExamples, foldStory } from './axes';
import { absorb, INFORMATION_STEPS, nextStep, skip, type IntakeRecord, type Step } from './record';

export interface StoryOutcome {
  record: IntakeRecord;
  /** The report class of the reason recorded (undefined when the category question is asked). */
  reportClass?: string;
  label: string;
  right: boolean;
  askedCategory: boolean;
  questions: Step[];
  informationQuestions: number;
  /** With the contact number, which public stories never carry. */
  questionsWithContact: number;
  inventedDay: boolean;
  ms: number;
}

export interface Figures {
  stories: number;
  reasonAccuracy: number;
  askedCategory: number;
  medianQuestions: number;
  medianQuestionsWithContact: number;
  /** Share of stories where each question would be asked. */
  asked: Record<string, number>;
  inventedDays: number;
  p50Ms: number;
  p99Ms: number;
}

/** A day the text does not give: "2021年6月" read as 1 June would show here. */
const DAY_WORDS = /[日号號天今昨早晚]|凌晨|周[一二三四五六日天]|星期|礼拜|禮拜|刚才|剛才|刚刚|剛剛|月\s*[\d一二三四五六七八九十]|\d{1,2}\/\d{1,2}|\d{4}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{1,2}|today|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d{1,2}\b/i;
const isDay = (given?: string) => Boolean(given && /^\d{4}-\d{2}-\d{2}$/.test(given));

export function inventsDay(record: IntakeRecord): boolean {
  const [first = '', last = first] = (record.occurredText ?? '').split('…');
  return (isDay(record.occurredOn) && !DAY_WORDS.test(first)) || (isDay(record.occurredUntil) && !DAY_WORDS.test(last));
}

export function localeOf(text: string): SupportedLocale {
  return /\p{Script=Han}/u.test(text) ? 'zh-CN' : 'en';
}

/** Reads one story as the intake's first message and lists the questions that would follow. */
export function readStory(story: LabelledStory, extractor: ComplaintExtractor, policy: ComplaintPolicy, now: Date): StoryOutcome {
  const started = performance.now();
  const record: IntakeRecord = { evidence: [], texts: [] };
  const found = extractor.extract(story.text, localeOf(story.text), now);
  record.texts.push(found.maskedText);
  absorb(record, found);
  if (/[\p{L}\p{N}]/u.test(found.maskedText)) record.description = found.maskedText;
  const askedCategory = nextStep(record, policy) === 'category';
  const questions: Step[] = [];
  for (let step = nextStep(record, policy); step && questions.length < 20; step = nextStep(record, policy)) {
    questions.push(step);
    answerBlank(record, step);
  }
  const ms = performance.now() - started;
  const reason = askedCategory ? undefined : (record.reason ?? 'other');
  const reportClass = reason ? policy.reasons.reasons[reason]?.reportClass : undefined;
  const expected = policy.reasons.reasons[story.label]?.reportClass ?? story.label;
  return {
    record,
    reportClass,
    label: story.label,
    right: reportClass === expected,
    askedCategory,
    questions,
    informationQuestions: questions.filter((q) => INFORMATION_STEPS.includes(q)).length,
    questionsWithContact: questions.filter((q) => INFORMATION_STEPS.includes(q) || q === 'contact').length,
    inventedDay: inventsDay(record),
    ms,
  };
}

/** The least a customer could answer: skip where the intake allows it, anonymous, agree. */
function answerBlank(record: IntakeRecord, step: Step): void {
  if (step === 'description') record.description = '…';
  else if (step === 'wish') record.wish = '…';
  else if (step === 'contact') record.phone = null;
  else if (step === 'consent') record.consent = true;
  else if (step === 'financialConsent') record.financialConsent = true;
  else skip(record, step);
}

export function figuresOf(outcomes: StoryOutcome[]): Figures {
  const n = outcomes.length || 1;
  const share = (k: number) => Math.round((k / n) * 1000) / 1000;
  const sortedMs = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const at = (q: number) => Math.round((sortedMs[Math.min(sortedMs.length - 1, Math.floor(q * sortedMs.length))] ?? 0) * 100) / 100;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0;
  const asked: Record<string, number> = {};
  for (const step of [...INFORMATION_STEPS, 'contact' as const]) asked[step] = share(outcomes.filter((o) => o.questions.includes(step)).length);
  return {
    stories: outcomes.length,
    reasonAccuracy: share(outcomes.filter((o) => o.right).length),
    askedCategory: share(outcomes.filter((o) => o.askedCategory).length),
    medianQuestions: median(outcomes.map((o) => o.informationQuestions)),
    medianQuestionsWithContact: median(outcomes.map((o) => o.questionsWithContact)),
    asked,
    inventedDays: outcomes.filter((o) => o.inventedDay).length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

/** One line per story, masked: what the intake would record. */
export function describe(o: StoryOutcome, index: number): string {
  const r = o.record;
  const when = r.occurredOn ? `${r.occurredOn}${r.occurredUntil ? `..${r.occurredUntil}` : ''}` : r.occurredText ? `"${r.occurredText}"` : '-';
  const amount = r.amount ? `${r.amount.value} ${r.amount.currency}` : '-';
  const story = maskPii(r.texts[0] ?? '').text.replace(/\s+/g, ' ').slice(0, 40);
  return [
    `#${index + 1}`,
    `${o.right ? '✓' : '✗'} ${o.label}→${o.askedCategory ? 'ASK' : `${r.reason ?? 'other'}(${o.reportClass})`}`,
    `line=${r.line ?? '-'}`,
    `category=${r.category ?? '-'}`,
    `when=${when}`,
    `amount=${amount}`,
    `third=${r.thirdParty ?? '-'}`,
    `asks=${o.questions.filter((q) => INFORMATION_STEPS.includes(q) || q === 'contact').join(',') || '-'}`,
    `| ${story}`,
  ].join(' ');
}

/**
 * For tuning the phrase lists: each reason phrase with the number of labelled stories it occurs in and the
 * share of them labelled with its reason's class (a phrase mostly found in other classes misleads).
 */
export function phraseReport(stories: LabelledStory[], policy: ComplaintPolicy): string[] {
  const folded = stories.map((s) => ({ text: foldStory(s.text), label: policy.reasons.reasons[s.label]?.reportClass ?? s.label }));
  const lines: string[] = [];
  for (const [id, reason] of Object.entries(policy.reasons.reasons)) {
    for (const p of compileExamples(reason.examples)) {
      const hits = folded.filter((s) => s.text.includes(p.text));
      const mine = hits.filter((s) => s.label === reason.reportClass).length;
      lines.push(`${id}\t${p.text.trim()}\t${p.weight}\t${hits.length}\t${hits.length ? (mine / hits.length).toFixed(2) : '-'}`);
    }
  }
  return lines;
}
