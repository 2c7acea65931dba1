/**
 * The content this instance is using, and how a published version reaches it
 * without a restart: pub/sub says "version N is live"; a check every few
 * seconds catches what pub/sub missed (the subscriber was reconnecting, the
 * instance started since). The version is read from Redis, checked exactly as
 * start-up checks content/, and swapped in:
 *
 *   - the Content object is updated in place, so every part that reads policy
 *     or texts when it needs them (ticket clocks, notices, the desk page) sees
 *     the new version on its next use;
 *   - parts that build something from content once (i18next's resources, the
 *     FAQ index, the command table, the dialogs' menus, triage) listen with
 *     `onChange` and rebuild.
 *
 * A version that fails the checks on this instance (a newer release's format,
 * say) is refused and logged; the content in use stays. A conversation in the
 * middle of a dialog keeps going: its state names dialogs and steps, which a
 * content version does not change.
 */
import type { Logger } from '../log';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import type { Mounted } from '../mount';
import { BundleFiles, readBundle } from './files';
import { ContentError, DEFAULT_CONTENT_DIR, loadContent, type Content } from './loader';
import { ContentVersions } from './versions';

export type ContentListener = (content: Content, version: number) => void;

export interface LiveContentOptions {
  /** How often to compare the live number with Redis (default 5 s). */
  checkEveryMs?: number;
}

export class LiveContent implements Mounted {
  private listeners: ContentListener[] = [];
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private checking: Promise<void> | undefined;
  private again: Promise<void> | undefined;
  /** A version this instance refused, so that the check does not retry and log it every few seconds. */
  private refused: number | undefined;

  constructor(
    /** The content in use; updated in place. */
    readonly content: Content,
    readonly versions: ContentVersions,
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly logger: Logger,
    private readonly options: LiveContentOptions = {},
  ) {}

  /** The version in use (0: the content/ folder). */
  get version(): number {
    return this.running;
  }

  onChange(listener: ContentListener): void {
    this.listeners.push(listener);
  }

  /** Takes the live version before the first turn (Redis down: starts on what it has; the checks catch up). */
  async catchUp(): Promise<void> {
    await this.check().catch((error: unknown) => this.logger.warn({ err: error }, 'could not read the live content version; checking again shortly'));
  }

  /** Follows the live version: pub/sub, and a check every few seconds for what pub/sub missed. */
  start(): void {
    const onEvent = () => void this.check().catch(() => undefined);
    void this.backend.subscribe(this.keys.contentEvents(), onEvent).then((off) => (this.unsubscribe = off), () => undefined);
    this.timer = setInterval(onEvent, this.options.checkEveryMs ?? 5000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.unsubscribe?.();
    await this.checking;
  }

  /**
   * Compares the live number with the one in use and swaps when they differ. One check at a time; a check asked
   * for while one runs (a publish announced meanwhile) runs once more after it, so no announcement waits for the
   * next periodic check.
   */
  check(): Promise<void> {
    if (this.checking) {
      this.again ??= this.checking.catch(() => undefined).then(() => {
        this.again = undefined;
        return this.check();
      });
      return this.again;
    }
    this.checking = this.compare().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async compare(): Promise<void> {
    const live = await this.versions.liveNumber();
    if (live === this.running || live === this.refused) return;
    const files = await this.versions.files(live);
    if (!files) {
      this.logger.error({ code: 'CONTENT_VERSION_MISSING', version: live }, 'the live content version is not in the store; keeping the content in use');
      this.refused = live;
      return;
    }
    let next: Content;
    try {
      next = loadContent(new BundleFiles(files, `version ${live}`));
    } catch (error) {
      const problems = error instanceof ContentError ? error.problems : [String(error)];
      this.logger.error({ code: 'CONTENT_VERSION_REFUSED', version: live, problems: problems.slice(0, 20) }, 'published content version refused here; keeping the content in use');
      this.refused = live;
      return;
    }
    this.apply(next, live);
  }

  /** Swaps `next` in: the Content object in place, then every listener. */
  private apply(next: Content, version: number): void {
    replaceInPlace(this.content, next);
    this.running = version;
    this.refused = undefined;
    for (const listener of this.listeners) {
      try {
        listener(this.content, version);
      } catch (error) {
        this.logger.error({ err: error, version }, 'a part of the bot failed to take the new content version');
      }
    }
    this.logger.info({ version }, 'content version in use');
  }
}

/**
 * Replaces `target`'s fields with `source`'s, one level deep: an object field (a policy) keeps its identity and
 * takes the new fields, so a part that was handed `content.complaints` at start sees the new time limits.
 */
function replaceInPlace(target: Content, source: Content): void {
  const t = target as unknown as Record<string, unknown>;
  const s = source as unknown as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    const before = t[key];
    const after = s[key];
    if (isPlainObject(before) && isPlainObject(after) && key !== 'locales') {
      for (const k of Object.keys(before)) if (!(k in after)) delete before[k];
      Object.assign(before, after);
    } else {
      t[key] = after;
    }
  }
  for (const key of Object.keys(t)) if (!(key in s)) delete t[key];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The live content of an app: version 0 is the folder `content` was loaded from. */
export function createLiveContent(deps: { content: Content; dir?: string; backend: StateBackend; keys: Keys; logger: Logger; now: () => Date; checkEveryMs?: number }): LiveContent {
  const versions = new ContentVersions(deps.backend, deps.keys, readBundle(deps.dir ?? DEFAULT_CONTENT_DIR), deps.now);
  return new LiveContent(deps.content, versions, deps.backend, deps.keys, deps.logger, { checkEveryMs: deps.checkEveryMs });
}
