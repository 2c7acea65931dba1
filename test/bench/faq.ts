/**
 * `npm run bench:faq [-- --kb FILE.jsonl] [--entries 5000] [--rounds 3]`
 *
 * Builds a 5,000-entry knowledge base from the shipped entries (content/faq)
 * and their phrasings, synthesising variants (each a copy of an entry whose
 * questions gain a product, channel or place word, so the vocabulary and the
 * posting lists grow as a real bank's would), plus the lines of an optional
 * `{id, question}` file. Runs a realistic query mix (the team's paraphrases
 * with their off-topic lines, and long messages made of three of them) and
 * prints p50/p99 per query — wall clock and CPU time, since a busy machine
 * stretches the wall clock — for ours and for the baseline of the evaluation
 * tool (bot/faq/evaluate.ts) over the same entries, in the same run, and the
 * ratio. The last line is JSON.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadContent } from '../../bot/content/loader';
import { FaqIndex, type IndexableEntry } from '../../bot/faq/faq-index';
import { baseline, isKbLine, ours, parseJsonLines, type Retrieval } from '../../bot/faq/evaluate';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const target = Number(flag('entries') ?? 5000);
const rounds = Number(flag('rounds') ?? 3);
const content = loadContent();

const MODIFIERS = ['信用卡', '借记卡', '工资卡', '社保卡', '对公账户', '手机银行', '网上银行', '微信', '支付宝', '境外', '美元', '港币', '分行', '柜台', '自助机', '老人', '学生', '企业', 'VIP', '2026年'];
const shipped: IndexableEntry[] = content.faq.entries;
const extra: IndexableEntry[] = [];
const kbFile = flag('kb');
if (kbFile) for (const l of parseJsonLines(readFileSync(kbFile, 'utf8'), isKbLine, '{id, question}')) extra.push({ id: l.id, questions: { 'zh-CN': [l.question] } });
const base = [...shipped, ...extra];
if (base.length === 0) throw new Error('no entries to build from');
const entries: IndexableEntry[] = [...base];
for (let i = 0; entries.length < target; i++) {
  const from = base[i % base.length]!;
  const [a, b] = [MODIFIERS[i % MODIFIERS.length]!, MODIFIERS[Math.floor(i / MODIFIERS.length) % MODIFIERS.length]!];
  const questions = Object.fromEntries(Object.entries(from.questions).map(([l, qs]) => [l, qs.map((q, j) => (j % 2 === 0 ? `${a}${q}` : `${q}（${b}）`))]));
  entries.push({ id: `${from.id}-v${i}`, questions });
}

const fixture = path.join(__dirname, '..', 'fixtures', 'faq-paraphrases.jsonl');
const short: string[] = existsSync(fixture)
  ? readFileSync(fixture, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text)
  : base.flatMap((e) => Object.values(e.questions).flat()).slice(0, 300);
const long = short.slice(0, 60).map((t, i) => `${t}，${short[(i + 7) % short.length]}。${short[(i + 13) % short.length]}`);
const queries = [...short, ...long];

const started = Date.now();
const index = FaqIndex.fromQuestions(entries, content.faq.search);
const built = Date.now() - started;
const kbLines = entries.flatMap((e) => Object.values(e.questions).flat().map((question) => ({ id: e.id, question })));

function run(r: Retrieval) {
  for (const q of queries.slice(0, 100)) r.rankAndDecide(q); // warm up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const q of queries) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      r.rankAndDecide(q);
      wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
  }
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((x, y) => x - y);
    return Math.round((s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0) * 1000) / 1000;
  };
  return { p50Ms: pct(wall, 0.5), p99Ms: pct(wall, 0.99), cpuP50Ms: pct(cpu, 0.5), cpuP99Ms: pct(cpu, 0.99) };
}

const oursFig = run(ours(index));
const baseFig = run(baseline(kbLines));
const ratio = (a: number, b: number) => (b === 0 ? null : Number((a / b).toPrecision(3)));
console.log(`${entries.length} entries (${base.length} given, the rest synthesised), ${kbLines.length} questions; index built in ${built} ms`);
console.log(`${queries.length} queries × ${rounds} rounds (${short.length} short incl. off-topic, ${long.length} long)`);
console.log(`ours     p50 ${oursFig.p50Ms} ms  p99 ${oursFig.p99Ms} ms  (CPU p50 ${oursFig.cpuP50Ms} ms  p99 ${oursFig.cpuP99Ms} ms)`);
console.log(`baseline p50 ${baseFig.p50Ms} ms  p99 ${baseFig.p99Ms} ms  (CPU p50 ${baseFig.cpuP50Ms} ms  p99 ${baseFig.cpuP99Ms} ms)`);
console.log(JSON.stringify({ entries: entries.length, ours: oursFig, baseline: baseFig, ratioP50: ratio(oursFig.p50Ms, baseFig.p50Ms), ratioP99: ratio(oursFig.p99Ms, baseFig.p99Ms) }));
