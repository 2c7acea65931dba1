/**
 * `npm run intake:eval -- --complaints FILE [--train FILE] [--holdout 0.3 [--seed 9]] [--weights-out FILE] [--quiet] [--content DIR]`
 *
 * Reads JSON lines `{text, category}` (category: a reason id, or the report
 * class of public data: 客户服务类, 定价收费类, 营销宣传类, 催收行为类, 合同条款类,
 * 其他类), takes each text as a customer's first message and prints, one line
 * per story (masked), what the intake would record. With `--train FILE` it
 * first learns reason weights from labelled complaints, writes them as a
 * content file a supervisor can publish (checked against the same schema as
 * content/), and measures with them as well. `--holdout F` splits the
 * complaints (fixed seed): it learns from 1−F of them and measures on the rest,
 * stories it has not seen. The last line is JSON: `reasonAccuracy`,
 * `askedCategory`, `medianQuestions`, `p50Ms`, `p99Ms` (with weights when
 * trained; `rulesOnly` holds the figures without them). `--phrases` instead
 * lists each reason phrase with how often it occurs and with which class.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadContent } from '../content/loader';
import { reasonWeightsSchema, type ComplaintPolicy } from '../tickets/policy';
import { describe, figuresOf, phraseReport, readStory, type Figures } from './evaluate';
import { ComplaintExtractor } from './extract';
import { learnReasonWeights, type LabelledStory } from './learn';

const { values } = parseArgs({
  options: {
    complaints: { type: 'string' },
    train: { type: 'string' },
    holdout: { type: 'string' },
    seed: { type: 'string', default: '9' },
    'weights-out': { type: 'string' },
    quiet: { type: 'boolean', default: false },
    phrases: { type: 'boolean', default: false },
    content: { type: 'string' },
  },
});
if (!values.complaints) {
  console.error('usage: npm run intake:eval -- --complaints FILE [--train FILE] [--holdout 0.3 [--seed 9]] [--weights-out FILE] [--quiet] [--phrases]');
  process.exit(2);
}

function readStories(file: string): LabelledStory[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const row = JSON.parse(l) as { text?: unknown; category?: unknown };
      if (typeof row.text !== 'string' || typeof row.category !== 'string') throw new Error(`${file}:${i + 1}: expected {"text": "...", "category": "..."}`);
      return { text: row.text, label: row.category };
    });
}

/** A fixed shuffle (mulberry32), so a split is the same on every run. */
function split<T>(rows: T[], heldOut: number, seed: number): { train: T[]; test: T[] } {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = rows.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const n = Math.round(rows.length * heldOut);
  return { test: order.slice(0, n).map((i) => rows[i]!), train: order.slice(n).map((i) => rows[i]!) };
}

const policy: ComplaintPolicy = loadContent(values.content).complaints;
const now = new Date();
let stories = readStories(values.complaints);
let training = values.train ? readStories(values.train) : undefined;
if (values.holdout) {
  const parts = split(stories, Number(values.holdout), Number(values.seed));
  stories = parts.test;
  training ??= parts.train;
  console.log(`held out ${stories.length} of ${parts.test.length + parts.train.length} stories (seed ${values.seed}); learning from the other ${parts.train.length}`);
}

if (values.phrases) {
  // Tuning aid: how often each reason phrase occurs in the labelled stories, and how often with its own class.
  console.log('reason\tphrase\tweight\tstories\tshare of its class');
  for (const line of phraseReport(stories, policy)) console.log(line);
  process.exit(0);
}

function measure(extractor: ComplaintExtractor, print: boolean): Figures {
  const outcomes = stories.map((s) => readStory(s, extractor, policy, now));
  if (print) outcomes.forEach((o, i) => console.log(describe(o, i)));
  return figuresOf(outcomes);
}

// Published weights are left out of the rules-only figures: those measure the shipped phrases.
const rulesOnly = measure(new ComplaintExtractor({ ...policy, reasonWeights: undefined }), !values.quiet && !training);
const summary = (f: Figures) => `reason ${f.reasonAccuracy}, category asked ${f.askedCategory}, median questions ${f.medianQuestions} (${f.medianQuestionsWithContact} with the contact number), invented days ${f.inventedDays}, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms`;
console.log(`rules only (${stories.length} stories): ${summary(rulesOnly)}`);
if (training) {
  const learned = learnReasonWeights(training, policy.reasons, { now });
  const out = values['weights-out'] ?? path.join(tmpdir(), 'reason-weights.json');
  writeFileSync(out, `${JSON.stringify(learned, null, 1)}\n`);
  // Read back through the content schema: what is measured is exactly what a supervisor would publish.
  const published = reasonWeightsSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
  const chosen = published.trainedOn.chosen;
  const cv = chosen ? `; chosen by ${chosen.folds}-fold cross-validation on them: L2 ${chosen.lambda}, phrase points as inputs ×${chosen.phraseScale}, read right ${chosen.accuracy}` : '';
  console.log(`learned ${Object.keys(published.terms).length} term weights from ${published.trainedOn.stories} stories (rule weight ${published.ruleWeight}${cv}): ${out}`);
  console.log('publish: copy it to content/policy/reason-weights.json, then npm run content:check');
  const trained = measure(new ComplaintExtractor(policy, { reasonWeights: published }), !values.quiet);
  console.log(`with learned weights (${stories.length} stories): ${summary(trained)}`);
  console.log(JSON.stringify({ ...trained, rulesOnly }));
} else {
  console.log(JSON.stringify(rulesOnly));
}
