/**
 * How loudly a message is written, from the raw text (folding would erase it):
 * runs of exclamation marks (！！！, !!!), runs of question marks (？？？, ?!),
 * the same character or short word over and over (啊啊啊, 好烦好烦好烦 — but
 * not laughter 哈哈哈, ellipses or numbers), and English in capitals (but not
 * acronyms such as ATM or POS). Swearing is a phrase list (policy).
 */
import type { TriagePolicy } from './policy';

export interface Intensity {
  score: number;
  cues: ('exclamation' | 'question' | 'repeated' | 'shouting')[];
}

type Policy = TriagePolicy['intensity'];

export class IntensityReader {
  private readonly ignoreRepeat: Set<string>;
  private readonly acronyms: Set<string>;

  private readonly repeatRe: RegExp;

  constructor(private readonly policy: Policy) {
    this.repeatRe = new RegExp(`(\\p{L}{1,10}?)(?:[\\p{P}\\s]*\\1){${policy.repeated.minTimes - 1},}`, 'gu');
    this.ignoreRepeat = new Set(policy.repeated.ignore.map((s) => s.normalize('NFKC').toLowerCase()));
    this.acronyms = new Set(policy.shouting.ignore.map((s) => s.toUpperCase()));
  }

  read(text: string): Intensity {
    const t = text.normalize('NFKC');
    const p = this.policy;
    const cues: Intensity['cues'] = [];
    let score = 0;
    const add = (cue: Intensity['cues'][number], n: number, weight: number, max: number) => {
      if (n <= 0 || weight <= 0) return;
      cues.push(cue);
      score += Math.min(max, n * weight);
    };
    const bangs = runs(t, /!+/g, 1);
    const loud = runs(t, /!+/g, p.exclamation.minRun);
    add('exclamation', 1, loud * p.exclamation.weight + (bangs - loud) * p.exclamation.single, p.exclamation.max);
    // "?!" and "!?" count as questions asked loudly.
    add('question', runs(t, /[?]+!*[?!]*|![?][?!]*/g, p.question.minRun), p.question.weight, p.question.max);
    add('repeated', this.repeats(t), p.repeated.weight, p.repeated.max);
    if (this.shouting(t)) add('shouting', 1, p.shouting.weight, p.shouting.weight);
    return { score, cues };
  }

  /**
   * Runs of the same letter, Han character or short phrase (up to 10 characters) said minTimes or more
   * in a row, with or without punctuation between: 啊啊啊, 好烦好烦好烦, "还钱！还钱！还钱！".
   */
  private repeats(t: string): number {
    let n = 0;
    for (const m of t.toLowerCase().matchAll(this.repeatRe)) {
      const unit = m[1] ?? '';
      // Laughter and "www" are not anger; a repeated unit made of ignored characters neither (哈哈, 呵呵).
      if (this.ignoreRepeat.has(unit) || [...unit].every((c) => this.ignoreRepeat.has(c))) continue;
      n += 1;
    }
    return n;
  }

  /** Enough words in capitals, and most of the Latin words: "I WANT MY MONEY BACK". */
  private shouting(t: string): boolean {
    const words = t.match(/[A-Za-z]{2,}/g) ?? [];
    const counted = words.filter((w) => !this.acronyms.has(w.toUpperCase()));
    const caps = counted.filter((w) => w === w.toUpperCase());
    return caps.length >= this.policy.shouting.minWords && caps.length >= this.policy.shouting.ratio * counted.length;
  }
}

function runs(t: string, re: RegExp, minRun: number): number {
  let n = 0;
  for (const m of t.matchAll(re)) if (m[0].length >= minRun) n += 1;
  return n;
}
