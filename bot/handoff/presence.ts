/**
 * Which staff are on the desk now, across instances: one sorted set whose
 * score is minus the time each member's presence runs out, so "still here" is
 * "score at most minus now" — the backend's `due` query — and nobody needs a
 * key scan. An open desk renews its member every few seconds.
 */
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';

export class HandoffPresence {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly now: () => Date,
  ) {}

  /** The staff member is on the desk for the next `ttlMs`. */
  async heartbeat(staffId: string, ttlMs: number): Promise<void> {
    await this.backend.schedule(this.keys.handoffPresence(), staffId, -(this.now().getTime() + ttlMs));
  }

  async leave(staffId: string): Promise<void> {
    await this.backend.unschedule(this.keys.handoffPresence(), staffId);
  }

  /** Staff ids whose presence has not run out. */
  async who(): Promise<string[]> {
    return this.backend.due(this.keys.handoffPresence(), -this.now().getTime(), 1000);
  }

  async online(): Promise<number> {
    return (await this.who()).length;
  }
}
