/**
 * The dependency rules of shared/ARCHITECTURE.md, checked on the real source:
 * dialogs never import adapters and vice versa; only bot/app.ts (the
 * composition root) and bot/index.ts reach into dialogs/ and adapters/;
 * dialogs never touch stores; only bot/config.ts reads process.env.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const FOLDERS = ['bot', 'dialogs', 'adapters'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

interface Edge {
  from: string;
  to: string;
}

function importsOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  const from = path.relative(ROOT, file);
  const edges: Edge[] = [];
  for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? '';
    if (!spec.startsWith('.')) continue;
    edges.push({ from, to: path.relative(ROOT, path.resolve(path.dirname(file), spec)) });
  }
  return edges;
}

const top = (p: string) => p.split(path.sep)[0];

export function violations(edges: Edge[]): string[] {
  const out: string[] = [];
  for (const { from, to } of edges) {
    const a = top(from);
    const b = top(to);
    if (a === 'dialogs' && b === 'adapters') out.push(`${from} → ${to}: dialogs never import adapters`);
    if (a === 'adapters' && b === 'dialogs') out.push(`${from} → ${to}: adapters never import dialogs`);
    if (a === 'bot' && (b === 'dialogs' || b === 'adapters') && !['bot/app.ts', 'bot/index.ts'].includes(from)) {
      out.push(`${from} → ${to}: only bot/app.ts wires dialogs and adapters`);
    }
    if (a === 'dialogs' && to.startsWith(path.join('bot', 'store'))) out.push(`${from} → ${to}: dialogs never import stores`);
  }
  return out;
}

describe('architecture', () => {
  const files = FOLDERS.flatMap((f) => sourceFiles(path.join(ROOT, f)));

  it('has source in every layer', () => {
    for (const f of FOLDERS) expect(files.some((p) => path.relative(ROOT, p).startsWith(f))).toBe(true);
  });

  it('follows the dependency rules', () => {
    expect(violations(files.flatMap(importsOf))).toEqual([]);
  });

  it('flags a forbidden edge (the checker itself works)', () => {
    expect(violations([{ from: 'dialogs/x.ts', to: 'adapters/directline/routes' }])).toHaveLength(1);
    expect(violations([{ from: 'bot/turn/bot.ts', to: 'dialogs/main-dialog' }])).toHaveLength(1);
  });

  it('reads process.env only in bot/config.ts', () => {
    const readers = files.filter((f) => /process\.env/.test(readFileSync(f, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')));
    expect(readers.map((f) => path.relative(ROOT, f))).toEqual(['bot/config.ts']);
  });

  it('keeps files small', () => {
    const big = files.filter((f) => readFileSync(f, 'utf8').split('\n').length > 300);
    expect(big.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
