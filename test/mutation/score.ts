/**
 * The last line of `npm run test:mutation`: the mutation score from Stryker's
 * JSON report, counted as Stryker counts it — detected (killed or timed out)
 * over valid mutants (detected, survived, no coverage); ignored (static) and
 * non-compiling mutants are left out. Exits 1 below the target.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const TARGET = 80;
const file = path.resolve(process.argv[2] ?? 'reports/mutation/mutation.json');
const report = JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, { mutants: Array<{ status: string }> }> };

const count: Record<string, number> = {};
for (const f of Object.values(report.files)) for (const m of f.mutants) count[m.status] = (count[m.status] ?? 0) + 1;
const n = (status: string) => count[status] ?? 0;
const detected = n('Killed') + n('Timeout');
const valid = detected + n('Survived') + n('NoCoverage');
const score = valid === 0 ? 0 : (100 * detected) / valid;

console.log(
  `Mutation score: ${score.toFixed(2)}% (target ${TARGET}%) — ${detected} of ${valid} mutants detected ` +
    `(killed ${n('Killed')}, timeout ${n('Timeout')}; survived ${n('Survived')}, no coverage ${n('NoCoverage')}; ` +
    `not counted: ${n('Ignored')} static, ${n('CompileError')} not compiling, ${n('RuntimeError')} runtime errors)`,
);
process.exitCode = score >= TARGET ? 0 : 1;
