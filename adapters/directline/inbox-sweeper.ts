/**
 * Re-drives web conversations whose accepted activities may not have run: the
 * instance that accepted them was killed, or the store failed mid-turn. Runs at
 * start-up and then on a node-cron schedule on every instance; a short Redis
 * lock lets one instance sweep per tick, and each conversation's own lock
 * keeps a sweep from racing the instance that is still working on it.
 */
import { randomUUID } from 'node:crypto';
import { schedule, type ScheduledTask } from 'node-cron';
import type { Logger } from '../../bot/log';
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';
import type { DirectLineInbox } from './inbox';

export interface SweeperOptions {
  /** node-cron expression (six fields: seconds first). */
  expression: string;
  /** Only conversations marked at least this long ago: younger ones are being worked on by their own kick. */
  graceMs: number;
  /** At most this many conversations per tick. */
  batch: number;
}

export class InboxSweeper {
  private task: ScheduledTask | undefined;
  private startup: Promise<number> | undefined;

  constructor(
    private readonly inbox: DirectLineInbox,
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly options: SweeperOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.startup = this.sweep(0);
    this.task = schedule(this.options.expression, () => this.sweep(this.options.graceMs), { noOverlap: true, name: 'directline-inbox' });
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = undefined;
    await this.startup;
  }

  /** Drains every conversation marked pending more than `graceMs` ago; returns how many turns ran. */
  async sweep(graceMs: number): Promise<number> {
    const lockKey = this.keys.directLineSweepLock();
    const owner = randomUUID();
    let ran = 0;
    try {
      if (!(await this.backend.set(lockKey, owner, { ttlMs: 60_000, onlyIfAbsent: true }))) return 0;
      try {
        const stale = await this.inbox.stale(Date.now() - graceMs, this.options.batch);
        for (const conversationId of stale) {
          ran += await this.inbox.drain(conversationId).catch((error: unknown) => {
            this.logger.warn({ err: error }, 'inbox re-drive failed; will retry');
            return 0;
          });
        }
      } finally {
        await this.backend.deleteIfEquals(lockKey, owner);
      }
      if (ran > 0) this.logger.info({ turns: ran }, 'inbox re-drove accepted web messages');
    } catch (error) {
      this.logger.warn({ err: error }, 'inbox sweep failed; will retry');
    }
    return ran;
  }
}
