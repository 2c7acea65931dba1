/**
 * Threshold search for the evaluation tool: on rankings already made, find
 * the thresholds that answer the most queries rightly while the share of
 * queries answered wrongly stays within a bound. Used on a tuning part only,
 * so that the held-out figures stay honest. The bound is kept with room to
 * spare: thresholds that just touch it on the tuning part go over it on new
 * messages, so the wrong answers plus one standard deviation of their count
 * (√wrong, as for a Poisson count) must stay within it.
 */
import { decide, type FaqHit } from './decide';
import type { FaqSearchPolicy } from './schema';

type Thresholds = FaqSearchPolicy['thresholds'];

export function tuneThresholds(rankings: { expected: string | null; ranked: FaqHit[] }[], start: Thresholds, maxWrong: number): Thresholds {
  let best = { t: start, right: -1 };
  const steps = (from: number, to: number, by: number) => Array.from({ length: Math.round((to - from) / by) + 1 }, (_, i) => Math.round((from + i * by) * 1000) / 1000);
  for (const answer of steps(0.2, 0.9, 0.02)) {
    for (const margin of steps(0, 0.3, 0.01)) {
      const t = { ...start, answer, margin, choices: Math.min(start.choices, answer) };
      let right = 0, wrong = 0;
      for (const r of rankings) {
        const d = decide(r.ranked, t);
        if (d.kind !== 'answer') continue;
        if (d.hit.id === r.expected) right++;
        else wrong++;
      }
      if (wrong + Math.sqrt(wrong) <= maxWrong * rankings.length && right > best.right) best = { t, right };
    }
  }
  return best.t;
}
