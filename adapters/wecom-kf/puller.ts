/**
 * Pulling a kf account's messages after a callback (PROTOCOLS.md): the callback
 * only says "there is something new"; kf/sync_msg gives it page by page from a
 * cursor. The cursor lives in Redis and is saved after each page is handled,
 * so a crash repeats at most one page (and the pipeline's dedupe by msgid makes
 * that harmless). One instance pulls an account at a time, under a lock; a
 * callback that finds the lock taken leaves a "pull again" mark, which the
 * holder takes before letting go, so no callback is lost between two pulls.
 * A failed pull is tried again after a pause; the cursor has not moved, so
 * nothing is skipped.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../bot/log';
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';
import type { WeComKfClient } from './client';
import { itemSchema, type KfItem } from './messages';

export interface PullerOptions {
  client: Pick<WeComKfClient, 'syncMsg'>;
  backend: StateBackend;
  keys: Keys;
  logger: Logger;
  /** Handles one page's valid items; resolves when they are safely taken (turns run, events handled). */
  handle: (items: KfItem[]) => Promise<void>;
  /** Items per page asked for (the platform allows up to 1000). */
  pageSize?: number;
  /** Pauses before trying a failed pull again; none left: the next callback pulls. */
  retryDelaysMs?: number[];
  lockTtlMs?: number;
}

const MARK_TTL_MS = 10 * 60_000; // a callback's token is valid for 10 minutes

export class KfPuller {
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: PullerOptions) {}

  /**
   * A callback for `openKfId` with its `token`: pull everything new, or leave the holder a mark to pull again.
   * Any failure (the platform, or the store frozen or down) is tried again after a pause; the cursor has not
   * moved past anything unhandled, so nothing is skipped.
   */
  async pull(openKfId: string, token: string | undefined, attempt = 0): Promise<void> {
    try {
      await this.pullWhileMarked(openKfId, token);
    } catch (error) {
      this.options.logger.warn({ err: error, channel: 'wecom-kf', attempt }, 'kf pull failed: will try again');
      this.retryLater(openKfId, token, attempt);
    }
  }

  private async pullWhileMarked(openKfId: string, token: string | undefined): Promise<void> {
    const { backend, keys } = this.options;
    const lock = keys.wecomPullLock(openKfId);
    const again = keys.wecomPullAgain(openKfId);
    await backend.set(again, token ?? '-', { ttlMs: MARK_TTL_MS });
    const owner = randomUUID();
    const ttlMs = this.options.lockTtlMs ?? 60_000;
    // Pull while a mark is waiting. The mark is set before trying the lock, and read again after letting go,
    // so a callback arriving at any moment is either pulled by the holder or finds the lock free.
    while (!this.stopped && (await backend.get(again)) !== null) {
      if (!(await backend.set(lock, owner, { ttlMs, onlyIfAbsent: true }))) return; // the holder will see the mark
      try {
        for (let mark = await backend.get(again); mark !== null && !this.stopped; mark = await backend.get(again)) {
          await backend.deleteIfEquals(again, mark);
          await this.pullPages(openKfId, mark === '-' ? undefined : mark, () => backend.expireIfEquals(lock, owner, ttlMs));
        }
      } finally {
        await backend.deleteIfEquals(lock, owner).catch(() => undefined);
      }
    }
  }

  private async pullPages(openKfId: string, token: string | undefined, renew: () => Promise<boolean>): Promise<void> {
    const { backend, keys, client } = this.options;
    const cursorKey = keys.wecomCursor(openKfId);
    for (;;) {
      const cursor = (await backend.get(cursorKey)) ?? undefined;
      const page = await client.syncMsg(openKfId, cursor, token, this.options.pageSize ?? 1000);
      const items: KfItem[] = [];
      for (const raw of page.msg_list) {
        const item = itemSchema.safeParse(raw);
        if (item.success) items.push(item.data);
        else this.options.logger.warn({ channel: 'wecom-kf', problem: item.error.issues[0]?.path.join('.') }, 'kf item malformed: skipped');
      }
      await this.options.handle(items);
      // Handled: from here on, a crash starts after this page.
      if (page.next_cursor) await backend.set(cursorKey, page.next_cursor);
      if (page.has_more !== 1) return;
      if (!(await renew())) throw new Error('kf pull lock lost');
    }
  }

  private retryLater(openKfId: string, token: string | undefined, attempt: number): void {
    const delay = (this.options.retryDelaysMs ?? [1000, 5000, 30_000])[attempt];
    if (delay === undefined || this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.pull(openKfId, token, attempt + 1).catch((error: unknown) => this.options.logger.warn({ err: error, channel: 'wecom-kf' }, 'kf pull retry failed'));
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
