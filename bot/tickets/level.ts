/** The level of a complaint from policy rules: signals in what the customer wrote, the amount, a repeat. */
import { LEVELS, type ComplaintPolicy, type Level } from './policy';

export interface LevelInputs {
  texts: string[];
  amountCny?: number;
  repeat?: boolean;
  /** A floor from outside the words (triage's reading of the whole conversation). */
  atLeast?: Level;
}

/** Which policy signals the customer's words carry (media, regulator, lawyer, …). */
export function signalsIn(policy: ComplaintPolicy, inputs: LevelInputs): Set<string> {
  const text = inputs.texts.join('\n').toLowerCase();
  const found = new Set<string>();
  for (const [signal, phrases] of Object.entries(policy.levels.signals)) {
    if (phrases.some((p) => text.includes(p.toLowerCase()))) found.add(signal);
  }
  if (inputs.amountCny !== undefined && inputs.amountCny >= policy.levels.largeAmountCny) found.add('large_amount');
  if (inputs.repeat) found.add('repeat');
  return found;
}

export function levelFor(policy: ComplaintPolicy, inputs: LevelInputs): Level {
  const signals = signalsIn(policy, inputs);
  let level: Level = inputs.atLeast ?? 'general';
  for (const rule of policy.levels.rules) {
    if (rule.ifAny.some((s) => signals.has(s)) && LEVELS.indexOf(rule.level) > LEVELS.indexOf(level)) level = rule.level;
  }
  return level;
}
