/**
 * Measuring triage against labelled messages: the share of angry messages
 * handed to a person ("caught"), and the share of other messages handed off
 * ("false handoffs"), per group. A fixed split keeps a held-out part: the last
 * quarter of every file is never looked at while tuning.
 */
import type { Triage } from './triage';

export type Part = 'tune' | 'held-out' | 'all';
export const PARTS: readonly Part[] = ['tune', 'held-out', 'all'];

export interface Row {
  text: string;
  /** "angry" or another group name (a label, "calm", "offTopic"). */
  group: string;
}

export interface GroupFigures {
  n: number;
  handedOff: number;
  rate: number;
  /** Messages whose outcome was wrong for the group (angry not handed off; others handed off). */
  misses: { text: string; reasons: string[]; message: number }[];
}

/** A seeded split instead of the fixed one: this share held out, chosen by a fixed shuffle (mulberry32). */
export interface Split {
  heldOut: number;
  seed: number;
}

/**
 * The rows of the chosen part: held-out is the last quarter of the file, in file order; with a `split`,
 * a seeded shuffle's first `heldOut` share. The same file and split always give the same parts.
 */
export function partOf<T>(rows: readonly T[], part: Part, split?: Split): T[] {
  if (part === 'all') return [...rows];
  if (!split) {
    const cut = Math.floor(rows.length * 0.75);
    return part === 'tune' ? rows.slice(0, cut) : rows.slice(cut);
  }
  let a = split.seed >>> 0;
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
  const n = Math.round(rows.length * split.heldOut);
  const chosen = part === 'held-out' ? order.slice(0, n) : order.slice(n);
  return chosen.sort((x, y) => x - y).map((i) => rows[i]!);
}

type Kind = 'labelled' | 'angry' | 'calm';

/**
 * JSON lines to rows: `labelled` files ({text, label}) group by label; `angry`
 * files are all angry; `calm` files are all calm, except rows whose
 * `expected_id` is null (off-topic posts mixed into an FAQ query file), grouped apart.
 */
export function parseRows(source: string, kind: Kind): Row[] {
  const rows: Row[] = [];
  for (const line of source.split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { text?: unknown; label?: unknown; expected_id?: unknown };
    if (typeof r.text !== 'string') continue;
    const group = kind === 'angry' ? 'angry' : kind === 'labelled' ? String(r.label ?? 'unlabelled') : r.expected_id === null ? 'offTopic' : 'calm';
    rows.push({ text: r.text, group });
  }
  return rows;
}

/** Each message scored alone (a fresh conversation): the figures per group, and the time per message. */
export function measure(triage: Triage, rows: readonly Row[]): { groups: Record<string, GroupFigures>; microsPerMessage: number; p50Micros: number; p99Micros: number } {
  const groups: Record<string, GroupFigures> = {};
  const started = process.hrtime.bigint();
  const times: number[] = [];
  for (const row of rows) {
    const at = process.hrtime.bigint();
    const r = triage.assess({ text: row.text });
    times.push(Number(process.hrtime.bigint() - at) / 1000);
    const g = (groups[row.group] ??= { n: 0, handedOff: 0, rate: 0, misses: [] });
    g.n += 1;
    if (r.handoff) g.handedOff += 1;
    if (r.handoff !== (row.group === 'angry')) g.misses.push({ text: row.text, reasons: r.reasons, message: r.scores.message });
  }
  const micros = Number(process.hrtime.bigint() - started) / 1000;
  for (const g of Object.values(groups)) g.rate = g.n ? Math.round((g.handedOff / g.n) * 1000) / 1000 : 0;
  times.sort((a, b) => a - b);
  const at = (q: number) => (times.length ? Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]!) : 0);
  return { groups, microsPerMessage: rows.length ? Math.round(micros / rows.length) : 0, p50Micros: at(0.5), p99Micros: at(0.99) };
}

/** The headline figures: angry caught, non-angry handed off, calm questions handed off. */
export function summary(groups: Record<string, GroupFigures>) {
  const sum = (names: string[]) => {
    const gs = names.map((n) => groups[n]).filter((g): g is GroupFigures => g !== undefined);
    const n = gs.reduce((s, g) => s + g.n, 0);
    const h = gs.reduce((s, g) => s + g.handedOff, 0);
    return { n, handedOff: h, rate: n ? Math.round((h / n) * 1000) / 1000 : null };
  };
  const names = Object.keys(groups);
  const nonAngry = names.filter((n) => n !== 'angry' && n !== 'calm' && n !== 'offTopic');
  return {
    angryCaught: sum(['angry']),
    nonAngryHandedOff: sum(nonAngry),
    calmHandedOff: sum(['calm']),
    offTopicHandedOff: sum(['offTopic']),
  };
}
