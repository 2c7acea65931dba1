/**
 * Where a V8 CPU profile (`node --cpu-prof`, as `npm run bench -- --profile`
 * writes) spent its time: self time by package or project folder, by
 * function, and inclusive time by function (what a call costs with
 * everything under it), as shares of the busy (non-idle) time.
 *
 *   npx tsx test/bench/profile-report.ts profiles/CPU.….cpuprofile [--top 25] [--callers writeUtf8String]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; scriptId: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = path.resolve(__dirname, '..', '..');
const IDLE = new Set(['(idle)', '(program)']);

/** "node_modules/@microsoft/recognizers-text-date-time", "bot/intake", "node:internal", "(garbage collector)". */
function groupOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = file.slice(nm + 'node_modules/'.length).split('/');
    return `node_modules/${parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  if (file.startsWith('node:')) return file.startsWith('node:internal') ? 'node:internal' : file;
  const rel = path.relative(ROOT, file);
  return rel.startsWith('..') ? file : path.dirname(rel);
}

function shortFile(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) return file.slice(nm + 'node_modules/'.length);
  return file.startsWith(ROOT) ? path.relative(ROOT, file) : file;
}

const fnKey = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}  ${n.callFrame.url ? `${shortFile(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : ''}`.trim();

export interface ProfileSummary {
  busyMs: number;
  byGroup: [string, number][];
  selfByFunction: [string, number][];
  totalByFunction: [string, number][];
}

/**
 * V8 leaves the url out of some frames of a script that got its name from a `//# sourceURL` comment
 * (the recognizers, see bot/intake/recognizers.ts): fill it in from the script's other frames.
 */
function fillUrls(profile: CpuProfile): void {
  const urlOf = new Map<string, string>();
  for (const n of profile.nodes) if (n.callFrame.url && n.callFrame.scriptId !== '0') urlOf.set(n.callFrame.scriptId, n.callFrame.url);
  for (const n of profile.nodes) if (!n.callFrame.url) n.callFrame.url = urlOf.get(n.callFrame.scriptId) ?? '';
}

export function summarise(profile: CpuProfile): ProfileSummary {
  fillUrls(profile);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byGroup = new Map<string, number>();
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let busy = 0;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    if (IDLE.has(node.callFrame.functionName)) return;
    busy += ms;
    add(byGroup, groupOf(node.callFrame.url, node.callFrame.functionName), ms);
    add(self, fnKey(node), ms);
    // Inclusive: each function on the stack once (recursion counted once).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = fnKey(byId.get(at)!);
      if (!seen.has(key)) {
        seen.add(key);
        add(total, key, ms);
      }
    }
  });
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  // Inclusive time is shown for our own code only: library frames (promise plumbing, dialog stacks) would fill the list.
  const ours = (k: string) => !k.startsWith('(') && !k.includes('node_modules') && !/\snode:/.test(k) && /\s(bot|dialogs|adapters|test)\//.test(k);
  return { busyMs: busy, byGroup: sorted(byGroup), selfByFunction: sorted(self), totalByFunction: sorted(total).filter(([k]) => ours(k)) };
}

export function formatSummary(title: string, s: ProfileSummary, top = 20): string {
  const line = ([k, ms]: [string, number]) => `  ${((ms / s.busyMs) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms  ${k}`;
  return [
    `${title}: ${s.busyMs.toFixed(0)} ms busy`,
    ' self time by package / folder:', ...s.byGroup.slice(0, top).map(line),
    ' self time by function:', ...s.selfByFunction.slice(0, top).map(line),
    ' inclusive time by function of ours (bot/, dialogs/, adapters/):', ...s.totalByFunction.slice(0, top).map(line),
  ].join('\n');
}

/**
 * Who calls `name` (a function name, or "name  file" as printed): for each of its samples, the nearest
 * frames of our own code (not node_modules, not node internals) up the stack, by time.
 */
export function callersOf(profile: CpuProfile, name: string, depth = 3): [string, number][] {
  fillUrls(profile);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const ours = (n: ProfileNode) => n.callFrame.url !== '' && !n.callFrame.url.includes('node_modules') && !n.callFrame.url.startsWith('node:');
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    if (!fnKey(node).startsWith(name)) return;
    const chain: string[] = [];
    for (let at = parent.get(id); at !== undefined && chain.length < depth; at = parent.get(at)) {
      const frame = byId.get(at)!;
      if (ours(frame)) chain.push(fnKey(frame));
    }
    const key = chain.join(' ← ') || '(no frame of ours)';
    out.set(key, (out.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...out.entries()].sort((a, b) => b[1] - a[1]);
}

/** Prints the summaries of the profiles the bench's servers wrote (by process id) since `since`. */
export function reportProfiles(dir: string, since: number, pids: Record<string, number | undefined>, top = 20): void {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && statSync(path.join(dir, f)).mtimeMs >= since);
  for (const [name, pid] of Object.entries(pids)) {
    const file = files.find((f) => f.includes(`.${pid}.`));
    if (!file) {
      console.log(`${name}: no profile found in ${dir}`);
      continue;
    }
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    console.log(formatSummary(`${name} (${path.join(dir, file)})`, summarise(profile), top));
  }
}

if (require.main === module) {
  const files = process.argv.slice(2).filter((a) => a.endsWith(".cpuprofile"));
  const topAt = process.argv.indexOf('--top');
  const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 25;
  const callersAt = process.argv.indexOf('--callers');
  for (const file of files.filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    if (callersAt > 0) {
      const name = process.argv[callersAt + 1]!;
      console.log(`${file}: callers of ${name}`);
      for (const [chain, ms] of callersOf(profile, name).slice(0, top)) console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${chain}`);
    } else console.log(formatSummary(file, summarise(profile), top));
  }
}
