/**
 * The last line of `npm run test:mutation`: the mutation score from Stryker's
 * JSON reports (reports/mutation/<group>.json, one per group of modules, or
 * the files named on the command line), counted as Stryker counts it —
 * detected (killed or timed out) over valid mutants (detected, survived, no
 * coverage); ignored (static) and non-compiling mutants are left out. One line
 * per group, the survivors (file:line mutator → replacement) for review, then
 * the total. Exits 1 below the target.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const TARGET = 80;
const GROUP_NAMES = ['delivery', 'tickets', 'privacy'];

interface Mutant {
  status: string;
  mutatorName: string;
  replacement?: string;
  location: { start: { line: number } };
}
type Report = { files: Record<string, { mutants: Mutant[] }> };

const named = process.argv.slice(2);
const files = (named.length > 0 ? named : GROUP_NAMES.map((g) => `reports/mutation/${g}.json`))
  .map((f) => path.resolve(f))
  .filter((f) => existsSync(f));
if (files.length === 0) {
  console.log('Mutation score: no report found (run npm run test:mutation)');
  process.exit(1);
}

function tally(reports: Report[]): { line: string; score: number } {
  const count: Record<string, number> = {};
  for (const r of reports) for (const f of Object.values(r.files)) for (const m of f.mutants) count[m.status] = (count[m.status] ?? 0) + 1;
  const n = (status: string) => count[status] ?? 0;
  const detected = n('Killed') + n('Timeout');
  const valid = detected + n('Survived') + n('NoCoverage');
  const score = valid === 0 ? 0 : (100 * detected) / valid;
  const line =
    `${score.toFixed(2)}% — ${detected} of ${valid} mutants detected ` +
    `(killed ${n('Killed')}, timeout ${n('Timeout')}; survived ${n('Survived')}, no coverage ${n('NoCoverage')}; ` +
    `not counted: ${n('Ignored')} static, ${n('CompileError')} not compiling, ${n('RuntimeError')} runtime errors)`;
  return { line, score };
}

const reports = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Report);
for (const [i, f] of files.entries()) {
  const report = reports[i]!;
  console.log(`${path.basename(f, '.json')}: ${tally([report]).line}`);
  for (const [name, file] of Object.entries(report.files)) {
    for (const m of file.mutants) {
      if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
      const replacement = (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80);
      console.log(`  ${m.status === 'Survived' ? 'survived' : 'no coverage'} ${path.relative(process.cwd(), name) || name}:${m.location.start.line} ${m.mutatorName} → ${replacement}`);
    }
  }
}
const total = tally(reports);
console.log(`Mutation score: ${total.line} (target ${TARGET}%)`);
process.exitCode = total.score >= TARGET ? 0 : 1;
