/**
 * The realistic mix: each simulated customer writes in one language and runs
 * conversation scripts drawn at random, one after another, until it has had
 * its turns. A script reacts to what the bot asks (read from content), so an
 * intake is followed through to the ticket whatever the bot still needs.
 *
 * Scripts are drawn so that the share of TURNS (not of scripts) matches the
 * mix: an intake takes several turns, a progress check one, so intakes are
 * drawn less often than their share.
 */
import { buttonsOf, understand, type Heard } from './bot-speech';
import type { TurnResult } from './harness';
import { PHRASES, type Lang, type Phrases } from './phrases';

export type Family = 'intake' | 'progress' | 'question' | 'menu';
/** What a turn is, for the per-kind figures: the story that opens an intake, an answer to its questions, … */
export type TurnKind = 'story' | 'answer' | 'progress' | 'question' | 'menu';
export const TURN_KINDS: TurnKind[] = ['story', 'answer', 'progress', 'question', 'menu'];
export const FAMILIES: Family[] = ['intake', 'progress', 'question', 'menu'];

export interface Mix {
  name: string;
  /** Share of turns per family (sums to 1). */
  turns: Partial<Record<Family, number>>;
  /** Share of customers per language. */
  languages: Record<Lang, number>;
}

const LANGUAGES = { 'zh-CN': 0.7, 'zh-TW': 0.15, en: 0.15 };
export const MIXES: Record<string, Mix> = {
  real: { name: 'real', turns: { intake: 0.4, progress: 0.2, question: 0.2, menu: 0.2 }, languages: LANGUAGES },
  intake: { name: 'intake', turns: { intake: 1 }, languages: LANGUAGES },
  progress: { name: 'progress', turns: { progress: 1 }, languages: LANGUAGES },
  question: { name: 'question', turns: { question: 1 }, languages: LANGUAGES },
  help: { name: 'help', turns: { menu: 1 }, languages: LANGUAGES },
};

export interface Said {
  text: string;
  kind: TurnKind;
}

/** One customer's memory across scripts: the tickets they were given. */
interface Memory {
  tickets: string[];
}

/** The customer's side of one exchange: given what the bot said last, the next message, or undefined when done. */
type Script = (heard: { asked?: Heard; buttons: string[] } | undefined) => Said | undefined;

const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)]!;

function draw<K extends string>(weights: Partial<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  let r = Math.random() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [k, w] of entries) if ((r -= w) <= 0) return k;
  return entries.at(-1)![0];
}

/** A complaint: the story, then whatever the bot asks, until the ticket is created. */
function intake(p: Phrases): Script {
  let started = false;
  const times = new Map<Heard, number>();
  // When the bot's words are not recognised (the echo floor), the usual questions in the usual order.
  const blind: Heard[] = ['when', 'amount', 'wish', 'contact', 'consent', 'confirm'];
  return (heard) => {
    if (!started) {
      started = true;
      return { text: pick(p.stories), kind: 'story' };
    }
    const asked = heard?.asked ?? blind.shift();
    if (!asked || asked === 'menu' || asked === 'created') return undefined;
    const n = (times.get(asked) ?? 0) + 1;
    times.set(asked, n);
    if (n > 3) return undefined; // stuck: the runner cancels
    const again = n > 1;
    const answer = (text: string): Said => ({ text, kind: 'answer' });
    switch (asked) {
      case 'description': return answer(p.shortStory);
      case 'category': return answer(heard?.buttons.length ? pick(heard.buttons) : p.shortStory);
      case 'when': return answer(again ? p.whenAgain : pick(p.when));
      case 'amount': return answer(again ? p.amountAgain : pick(p.amount));
      case 'wish': return answer(pick(p.wish));
      case 'contact': return answer(again ? p.anonymous : pick(p.contact));
      case 'consent': return answer(p.agree);
      case 'financialConsent': return answer(Math.random() < 0.7 ? p.agree : p.decline);
      case 'confirm': return answer(p.submit);
      case 'sameMatter': return answer(p.notSameMatter);
      case 'resume': return answer(p.carryOn);
      case 'editWhich': return undefined;
    }
  };
}

function progress(p: Phrases, memory: Memory): Script {
  let done = false;
  return () => {
    if (done) return undefined;
    done = true;
    const own = memory.tickets.at(-1);
    const text = own ? (Math.random() < 0.5 ? p.progressWith(own) : own) : Math.random() < 0.7 ? p.progressTap : p.progressUnknown;
    return { text, kind: 'progress' };
  };
}

/** A question, then whatever the bot does with it: an answer or the menu ends the script; an intake it starts (the question named a complaint category) is cancelled. */
function question(p: Phrases): Script {
  let asked = false;
  let cancelled = false;
  return (heard) => {
    if (!asked) {
      asked = true;
      return { text: pick(p.questions), kind: 'question' };
    }
    if (cancelled || !heard?.asked || heard.asked === 'menu') return undefined;
    cancelled = true;
    return { text: p.cancel, kind: 'question' };
  };
}

function menu(p: Phrases): Script {
  let done = false;
  return () => {
    if (done) return undefined;
    done = true;
    return { text: pick(p.menu), kind: 'menu' };
  };
}

/** Running mean of turns per script of each family, shared by all customers of a phase (for drawing by turn share). */
export class ScriptSizes {
  private readonly sum: Record<Family, number> = { intake: 5, progress: 1, question: 1.5, menu: 1 };
  private readonly count: Record<Family, number> = { intake: 1, progress: 1, question: 1, menu: 1 };
  readonly turnsByFamily: Record<Family, number> = { intake: 0, progress: 0, question: 0, menu: 0 };

  mean(f: Family): number {
    return this.sum[f] / this.count[f];
  }

  record(f: Family, turns: number): void {
    this.sum[f] += turns;
    this.count[f]++;
    this.turnsByFamily[f] += turns;
  }
}

export interface TurnRecord {
  kind: TurnKind;
  ms: number;
}

/**
 * One customer: scripts drawn from the mix until `turns` turns are done (the
 * last script is finished, so a conversation may run a few turns over).
 */
export async function runCustomer(
  mix: Mix,
  sizes: ScriptSizes,
  turns: number,
  lang: Lang,
  say: (text: string) => Promise<TurnResult>,
  think: () => Promise<void>,
  record: (turn: TurnRecord) => void,
  trace?: (line: string) => void,
): Promise<void> {
  const p = PHRASES[lang];
  const memory: Memory = { tickets: [] };
  let done = 0;
  while (done < turns) {
    const weights = Object.fromEntries(Object.entries(mix.turns).map(([f, share]) => [f, share! / sizes.mean(f as Family)])) as Record<Family, number>;
    const family = draw(weights);
    const script = family === 'intake' ? intake(p) : family === 'progress' ? progress(p, memory) : family === 'question' ? question(p) : menu(p);
    let heard: Parameters<Script>[0];
    let scriptTurns = 0;
    for (let said = script(undefined); said; said = script(heard)) {
      await think();
      const result = await say(said.text);
      record({ kind: said.kind, ms: result.ms });
      const understood = understand(result.replies);
      if (understood.ticket) memory.tickets.push(understood.ticket);
      heard = { ...understood, buttons: buttonsOf(result.replies) };
      trace?.(`  ${lang} [${said.kind}] ${said.text}\n      → ${result.replies.map((r) => (r.text ?? '').replace(/\n/g, ' ').slice(0, 70)).join(' | ')}`);
      scriptTurns++;
      if (scriptTurns > 15) break;
    }
    // A script that ended away from the menu (stuck, or the bot asked something unexpected): cancel, as a customer would.
    if (heard?.asked && heard.asked !== 'menu' && heard.asked !== 'created') {
      await think();
      const result = await say(p.cancel);
      record({ kind: 'menu', ms: result.ms });
      trace?.(`  ${lang} [menu] ${p.cancel} (unexpected: ${heard.asked})`);
      scriptTurns++;
    }
    sizes.record(family, scriptTurns);
    done += scriptTurns;
  }
}

export function drawLanguage(mix: Mix): Lang {
  return draw(mix.languages);
}

/** The channel locale the customer's browser reports. */
export const channelLocale = (lang: Lang) => (lang === 'en' ? 'en-US' : lang);
