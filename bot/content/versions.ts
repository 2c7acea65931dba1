/**
 * Published content versions, kept in Redis for ever: each holds every file
 * of the content (gzip, about 60 KB) and who published it, when, why and
 * which files changed. Version 0 is the `content/` folder the bot was
 * deployed with; it is live until a supervisor publishes. Restoring an
 * earlier version publishes its files again as a new version, so the history
 * only ever grows and says who restored what.
 *
 * Publishing sets the live number and announces it on pub/sub; every instance
 * (bot/content/live.ts) loads it, checks it exactly as start-up does and
 * swaps it in.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { AppError } from '../errors';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import type { ContentBundle } from './files';

export interface VersionMeta {
  version: number;
  /** Staff username of who published (or restored) it. */
  by: string;
  at: string;
  note: string;
  /** Files that differ from the version it replaced. */
  changed: string[];
  /** Set when the version is an earlier one published again. */
  restoredFrom?: number;
}

const storedSchema = z.object({
  meta: z.object({
    version: z.number().int(),
    by: z.string(),
    at: z.string(),
    note: z.string(),
    changed: z.array(z.string()),
    restoredFrom: z.number().int().optional(),
  }),
  files: z.string(),
});

/** The files that differ between two bundles (added, removed or changed), sorted. */
export function changedFiles(before: ContentBundle, after: ContentBundle): string[] {
  const all = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...all].filter((f) => before[f] !== after[f]).sort();
}

export class ContentVersions {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    /** The files of content/: version 0. */
    private readonly original: ContentBundle,
    private readonly now: () => Date,
  ) {}

  /** The live version's number (0: the content/ folder). */
  async liveNumber(): Promise<number> {
    const raw = await this.backend.get(this.keys.contentLive());
    const n = raw === null ? 0 : Number(raw);
    return Number.isSafeInteger(n) && n >= 0 ? n : 0;
  }

  /** A version's files; undefined when there is no such version. */
  async files(version: number): Promise<ContentBundle | undefined> {
    if (version === 0) return this.original;
    const stored = await this.read(version);
    return stored ? (JSON.parse(gunzipSync(Buffer.from(stored.files, 'base64')).toString('utf8')) as ContentBundle) : undefined;
  }

  async meta(version: number): Promise<VersionMeta | undefined> {
    return (await this.read(version))?.meta;
  }

  /** Every published version, newest first. */
  async history(limit = 200): Promise<VersionMeta[]> {
    const [raw, live] = await Promise.all([this.backend.range(this.keys.contentHistory(), -limit, -1), this.liveNumber()]);
    const listed = raw.map((r) => JSON.parse(r) as VersionMeta).reverse();
    if (live === 0 || listed.some((m) => m.version === live)) return listed;
    const meta = await this.meta(live);
    return meta ? [meta, ...listed] : listed;
  }

  /**
   * Publishes `files` as the new live version. `base` is the version the author started from: when someone
   * else published meanwhile, the publish is refused (their change would be silently undone).
   */
  async publish(input: { files: ContentBundle; by: string; note: string; base: number; restoredFrom?: number }): Promise<VersionMeta> {
    const live = await this.liveNumber();
    if (input.base !== live) throw new AppError('STALE_VERSION', `version ${live} was published since this draft was started from version ${input.base}`, 409);
    const before = (await this.files(live)) ?? this.original;
    const changed = changedFiles(before, input.files);
    if (changed.length === 0) throw new AppError('NOTHING_CHANGED', 'nothing differs from the live version', 400);
    const version = await this.backend.incr(this.keys.contentSequence());
    const meta: VersionMeta = {
      version, by: input.by, at: this.now().toISOString(), note: input.note, changed,
      ...(input.restoredFrom !== undefined ? { restoredFrom: input.restoredFrom } : {}),
    };
    const files = gzipSync(Buffer.from(JSON.stringify(input.files), 'utf8')).toString('base64');
    // The version is stored before it is made live (an instance told of it can always read it), and made live
    // before it joins the history: a process killed in between leaves a live version the history lacks, which
    // history() adds back from the version itself — never a history entry that was not live.
    await this.backend.set(this.keys.contentVersion(version), JSON.stringify({ meta, files }));
    await this.backend.set(this.keys.contentLive(), String(version));
    await this.backend.append(this.keys.contentHistory(), JSON.stringify(meta));
    await this.backend.publish(this.keys.contentEvents(), String(version)).catch(() => undefined);
    return meta;
  }

  private async read(version: number): Promise<z.infer<typeof storedSchema> | undefined> {
    const raw = await this.backend.get(this.keys.contentVersion(version));
    if (raw === null) return undefined;
    // A version half-written by a process killed mid-publish is treated as absent, never as an error.
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
    const parsed = storedSchema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  }
}
