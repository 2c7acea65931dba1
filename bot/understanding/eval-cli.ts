/**
 * `npm run intent:eval -- FILE`: runs the recognizer, built from the shipped
 * content exactly as the bot builds it, over JSON lines `{text, intent}` and
 * prints the per-intent figures, the confusions and the misses; the last line
 * is JSON (`accuracy`, per-intent precision and recall) for scripts.
 */
import { readFileSync } from 'node:fs';
import { loadContent } from '../content/loader';
import { evaluate, parseLabelled } from './evaluate';
import { IntentRecognizer } from './recognizer';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run intent:eval -- FILE.jsonl [CONTENT_DIR]');
  process.exit(2);
}
const content = loadContent(process.argv[3]);
const result = evaluate(parseLabelled(readFileSync(file, 'utf8')), new IntentRecognizer(content.intents, content.commands));

console.log(`${result.total} phrasings, accuracy ${result.accuracy}, ${result.microsPerMessage} µs per message\n`);
console.log('intent       precision  recall  support');
for (const [intent, f] of Object.entries(result.perIntent)) {
  console.log(`${intent.padEnd(12)} ${String(f.precision).padStart(9)} ${String(f.recall).padStart(7)} ${String(f.support).padStart(8)}`);
}
if (result.confusions.length > 0) {
  console.log('\nconfusions (expected → got):');
  for (const [pair, n] of result.confusions) console.log(`  ${pair}: ${n}`);
  console.log('\nmisses:');
  for (const m of result.misses) console.log(`  [${m.expected} → ${m.got} ${m.score}] ${m.text}`);
}
console.log(JSON.stringify({ accuracy: result.accuracy, total: result.total, perIntent: result.perIntent }));
