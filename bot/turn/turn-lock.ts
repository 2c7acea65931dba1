/**
 * Serialises the turns of one conversation. botbuilder saves conversation and
 * user state last-writer-wins, so two concurrent turns of one customer would
 * lose data; eTags alone only turn the loss into an error.
 *
 * Two layers: an in-process FIFO queue per conversation (keeps arrival order and
 * avoids polling Redis for work queued on this instance) and a Redis lock with a
 * fencing token (mutual exclusion across instances), renewed while the turn runs.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../errors';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';

export interface TurnLockOptions {
  ttlMs: number;
  /** Give up waiting for another instance's lock after this long. */
  waitMs?: number;
}

export class TurnLock {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly options: TurnLockOptions,
  ) {}

  /** Runs `work` once every earlier turn of the same conversation has finished. */
  run<T>(conversationKey: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(conversationKey) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.holdingLock(conversationKey, work));
    this.queues.set(conversationKey, next);
    const cleanup = () => {
      if (this.queues.get(conversationKey) === next) this.queues.delete(conversationKey);
    };
    next.then(cleanup, cleanup);
    return next;
  }

  /** Conversations with a turn running or queued on this instance. */
  get activeConversations(): number {
    return this.queues.size;
  }

  private async holdingLock<T>(conversationKey: string, work: () => Promise<T>): Promise<T> {
    const key = this.keys.turnLock(conversationKey);
    const token = randomUUID();
    await this.acquire(key, token);
    const renewEvery = Math.max(250, Math.floor(this.options.ttlMs / 3));
    const renewal = setInterval(() => {
      void this.backend.expireIfEquals(key, token, this.options.ttlMs).catch(() => undefined);
    }, renewEvery);
    renewal.unref();
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await this.backend.deleteIfEquals(key, token).catch(() => undefined);
    }
  }

  private async acquire(key: string, token: string): Promise<void> {
    const deadline = Date.now() + (this.options.waitMs ?? this.options.ttlMs * 2);
    let delay = 5;
    for (;;) {
      if (await this.backend.set(key, token, { ttlMs: this.options.ttlMs, onlyIfAbsent: true })) return;
      if (Date.now() >= deadline) {
        throw new AppError('TURN_LOCK_TIMEOUT', 'Timed out waiting for the conversation lock', 503);
      }
      // Another instance holds it: back off with jitter so waiters do not stampede.
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 200);
    }
  }
}
