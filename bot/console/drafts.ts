/**
 * A supervisor's unpublished changes to the content: the files they changed,
 * whole, over the version they started from. One draft per supervisor, kept
 * in Redis (30 days after the last change) so it survives a closed laptop and
 * any instance serves it. A text is changed by key (`greeting.welcome` in
 * `locales/zh-CN/greeting.json`); policy and FAQ files are changed whole.
 */
import { z } from 'zod';
import type { ContentBundle } from '../content/files';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';

export interface Draft {
  /** The published version the draft started from (0: the content/ folder). */
  base: number;
  /** The changed files' new texts. */
  files: ContentBundle;
  updatedAt: string;
}

const draftSchema = z.object({ base: z.number().int().min(0), files: z.record(z.string(), z.string()), updatedAt: z.string() });
const DRAFT_TTL_MS = 30 * 86_400_000;

/** A text change: the key inside a locale file (dots between levels, as the problems name them). */
export interface TextChange {
  file: string;
  key: string;
  text: string;
}

export class DraftError extends Error {
  constructor(
    readonly code: 'UNKNOWN_TEXT' | 'NOT_A_TEXT',
    readonly file: string,
    readonly key: string,
  ) {
    super(`${file}: ${key}: ${code === 'UNKNOWN_TEXT' ? 'no such text' : 'not a text (a group of texts)'}`);
  }
}

export class ContentDrafts {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly now: () => Date,
  ) {}

  async get(username: string): Promise<Draft | undefined> {
    const raw = await this.backend.get(this.keys.contentDraft(username));
    if (raw === null) return undefined;
    const parsed = draftSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }

  async save(username: string, draft: Omit<Draft, 'updatedAt'>): Promise<Draft> {
    const saved: Draft = { ...draft, updatedAt: this.now().toISOString() };
    await this.backend.set(this.keys.contentDraft(username), JSON.stringify(saved), { ttlMs: DRAFT_TTL_MS });
    return saved;
  }

  async discard(username: string): Promise<void> {
    await this.backend.del(this.keys.contentDraft(username));
  }
}

/** The live files with the draft's files over them. */
export const withDraft = (live: ContentBundle, draft: Draft | undefined): ContentBundle => ({ ...live, ...(draft?.files ?? {}) });

/**
 * Applies text changes to `files` (the draft over the live version), returning the changed files' new texts.
 * Only existing texts can be changed: a key the file does not have is refused (a typo would otherwise add a text
 * nobody reads). JSON is written back with two-space indents, as the files in content/ are.
 */
export function applyTextChanges(files: ContentBundle, changes: TextChange[]): ContentBundle {
  const trees = new Map<string, unknown>();
  for (const change of changes) {
    const source = files[change.file];
    if (source === undefined || !change.file.startsWith('locales/')) throw new DraftError('UNKNOWN_TEXT', change.file, change.key);
    const tree = trees.get(change.file) ?? JSON.parse(source);
    trees.set(change.file, tree);
    setText(tree, change);
  }
  return Object.fromEntries([...trees].map(([file, tree]) => [file, `${JSON.stringify(tree, null, 2)}\n`]));
}

function setText(tree: unknown, change: TextChange): void {
  const path = change.key.split('.');
  let node = tree as Record<string, unknown> | unknown[];
  for (const [i, part] of path.entries()) {
    const container = node as Record<string, unknown>;
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(container, part)) throw new DraftError('UNKNOWN_TEXT', change.file, change.key);
    if (i === path.length - 1) {
      if (typeof container[part] !== 'string') throw new DraftError('NOT_A_TEXT', change.file, change.key);
      container[part] = change.text;
      return;
    }
    node = container[part] as Record<string, unknown>;
  }
}
