/**
 * `npm run faq:eval -- --kb FILE --queries FILE [--policy FILE] [--holdout 0.3] [--tune] [--set path=value …]`
 *
 * Runs our retrieval and, in the same run, the plain baseline (evaluate.ts)
 * over a knowledge base of JSON lines `{id, question}` and queries
 * `{text, expected_id}`. Prints the figures for the first part of the queries
 * (where thresholds are tuned) and for the held-out rest, then, as its LAST
 * line, one JSON object {"ours": {...}, "baseline": {...}} over all queries.
 * --tune searches the thresholds on the first part only (confident-wrong kept
 * at most 4%) and prints them with their held-out figures; copy them into
 * content/policy/faq-search.json by hand. --set overrides a policy number for
 * one run (e.g. --set weights.char=0.5).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONTENT_DIR } from '../content/loader';
import { FaqIndex } from './faq-index';
import { baseline, isKbLine, isLabelledQuery, measure, ours, parseJsonLines, type Figures, type LabelledQuery } from './evaluate';
import { faqSearchPolicySchema, type FaqSearchPolicy } from './schema';
import { tuneThresholds } from './tune';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const kbFile = flag('kb');
const queriesFile = flag('queries');
if (!kbFile || !queriesFile) {
  console.error('usage: npm run faq:eval -- --kb KB.jsonl --queries QUERIES.jsonl [--policy FILE] [--holdout 0.3] [--tune] [--set path=value]');
  process.exit(2);
}
const policyFile = flag('policy') ?? path.join(DEFAULT_CONTENT_DIR, 'policy', 'faq-search.json');
const raw = JSON.parse(readFileSync(policyFile, 'utf8')) as Record<string, unknown>;
args.forEach((a, i) => {
  if (a !== '--set') return;
  const [key, value] = (args[i + 1] ?? '').split('=');
  const parts = (key ?? '').split('.');
  let node = raw as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
  node[parts.at(-1)!] = Number(value);
});
let policy: FaqSearchPolicy = faqSearchPolicySchema.parse(raw);

const kb = parseJsonLines(readFileSync(kbFile, 'utf8'), isKbLine, '{id, question}');
const queries = parseJsonLines(readFileSync(queriesFile, 'utf8'), isLabelledQuery, '{text, expected_id}');
// Held out: every query whose position falls in the last `holdout` of each ten, so both parts mix topics and off-topic lines.
const holdout = Number(flag('holdout') ?? 0.3);
const heldOutSlot = (i: number) => i % 10 >= Math.round(10 * (1 - holdout));
const tunePart = queries.filter((_, i) => !heldOutSlot(i));
const heldOut = queries.filter((_, i) => heldOutSlot(i));

// Entries with the same id (several standard phrasings) become one entry with several questions.
const grouped = new Map<string, string[]>();
for (const line of kb) grouped.set(line.id, [...(grouped.get(line.id) ?? []), line.question]);
const entries = [...grouped].map(([id, questions]) => ({ id, questions: { 'zh-CN': questions } }));

if (args.includes('--tune')) {
  const index = FaqIndex.fromQuestions(entries, policy);
  const rankings = tunePart.map((q) => ({ expected: q.expected_id, ranked: index.rank(q.text) }));
  const best = tuneThresholds(rankings, policy.thresholds, 0.04);
  console.log(`tuned on ${tunePart.length} queries: ${JSON.stringify(best)}`);
  policy = { ...policy, thresholds: best };
}

const started = Date.now();
const index = FaqIndex.fromQuestions(entries, policy);
const ourRetrieval = ours(index);
const baseRetrieval = baseline(kb);
const show = (name: string, part: LabelledQuery[]) => {
  const [o, b] = [measure(ourRetrieval, part), measure(baseRetrieval, part)];
  console.log(`${name} (${part.length} queries, ${o.answerable} answerable)`);
  console.log(`  ours     ${line(o)}`);
  console.log(`  baseline ${line(b)}`);
};
const line = (f: Figures) =>
  `top1 ${f.top1}  top3 ${f.top3}  mrr ${f.mrr}  confidentRight ${f.confidentRight}  confidentWrong ${f.confidentWrong}  rightOfAnswerable ${f.answeredRightOfAnswerable}  offTopicAnswered ${f.offTopicAnswered}  p50 ${f.p50Ms} ms  p99 ${f.p99Ms} ms`;
console.log(`${grouped.size} entries; index built in ${Date.now() - started} ms; thresholds ${JSON.stringify(policy.thresholds)}`);
if (holdout > 0 && heldOut.length > 0) {
  show('first part (tuning)', tunePart);
  show('held-out part', heldOut);
}
// Warm both once, then measure all queries for the closing line.
measure(ourRetrieval, queries.slice(0, 50));
measure(baseRetrieval, queries.slice(0, 50));
console.log(JSON.stringify({ ours: measure(ourRetrieval, queries), baseline: measure(baseRetrieval, queries) }));
