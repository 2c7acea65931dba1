/**
 * What a supervisor is shown about a draft: its problems, each at the file
 * and field it concerns, sorted into the kinds the console explains in its own
 * words; and its differences from the live version, key by key.
 */
import { BundleFiles, type ContentBundle } from '../content/files';
import { ContentError, loadContent } from '../content/loader';
import { changedFiles } from '../content/versions';

export type ProblemKind = 'forbidden' | 'missing' | 'placeholders' | 'json' | 'other';

export interface Problem {
  file: string;
  /** The key or entry inside the file, when the problem is about one. */
  key?: string;
  kind: ProblemKind;
  /** The checker's own words (the same as `npm run content:check` prints). */
  message: string;
  /** What the kind needs filled in (the forbidden phrase). */
  detail?: string;
}

/** Checks a whole set of files exactly as start-up does; [] when it would be accepted. */
export function checkBundle(files: ContentBundle, origin: string): Problem[] {
  try {
    loadContent(new BundleFiles(files, origin));
    return [];
  } catch (error) {
    if (!(error instanceof ContentError)) throw error;
    return error.problems.map(toProblem);
  }
}

/** "locales/zh-TW/greeting.json: welcome: missing (present in zh-CN)" → file, key, kind. */
export function toProblem(line: string): Problem {
  const at = line.indexOf(': ');
  if (at < 0) return { file: '', kind: 'other', message: line };
  const file = line.slice(0, at);
  const rest = line.slice(at + 2);
  const last = rest.lastIndexOf(': ');
  const key = last < 0 ? undefined : rest.slice(0, last);
  const message = last < 0 ? rest : rest.slice(last + 2);
  const forbidden = /forbidden service phrase "([^"]+)"/.exec(message);
  const kind: ProblemKind = forbidden ? 'forbidden' : /^not valid JSON/.test(message) ? 'json' : /placeholders/.test(message) ? 'placeholders' : /^missing\b/.test(message) ? 'missing' : 'other';
  return { file, ...(key !== undefined ? { key } : {}), kind, message, ...(forbidden ? { detail: forbidden[1] } : {}) };
}

export interface Change {
  file: string;
  /** The dotted key inside the file ('' for a file that is not readable JSON, or added or removed whole). */
  key: string;
  before?: string;
  after?: string;
}

/** Every key that differs between two versions, file by file. */
export function diffBundles(before: ContentBundle, after: ContentBundle): Change[] {
  const changes: Change[] = [];
  for (const file of changedFiles(before, after)) {
    const a = leaves(before[file]);
    const b = leaves(after[file]);
    if (!a || !b) {
      changes.push({ file, key: '', ...(before[file] !== undefined ? { before: before[file] } : {}), ...(after[file] !== undefined ? { after: after[file] } : {}) });
      continue;
    }
    for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
      if (a.get(key) === b.get(key)) continue;
      changes.push({ file, key, ...(a.has(key) ? { before: a.get(key) } : {}), ...(b.has(key) ? { after: b.get(key) } : {}) });
    }
  }
  return changes;
}

/** A JSON file's leaves by dotted key (numbers, booleans as text); undefined when the text is not JSON. */
function leaves(text: string | undefined): Map<string, string> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const out = new Map<string, string>();
  const walk = (node: unknown, prefix: string) => {
    if (node !== null && typeof node === 'object') {
      const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
      if (entries.length === 0) out.set(prefix, Array.isArray(node) ? '[]' : '{}');
      for (const [k, v] of entries) walk(v, prefix ? `${prefix}.${k}` : k);
    } else out.set(prefix, typeof node === 'string' ? node : JSON.stringify(node));
  };
  walk(value, '');
  return out;
}
