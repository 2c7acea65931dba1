/**
 * `npm run triage:eval -- [--labelled FILE] [--angry FILE] [--calm FILE] [--part tune|held-out|all] [--misses N] [--content DIR]`
 *
 * Runs triage, built from the content exactly as the bot builds it, over
 * labelled messages and prints the catch rate on angry messages and the
 * false-handoff rate on the others, per group; the last line is JSON for
 * scripts. `--labelled`: JSON lines {text, label} ("angry" against the other
 * labels); `--angry`: every line angry; `--calm`: every line a calm question
 * (lines with `expected_id: null` are reported apart as off-topic). The
 * held-out part is the last quarter of each file: do not tune on its misses.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadTriagePolicy } from './load';
import { PARTS, measure, parseRows, partOf, summary, type Part, type Row } from './evaluate';
import { Triage } from './triage';

const usage = 'usage: npm run triage:eval -- [--labelled FILE] [--angry FILE] [--calm FILE] [--part tune|held-out|all] [--misses N] [--content DIR]';
let args;
try {
  args = parseArgs({
    options: {
      labelled: { type: 'string', multiple: true },
      angry: { type: 'string', multiple: true },
      calm: { type: 'string', multiple: true },
      part: { type: 'string', default: 'all' },
      misses: { type: 'string', default: '0' },
      content: { type: 'string' },
    },
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const part = args.part as Part;
const files: [string, 'labelled' | 'angry' | 'calm'][] = [
  ...(args.labelled ?? []).map((f) => [f, 'labelled'] as [string, 'labelled']),
  ...(args.angry ?? []).map((f) => [f, 'angry'] as [string, 'angry']),
  ...(args.calm ?? []).map((f) => [f, 'calm'] as [string, 'calm']),
];
if (files.length === 0 || !PARTS.includes(part)) {
  console.error(usage);
  process.exit(2);
}

const triage = new Triage(loadTriagePolicy(args.content));
const rows: Row[] = files.flatMap(([file, kind]) => partOf(parseRows(readFileSync(file, 'utf8'), kind), part));
const { groups, microsPerMessage } = measure(triage, rows);
const headline = summary(groups);
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

console.log(`part ${part}: ${rows.length} messages, ${microsPerMessage} µs per message\n`);
console.log('group        messages  handed off');
for (const [name, g] of Object.entries(groups).sort()) console.log(`${name.padEnd(12)} ${String(g.n).padStart(8)}  ${pct(g.rate).padStart(10)}`);
console.log(`\nangry caught:          ${pct(headline.angryCaught.rate)} (${headline.angryCaught.handedOff}/${headline.angryCaught.n})`);
console.log(`non-angry handed off:  ${pct(headline.nonAngryHandedOff.rate)} (${headline.nonAngryHandedOff.handedOff}/${headline.nonAngryHandedOff.n})`);
console.log(`calm handed off:       ${pct(headline.calmHandedOff.rate)} (${headline.calmHandedOff.handedOff}/${headline.calmHandedOff.n})`);
if (headline.offTopicHandedOff.n) console.log(`off-topic handed off:  ${pct(headline.offTopicHandedOff.rate)} (${headline.offTopicHandedOff.handedOff}/${headline.offTopicHandedOff.n})`);

const showMisses = Number(args.misses) || 0;
if (showMisses > 0) {
  for (const [name, g] of Object.entries(groups)) {
    if (g.misses.length === 0) continue;
    console.log(`\n${name}: ${name === 'angry' ? 'not handed off' : 'handed off'} (${g.misses.length})`);
    for (const m of g.misses.slice(0, showMisses)) console.log(`  [${m.message} ${m.reasons.join(',')}] ${m.text.slice(0, 100)}`);
  }
}
console.log(JSON.stringify({ part, messages: rows.length, ...headline, groups: Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, { n: g.n, rate: g.rate }])), microsPerMessage }));
