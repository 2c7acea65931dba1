/**
 * The one place that decides what a message means. Every phrase of
 * `content/policy/intents.json` (and the global words of commands.json) is
 * normalised once; a message is normalised the same way, and each intent is
 * scored from the phrases and patterns it contains:
 *  - a phrase inside a longer phrase that also matched does not count ("投诉"
 *    inside "投诉进度", "人工" inside "不要人工" is negated instead);
 *  - a phrase after a negation ("不是投诉", "不要人工", "not a complaint") counts
 *    against its intent;
 *  - a long message with nothing else in it is a story, i.e. a complaint;
 *  - "none" (an answer to the current prompt) has a base score that depends on
 *    what the prompt expects: at the menu almost anything beats it, inside a
 *    dialog only a clear request does.
 * The result carries the runner-up so that callers can ask for a margin.
 */
import type { Commands, SupportedLocale } from '../content/schemas';
import { INTENTS, type Intent, type IntentsPolicy } from './policy';
import { CLAUSE_MARK, asksQuestion, dropFillers, foldPhrase, foldText, isLatin, lengthOf, searchForm } from './normalise';

export interface Recognition {
  intent: Intent;
  score: number;
  runnerUp: { intent: Intent; score: number };
  /** For "language": the language asked for, when the message names one. */
  locale?: SupportedLocale;
  /** A complaint number in the message (TS-YYYYMMDD-NNNN), upper-cased. */
  ticketNumber?: string;
  /** Intents the message says it is not ("不是投诉", "not a complaint"): a dialog started for one of them was a misunderstanding. */
  negated: Intent[];
  /** The whole message is one of the intent's own phrases ("我要投诉", "投诉"): a request, with no story in it. */
  exact: boolean;
  /** The knowledge base's sure answer made this a question (it read first as `runnerUp`). */
  answerable?: boolean;
}

/** What the recognizer may ask of the knowledge base (bot/faq/knowledge.ts). */
export interface AnswerableCheck {
  answersDirectly(text: string): boolean;
}

/** Intents about the customer's own case: a question about them in general ("投诉多久有结果") is for the FAQ. */
const CASE_INTENTS: readonly Intent[] = ['progress', 'appeal', 'withdraw'];
/** Intents a sure FAQ answer never overrides: the customer asked for exactly this. */
const KEPT_INTENTS: readonly Intent[] = ['question', 'none', 'person', 'cancel', 'restart', 'language', 'greeting', 'thanks', 'goodbye'];

/** What the prompt waiting for this message expects: the menu, or an answer to a question. */
export type Expecting = 'menu' | 'answer';

interface Phrase {
  intent: (typeof INTENTS)[number];
  text: string;
  weight: number;
  locale?: SupportedLocale;
}

interface Hit {
  phrase: Phrase;
  start: number;
  end: number;
  negated: boolean;
}

export class IntentRecognizer {
  private readonly fillers: string[];
  private readonly exact = new Map<string, Phrase[]>();
  private readonly contains: Phrase[] = [];
  private readonly patterns: { intent: (typeof INTENTS)[number]; re: RegExp; weight: number; raw: boolean }[] = [];
  private readonly cues: string[];
  private readonly immediate: string[];
  private readonly ticketNumber: RegExp;

  private readonly personal: string[];

  constructor(
    private readonly policy: IntentsPolicy,
    commands?: Commands,
    /** The FAQ: a short question it answers surely is a question, not a weak reading as something else. */
    private readonly knowledge?: AnswerableCheck,
  ) {
    // Longest first, so that "我想要" goes before "我想" would leave "要" behind.
    this.fillers = [...new Set(policy.fillers.map(foldPhrase))].filter(Boolean).sort((a, b) => b.length - a.length);
    const core = (p: string) => dropFillers(foldText(p), this.fillers).trim();
    const addExact = (intent: Phrase['intent'], text: string, locale?: SupportedLocale) => {
      const key = core(text);
      if (!key) return;
      const list = this.exact.get(key) ?? [];
      if (!list.some((p) => p.intent === intent)) list.push({ intent, text: key, weight: policy.exactWeight, locale });
      this.exact.set(key, list);
    };
    for (const intent of INTENTS) {
      const rules = policy.intents[intent];
      for (const p of rules.exact) addExact(intent, p);
      for (const group of rules.contains) {
        for (const p of group.phrases) {
          const text = searchForm(core(p));
          // "投訴" and "投诉" fold to one phrase: it counts once, with its highest weight.
          const same = this.contains.find((c) => c.intent === intent && c.text === text);
          if (same) same.weight = Math.max(same.weight, group.weight);
          else if (text.trim()) this.contains.push({ intent, text, weight: group.weight });
        }
      }
      for (const p of rules.patterns) this.patterns.push({ intent, re: new RegExp(p.pattern, 'gu'), weight: p.weight, raw: p.raw ?? false });
    }
    for (const [locale, names] of Object.entries(policy.languages) as [SupportedLocale, string[]][]) {
      for (const name of names) {
        const text = core(name);
        if (text) this.contains.push({ intent: 'language', text: searchForm(text), weight: policy.exactWeight / 2, locale });
        addExact('language', name, locale);
      }
    }
    if (commands) {
      // The global words stay in commands.json; whole-message forms of them are exact phrases here.
      for (const p of commands.help) addExact('help', p);
      for (const p of commands.cancel) addExact('cancel', p);
      for (const p of commands.restart) addExact('restart', p);
      for (const p of commands.person) addExact('person', p);
      for (const p of commands.greeting) addExact('greeting', p);
      for (const [locale, names] of Object.entries(commands.language) as [SupportedLocale, string[]][]) for (const n of names) addExact('language', n, locale);
    }
    this.personal = policy.knowledge.personal.map((p) => searchForm(core(p))).filter((p) => p.trim());
    this.cues = policy.negation.cues.map(foldPhrase).filter(Boolean);
    this.immediate = policy.negation.immediate.map(foldPhrase).filter(Boolean);
    this.ticketNumber = new RegExp(policy.ticketNumber, 'iu');
  }

  recognise(text: string | undefined, expecting: Expecting = 'menu'): Recognition {
    const scores = new Map<Intent, number>(INTENTS.map((i) => [i, 0]));
    scores.set('none', expecting === 'menu' ? this.policy.none.menu : this.policy.none.answer);
    const add = (intent: Intent, w: number) => scores.set(intent, (scores.get(intent) ?? 0) + w);
    let locale: SupportedLocale | undefined;
    const raw = text ?? '';
    const folded = foldText(raw);
    const core = dropFillers(folded, this.fillers);
    const ticketNumber = this.ticketNumber.exec(raw)?.[0]?.toUpperCase();

    const exactIntents = new Set<Intent>();
    for (const p of this.exact.get(core.trim()) ?? []) {
      exactIntents.add(p.intent);
      add(p.intent, p.weight);
      if (p.locale) locale = p.locale;
    }
    const negated = new Set<Intent>();
    const hits = this.kept(this.find(core));
    for (const h of hits) {
      if (h.negated) negated.add(h.phrase.intent);
      add(h.phrase.intent, h.negated ? -h.phrase.weight : h.phrase.weight);
      if (h.phrase.locale && !h.negated) locale ??= h.phrase.locale;
    }
    for (const p of this.patterns) {
      const on = p.raw ? folded : core;
      p.re.lastIndex = 0;
      const m = p.re.exec(on);
      if (!m) continue;
      const no = this.negatedAt(on, m.index, m[0]);
      if (no) negated.add(p.intent);
      add(p.intent, no ? -p.weight : p.weight);
    }
    if (asksQuestion(raw)) add('question', this.policy.questionMark);
    if (ticketNumber) add('progress', this.policy.exactWeight / 2);
    const { han, words } = lengthOf(core);
    if (han >= this.policy.story.minChineseChars || words >= this.policy.story.minEnglishWords) add('complaint', this.policy.story.weight);

    // Highest score first; on a tie the earlier intent in INTENTS (and "none" last).
    const order: Intent[] = [...INTENTS, 'none'];
    const ranked = order.map((intent) => ({ intent, score: scores.get(intent) ?? 0 })).sort((a, b) => b.score - a.score);
    const [best, second] = ranked as [{ intent: Intent; score: number }, { intent: Intent; score: number }];
    const result: Recognition = {
      intent: best.intent,
      score: best.score,
      runnerUp: second,
      negated: [...negated],
      exact: exactIntents.has(best.intent),
      ...(best.intent === 'language' && locale ? { locale } : {}),
      ...(ticketNumber ? { ticketNumber } : {}),
    };
    return this.answerable(raw, core, result, scores.get('question') ?? 0) ?? result;
  }

  /** The reading as a question, when the knowledge base answers this short message surely (policy.knowledge). */
  private answerable(raw: string, core: string, r: Recognition, questionScore: number): Recognition | undefined {
    if (!this.knowledge || r.exact || r.ticketNumber || r.negated.length > 0 || KEPT_INTENTS.includes(r.intent)) return undefined;
    const { han, words } = lengthOf(core);
    if (han > this.policy.knowledge.maxChars || words > this.policy.knowledge.maxWords) return undefined;
    const asks = questionScore > 0;
    // A story is a complaint however weakly it reads as one: only one that asks something may be a question.
    const weak = r.score < this.policy.interrupt.minScore && r.intent !== 'complaint';
    if (!asks && !weak) return undefined;
    if (CASE_INTENTS.includes(r.intent) && this.personal.some((p) => core.includes(p))) return undefined;
    if (!this.knowledge.answersDirectly(raw)) return undefined;
    return { ...r, intent: 'question', score: r.score, runnerUp: { intent: r.intent, score: r.score }, exact: false, answerable: true };
  }

  /**
   * Inside a dialog: what the message asks for instead of answering, when that
   * is clear (sure enough, and short: a story that mentions 人工 is still an answer).
   */
  interruption(text: string | undefined): Recognition | undefined {
    if (!text) return undefined;
    const r = this.recognise(text, 'answer');
    const { minScore, maxChars, maxWords } = this.policy.interrupt;
    if (r.intent === 'none' || r.score < minScore) return undefined;
    // A complaint number is not part of what the customer said about it.
    const { han, words } = lengthOf(foldText(text.replace(new RegExp(this.ticketNumber.source, 'giu'), ' ')));
    return han > maxChars || words > maxWords ? undefined : r;
  }

  /** Every phrase occurrence (first occurrence of each phrase). */
  private find(core: string): Hit[] {
    const hits: Hit[] = [];
    for (const phrase of this.contains) {
      const at = core.indexOf(phrase.text);
      if (at < 0) continue;
      hits.push({ phrase, start: at, end: at + phrase.text.length, negated: this.negatedAt(core, at, phrase.text) });
    }
    return hits;
  }

  /** Drops a hit lying inside a longer hit: the longer phrase says more ("投诉进度" over "投诉"). */
  private kept(hits: Hit[]): Hit[] {
    const byLength = [...hits].sort((a, b) => b.end - b.start - (a.end - a.start));
    const kept: Hit[] = [];
    for (const h of byLength) {
      const inside = kept.some((k) => k.start <= h.start && h.end <= k.end && k.end - k.start > h.end - h.start);
      if (!inside) kept.push(h);
    }
    return kept;
  }

  /** A negation cue shortly before the phrase, within the same clause. */
  private negatedAt(text: string, at: number, phrase: string): boolean {
    const { chineseWindow, englishWords } = this.policy.negation;
    if (isLatin(phrase.trim())) {
      const upTo = text.slice(0, at + (phrase.startsWith(' ') ? 1 : 0));
      const before = upTo.slice(upTo.lastIndexOf(CLAUSE_MARK) + 1).trim().split(' ').slice(-englishWords);
      const window = ` ${before.join(' ')} `;
      return this.cues.some((c) => isLatin(c) && window.includes(` ${c} `));
    }
    const clause = text.slice(0, at);
    const window = clause.slice(clause.lastIndexOf(' ') + 1).slice(-chineseWindow);
    if (this.immediate.some((c) => window.endsWith(c))) return true;
    return this.cues.some((c) => !isLatin(c) && window.includes(c));
  }
}
