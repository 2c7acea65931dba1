/**
 * The durable inbox of the web channel. A customer's activity is answered 200
 * only once it is in the conversation's transcript (Redis); turns then run
 * from the transcript itself, in its order, under the conversation's lock, and
 * a cursor records how far they got. So:
 *  - nothing accepted is lost: an instance killed between the 200 and the turn
 *    leaves the cursor behind, and any instance re-drives the rest (at start-up,
 *    every few seconds, and whenever the conversation gets a new message);
 *  - turns run in acceptance order across instances: the transcript's order is
 *    the order of the atomic appends, and whoever holds the lock works through it;
 *  - a turn killed half-way is run again, but the replies it had already
 *    stored are not sent a second time (they are counted by `replyToId`).
 * The window between a turn's state save and the cursor write is one Redis
 * round trip; a crash exactly there runs that turn twice (at-least-once).
 */
import type { Activity } from 'botbuilder';
import type { Logger } from '../../bot/log';
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';
import type { ConversationHistory } from './history';

export interface ConversationLock {
  run<T>(conversationKey: string, work: () => Promise<T>): Promise<T>;
}

export interface InboxDeps {
  history: ConversationHistory;
  backend: StateBackend;
  keys: Keys;
  lock: ConversationLock;
  /** Runs one turn for `activity`; `alreadyAnswered` replies of an earlier, interrupted run are skipped. */
  deliver: (activity: Activity, alreadyAnswered: number) => Promise<void>;
  logger: Logger;
  /** A turn that fails this many times (not counting the turn's own handled errors) is skipped. */
  maxAttempts: number;
  /** How long the cursor and attempt counters live (the transcript's TTL). */
  ttlMs: number;
}

/** What the customer sent (as opposed to the bot's replies and notices in the same transcript). */
function fromCustomer(activity: Activity): boolean {
  return activity.from?.role === 'user' && (activity.type === 'message' || activity.type === 'event');
}

export class DirectLineInbox {
  /** Conversations with a drain queued on this instance that has not started reading yet. */
  private readonly waiting = new Set<string>();

  constructor(private readonly deps: InboxDeps) {}

  /** Marks the conversation as having work; called after every acceptance (and resend). */
  async markPending(conversationId: string): Promise<void> {
    await this.deps.backend.schedule(this.deps.keys.directLinePending(), conversationId, Date.now());
  }

  /**
   * Runs every accepted activity of the conversation that has not run yet, in
   * order, under the conversation lock. Returns how many turns ran.
   */
  async drain(conversationId: string): Promise<number> {
    // A drain already queued here will see everything accepted before it starts reading.
    if (this.waiting.has(conversationId)) return 0;
    this.waiting.add(conversationId);
    try {
      return await this.deps.lock.run(`directline:${conversationId}`, () => {
        this.waiting.delete(conversationId);
        return this.drainHoldingLock(conversationId);
      });
    } finally {
      this.waiting.delete(conversationId);
    }
  }

  /** Conversations marked pending before `olderThan` (ms since epoch), for the sweeper. */
  stale(olderThan: number, limit: number): Promise<string[]> {
    return this.deps.backend.due(this.deps.keys.directLinePending(), olderThan, limit);
  }

  private async drainHoldingLock(conversationId: string): Promise<number> {
    const { backend, keys, history } = this.deps;
    const cursorKey = keys.directLineCursor(conversationId);
    let cursor = Number((await backend.get(cursorKey)) ?? 0);
    let ran = 0;
    for (;;) {
      const { activities } = await history.since(conversationId, cursor);
      const next = activities.findIndex(fromCustomer);
      if (next < 0) {
        cursor += activities.length;
        if (activities.length > 0) await backend.set(cursorKey, String(cursor), { ttlMs: this.deps.ttlMs });
        // Clear the mark, then look once more: an activity appended meanwhile re-marks itself
        // only after its append, so either we see it here or its own mark survives.
        await backend.unschedule(keys.directLinePending(), conversationId);
        if ((await history.length(conversationId)) <= cursor) return ran;
        await this.markPending(conversationId);
        continue;
      }
      const activity = activities[next]!;
      const alreadyAnswered = activities.slice(next + 1).filter((a) => a.from?.role === 'bot' && a.replyToId === activity.id).length;
      if (await this.runOnce(activity, alreadyAnswered)) ran++;
      cursor += next + 1;
      await backend.set(cursorKey, String(cursor), { ttlMs: this.deps.ttlMs });
    }
  }

  /**
   * Runs the turn. A failure that escaped the turn's own error handling (the
   * store is down, the lock was lost) leaves the activity for a later drain,
   * until it has failed `maxAttempts` times; then it is skipped, loudly.
   */
  private async runOnce(activity: Activity, alreadyAnswered: number): Promise<boolean> {
    try {
      await this.deps.deliver(activity, alreadyAnswered);
      return true;
    } catch (error) {
      const attempts = await this.deps.backend.incr(this.deps.keys.directLineAttempts(activity.id ?? ''), this.deps.ttlMs);
      if (attempts < this.deps.maxAttempts) throw error;
      this.deps.logger.error({ err: error, code: 'INBOX_GAVE_UP', attempts }, 'an accepted web message failed every attempt; skipped');
      return false;
    }
  }
}
