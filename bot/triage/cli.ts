/**
 * `npm run triage [-- --content DIR]`: JSON lines on stdin, one JSON line out
 * per line in, so a supervisor can check a rule change against saved messages
 * before publishing it. Each line is `{text}`, optionally with
 * `conversationId` (lines of one conversation are scored in order, with the
 * conversation's decaying score), `repeatComplaint` and `notUnderstoodInARow`.
 * Out: `handoff`, `level`, `reasons`, `scores` (and `conversationId`, `turn`).
 * A line that cannot be read gets `{line, error}` and the run goes on; the exit
 * code is then 1.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadPublishedTriageWeights, loadTriagePolicy } from './load';
import { Triage, type TriageState } from './triage';

const { values } = parseArgs({ options: { content: { type: 'string' } } });
// Published learned weights (policy/triage-weights.json) are used as the bot uses them; without them, the rules alone.
const triage = new Triage(loadTriagePolicy(values.content), loadPublishedTriageWeights(values.content));
const states = new Map<string, TriageState>();
let lineNo = 0;
let failed = false;

const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on('line', (line) => {
  lineNo += 1;
  if (!line.trim()) return;
  let row: { text?: unknown; conversationId?: unknown; repeatComplaint?: unknown; notUnderstoodInARow?: unknown };
  try {
    row = JSON.parse(line) as typeof row;
    if (typeof row !== 'object' || row === null || typeof row.text !== 'string') throw new Error('expected an object with a "text" string');
  } catch (error) {
    failed = true;
    process.stdout.write(`${JSON.stringify({ line: lineNo, error: (error as Error).message })}\n`);
    return;
  }
  const id = typeof row.conversationId === 'string' || typeof row.conversationId === 'number' ? String(row.conversationId) : undefined;
  const result = triage.assess(
    {
      text: row.text as string,
      repeatComplaint: row.repeatComplaint === true,
      notUnderstoodInARow: typeof row.notUnderstoodInARow === 'number' ? row.notUnderstoodInARow : 0,
    },
    id === undefined ? undefined : states.get(id),
  );
  if (id !== undefined) states.set(id, result.state);
  const { handoff, level, reasons, scores, learned } = result;
  process.stdout.write(`${JSON.stringify({ ...(id === undefined ? {} : { conversationId: id, turn: result.state.turns }), handoff, level, reasons, scores, ...(learned ? { learned } : {}) })}\n`);
});
input.on('close', () => {
  process.exitCode = failed ? 1 : 0;
});
