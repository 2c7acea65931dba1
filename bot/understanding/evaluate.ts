/**
 * Scores the recognizer on labelled phrasings (`{text, intent, expecting?}`):
 * accuracy, per-intent precision and recall, the confusions, and the time per
 * message. Used by `npm run intent:eval` and by the unit test on the fixture.
 */
import { z } from 'zod';
import { INTENTS, type Intent } from './policy';
import type { IntentRecognizer } from './recognizer';

export const labelledSchema = z
  .object({
    text: z.string(),
    intent: z.enum([...INTENTS, 'none']),
    /** What the prompt expects: "menu" (default) or "answer" (a question inside a dialog). */
    expecting: z.enum(['menu', 'answer']).optional(),
  })
  .strict();
export type Labelled = z.infer<typeof labelledSchema>;

export interface IntentFigures {
  precision: number;
  recall: number;
  support: number;
}

export interface Evaluation {
  total: number;
  accuracy: number;
  perIntent: Record<string, IntentFigures>;
  /** "expected → got": count, most frequent first. */
  confusions: [string, number][];
  misses: { text: string; expected: Intent; got: Intent; score: number }[];
  microsPerMessage: number;
}

/** Parses JSON lines; a bad line names its number. */
export function parseLabelled(jsonl: string): Labelled[] {
  return jsonl
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line !== '')
    .map(([line, n]) => {
      const parsed = labelledSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`line ${n}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return parsed.data;
    });
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function evaluate(rows: Labelled[], recognizer: IntentRecognizer): Evaluation {
  const started = process.hrtime.bigint();
  const got = rows.map((r) => recognizer.recognise(r.text, r.expecting ?? 'menu'));
  const micros = Number(process.hrtime.bigint() - started) / 1000 / Math.max(rows.length, 1);
  const confusions = new Map<string, number>();
  const misses: Evaluation['misses'] = [];
  const tp = new Map<Intent, number>();
  const predicted = new Map<Intent, number>();
  const actual = new Map<Intent, number>();
  const inc = (m: Map<Intent, number>, k: Intent) => m.set(k, (m.get(k) ?? 0) + 1);
  rows.forEach((r, i) => {
    const g = got[i]!;
    inc(actual, r.intent);
    inc(predicted, g.intent);
    if (g.intent === r.intent) inc(tp, r.intent);
    else {
      const key = `${r.intent} → ${g.intent}`;
      confusions.set(key, (confusions.get(key) ?? 0) + 1);
      misses.push({ text: r.text, expected: r.intent, got: g.intent, score: g.score });
    }
  });
  const perIntent: Record<string, IntentFigures> = {};
  for (const intent of [...INTENTS, 'none'] as Intent[]) {
    const support = actual.get(intent) ?? 0;
    if (support === 0 && !predicted.get(intent)) continue;
    const hits = tp.get(intent) ?? 0;
    perIntent[intent] = { precision: round(hits / Math.max(predicted.get(intent) ?? 0, 1)), recall: round(hits / Math.max(support, 1)), support };
  }
  const correct = [...tp.values()].reduce((a, b) => a + b, 0);
  return {
    total: rows.length,
    accuracy: round(correct / Math.max(rows.length, 1)),
    perIntent,
    confusions: [...confusions].sort((a, b) => b[1] - a[1]),
    misses,
    microsPerMessage: Math.round(micros),
  };
}
