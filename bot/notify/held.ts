/**
 * Notices a channel could not deliver because it cannot reach the customer now (WeChat's 48-hour window closed
 * and no template configured). They are kept, oldest first, and given the next time that customer writes —
 * before the answer to what they wrote (held-middleware.ts) — since that message is what opens the window.
 */
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import type { OutboxNotice } from './outbox';

/** A held notice is still worth giving for a month; after that the complaint has moved on. */
const HELD_TTL_MS = 30 * 86_400_000;

export class HeldNotices {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
  ) {}

  async hold(notice: OutboxNotice): Promise<void> {
    await this.backend.append(this.keys.heldNotices(notice.channelId, notice.customerId), JSON.stringify(notice), HELD_TTL_MS);
  }

  /** What is held for the customer, oldest first, without taking it. */
  async peek(channelId: string, customerId: string): Promise<OutboxNotice[]> {
    return (await this.backend.range(this.keys.heldNotices(channelId, customerId), 0, -1)).map((l) => JSON.parse(l) as OutboxNotice);
  }

  /** Takes the first `count` held notices once they were given (in one step: a notice held meanwhile stays). */
  async taken(channelId: string, customerId: string, count: number): Promise<void> {
    await this.backend.dropFirst(this.keys.heldNotices(channelId, customerId), count);
  }
}
