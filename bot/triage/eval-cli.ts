/**
 * `npm run triage:eval -- [--labelled FILE] [--angry FILE] [--calm FILE] [--part tune|held-out|all] [--misses N] [--content DIR]
 *    [--train FILE [--train-calm FILE] [--negatives L,L] [--max-false 0.08] [--weights-out FILE]] [--weights FILE] [--holdout F --seed S] [--calm-labels L,L]`
 *
 * Runs triage, built from the content exactly as the bot builds it, over
 * labelled messages and prints the catch rate on angry messages and the
 * false-handoff rate on the others, per group; the last line is JSON for
 * scripts. `--labelled`: JSON lines {text, label} ("angry" against the other
 * labels); `--angry`: every line angry; `--calm`: every line a calm question
 * (lines with `expected_id: null` are reported apart as off-topic). The
 * held-out part is the last quarter of each file (`--holdout F --seed S`: a
 * seeded share F instead): do not tune on its misses.
 *
 * `--train FILE` (labelled) learns the learned layer's weights from the tune
 * part of FILE only (never the part measured), writes them as a content file
 * (`--weights-out`, default in the system's temp folder), reads it back through
 * the content schema and measures rules + model beside the rules alone, in the
 * same run, with a threshold table. `--weights FILE` measures published weights
 * with the policy's `learned.handoffAt`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadTriagePolicy, loadTriageWeights } from './load';
import { PARTS, measure, parseRows, partOf, summary, type Part, type Row, type Split } from './evaluate';
import { learnTriageWeights, rates } from './learn';
import { Triage } from './triage';
import type { TriageWeights } from './weights';

const usage =
  'usage: npm run triage:eval -- [--labelled FILE] [--angry FILE] [--calm FILE] [--part tune|held-out|all] [--misses N] [--content DIR] [--train FILE [--train-calm FILE] [--negatives L,L] [--max-false 0.08] [--weights-out FILE]] [--weights FILE] [--holdout F --seed S] [--calm-labels L,L]';
let args;
try {
  args = parseArgs({
    options: {
      labelled: { type: 'string', multiple: true },
      angry: { type: 'string', multiple: true },
      calm: { type: 'string', multiple: true },
      part: { type: 'string' },
      misses: { type: 'string', default: '0' },
      content: { type: 'string' },
      train: { type: 'string', multiple: true },
      'train-calm': { type: 'string', multiple: true },
      negatives: { type: 'string' },
      'max-false': { type: 'string', default: '0.08' },
      'weights-out': { type: 'string' },
      weights: { type: 'string' },
      holdout: { type: 'string' },
      seed: { type: 'string', default: '9' },
      'calm-labels': { type: 'string', default: 'neutral,happy' },
    },
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const split: Split | undefined = args.holdout ? { heldOut: Number(args.holdout), seed: Number(args.seed) } : undefined;
const part = (args.part ?? (split || args.train ? 'held-out' : 'all')) as Part;
const files: [string, 'labelled' | 'angry' | 'calm'][] = [
  ...(args.labelled ?? []).map((f) => [f, 'labelled'] as [string, 'labelled']),
  ...(args.angry ?? []).map((f) => [f, 'angry'] as [string, 'angry']),
  ...(args.calm ?? []).map((f) => [f, 'calm'] as [string, 'calm']),
];
const list = (s: string | undefined) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
if (files.length === 0 || !PARTS.includes(part) || (split && !(split.heldOut > 0 && split.heldOut < 1))) {
  console.error(usage);
  process.exit(2);
}

const policy = loadTriagePolicy(args.content);
const rulesOnly = new Triage(policy);
const rows: Row[] = files.flatMap(([file, kind]) => partOf(parseRows(readFileSync(file, 'utf8'), kind), part, split));
const calmLabels = list(args['calm-labels']) ?? [];
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

let weights: TriageWeights | undefined;
let threshold: number | undefined;
if (args.train) {
  // Learning sees only the tune part of the training files: the measured part stays unseen.
  // Calm customer questions (--train-calm, an FAQ query file) teach the model what a bank chat's ordinary question looks like; off-topic rows are left out.
  const calmFiles = args['train-calm'] ?? [];
  const training = [
    ...args.train.flatMap((f) => partOf(parseRows(readFileSync(f, 'utf8'), 'labelled'), 'tune', split)),
    ...calmFiles.flatMap((f) => partOf(parseRows(readFileSync(f, 'utf8'), 'calm'), 'tune', split)).filter((r) => r.group === 'calm'),
  ].map((r) => ({ text: r.text, label: r.group }));
  const negatives = list(args.negatives);
  const learned = learnTriageWeights(rulesOnly, training, {
    negatives: negatives && calmFiles.length ? [...negatives, 'calm'] : negatives,
    budgets: calmFiles.length ? [calmLabels, ['calm']] : [calmLabels],
    maxFalse: Number(args['max-false']),
  });
  const out = args['weights-out'] ?? path.join(tmpdir(), 'triage-weights.json');
  writeFileSync(out, `${JSON.stringify(learned.weights, null, 1)}\n`);
  // Read back through the content schema: what is measured is exactly what a supervisor would publish.
  weights = loadTriageWeights(out);
  threshold = weights.suggestedThreshold;
  console.log(`learned ${Object.keys(weights.terms).length} term weights from ${weights.trainedOn.messages} messages (${weights.trainedOn.angry} angry; tune part of ${[...args.train, ...calmFiles].join(', ')}): ${out}`);
  console.log(`threshold chosen by 5-fold cross-validation on them: ${threshold} (false handoffs on ${calmLabels.join('+') || 'all others'}${calmFiles.length ? ' and on calm questions' : ''} ≤ ${args['max-false']})`);
  // Cross-validated figures on the training messages: each scored by a model that did not see it.
  const cv = (t: number) => [rates(learned.examples, learned.outOfFold, t), rates(learned.examples, learned.outOfFold, t, calmLabels), rates(learned.examples, learned.outOfFold, t, ['calm'])] as const;
  console.log(`cross-validated on the training messages: threshold  angry caught  ${calmLabels.join('+')}  calm questions`);
  for (const t of [...new Set([0.3, 0.4, 0.5, threshold, 0.6, 0.7, 0.8])].sort()) {
    const [all, calm, faq] = cv(t);
    console.log(`  ${t.toFixed(2)}${t === threshold ? '*' : ' '}  ${pct(all.caught)}  ${pct(calm.handedOff)}  ${calmFiles.length ? pct(faq.handedOff) : '—'}`);
  }
  console.log('publish: copy it to content/policy/triage-weights.json, set learned.handoffAt in policy/triage.json, run npm run content:check\n');
} else if (args.weights) {
  weights = loadTriageWeights(args.weights);
  threshold = policy.learned?.handoffAt ?? weights.suggestedThreshold;
}

function report(title: string, triage: Triage, print: boolean) {
  const m = measure(triage, rows);
  const headline = summary(m.groups);
  const calm = summary(Object.fromEntries(Object.entries(m.groups).filter(([k]) => calmLabels.includes(k)).map(([k, g]) => [k === 'angry' ? '_' : k, g]))).nonAngryHandedOff;
  if (print) {
    console.log(`${title} — part ${part}: ${rows.length} messages, ${m.microsPerMessage} µs per message (p50 ${m.p50Micros}, p99 ${m.p99Micros})`);
    console.log('group        messages  handed off');
    for (const [name, g] of Object.entries(m.groups).sort()) console.log(`${name.padEnd(12)} ${String(g.n).padStart(8)}  ${pct(g.rate).padStart(10)}`);
    console.log(`angry caught:          ${pct(headline.angryCaught.rate)} (${headline.angryCaught.handedOff}/${headline.angryCaught.n})`);
    console.log(`non-angry handed off:  ${pct(headline.nonAngryHandedOff.rate)} (${headline.nonAngryHandedOff.handedOff}/${headline.nonAngryHandedOff.n})`);
    if (calm.n) console.log(`${calmLabels.join('+')} handed off: ${pct(calm.rate)} (${calm.handedOff}/${calm.n})`);
    console.log(`calm handed off:       ${pct(headline.calmHandedOff.rate)} (${headline.calmHandedOff.handedOff}/${headline.calmHandedOff.n})`);
    if (headline.offTopicHandedOff.n) console.log(`off-topic handed off:  ${pct(headline.offTopicHandedOff.rate)} (${headline.offTopicHandedOff.handedOff}/${headline.offTopicHandedOff.n})`);
    console.log('');
  }
  return { ...m, headline, calm };
}

const rules = report('rules only', rulesOnly, true);
const withModel = weights ? report(`rules + learned model (threshold ${threshold})`, new Triage({ ...policy, learned: { handoffAt: threshold! } }, weights), true) : undefined;
const final = withModel ?? rules;

if (weights) {
  // The trade-off curve on the measured part (for the report; the threshold above was chosen without it).
  console.log(`threshold  angry caught  ${calmLabels.join('+')}  calm FAQ  off-topic  all non-angry`);
  for (const t of [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
    const r = report('', new Triage({ ...policy, learned: { handoffAt: t } }, weights), false);
    console.log(`${t.toFixed(2).padEnd(9)}  ${pct(r.headline.angryCaught.rate).padStart(12)}  ${pct(r.calm.rate).padStart(13)}  ${pct(r.headline.calmHandedOff.rate).padStart(8)}  ${pct(r.headline.offTopicHandedOff.rate).padStart(9)}  ${pct(r.headline.nonAngryHandedOff.rate).padStart(13)}`);
  }
  console.log('');
}

const showMisses = Number(args.misses) || 0;
if (showMisses > 0) {
  for (const [name, g] of Object.entries(final.groups)) {
    if (g.misses.length === 0) continue;
    console.log(`\n${name}: ${name === 'angry' ? 'not handed off' : 'handed off'} (${g.misses.length})`);
    for (const m of g.misses.slice(0, showMisses)) console.log(`  [${m.message} ${m.reasons.join(',')}] ${m.text.slice(0, 100)}`);
  }
}
const figures = (r: typeof rules) => ({
  ...r.headline,
  calmLabelsHandedOff: r.calm,
  groups: Object.fromEntries(Object.entries(r.groups).map(([k, g]) => [k, { n: g.n, rate: g.rate }])),
  microsPerMessage: r.microsPerMessage,
  p50Micros: r.p50Micros,
  p99Micros: r.p99Micros,
});
console.log(JSON.stringify({ part, messages: rows.length, ...figures(final), ...(withModel ? { threshold, rulesOnly: figures(rules) } : {}) }));
