/**
 * The status schedule's store: one sorted set of `number|kind` members by due time, so a tick reads only what
 * is due, however many complaints there are. A member is planned once per due time: when it has run for that
 * time (`done`), planning it again for the same time does nothing — nothing is sent twice — while a due time
 * that moved is a new one. A running item is held by one instance (a lease that expires): a crash mid-way
 * means the item runs again after the lease, never that it is lost; what it sends carries an idempotency key.
 */
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import type { ScheduledKind } from './plan';

/** A done mark outlives any schedule it could collide with (surveys, auto-close: weeks; a year is plenty). */
const DONE_TTL_MS = 400 * 86_400_000;

export interface DueItem {
  member: string;
  number: string;
  kind: ScheduledKind;
  dueMs: number;
}

export const memberOf = (number: string, kind: ScheduledKind) => `${number}|${kind}`;

export class StatusSchedule {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
  ) {}

  /** Plans (or moves) the item to `due`, or removes it when `due` is undefined or already ran for that time. */
  async set(number: string, kind: ScheduledKind, due: Date | undefined): Promise<void> {
    const member = memberOf(number, kind);
    if (due && !(await this.ran(member, due.getTime()))) await this.backend.schedule(this.keys.scheduleDue(), member, due.getTime());
    else await this.backend.unschedule(this.keys.scheduleDue(), member);
  }

  /** When the item is due now (undefined: not planned). */
  async dueAt(number: string, kind: ScheduledKind): Promise<number | undefined> {
    return this.backend.scoreOf(this.keys.scheduleDue(), memberOf(number, kind));
  }

  /** Items due at `nowMs`, soonest first. */
  async due(nowMs: number, limit: number): Promise<DueItem[]> {
    const members = await this.backend.dueWithScores(this.keys.scheduleDue(), nowMs, limit);
    return members.map(({ member, score }) => {
      const [number = '', kind = ''] = member.split('|');
      return { member, number, kind: kind as ScheduledKind, dueMs: score };
    });
  }

  /** The next `limit` items whenever due, soonest first (operations: `npm run notify:due`). */
  async upcoming(limit: number): Promise<DueItem[]> {
    return this.due(Number.MAX_SAFE_INTEGER, limit);
  }

  /** This instance runs the item now (false: another one is); the lease ends by itself after `ttlMs`. */
  lease(member: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.backend.set(this.keys.scheduleLease(member), owner, { ttlMs, onlyIfAbsent: true });
  }

  async release(member: string, owner: string): Promise<void> {
    await this.backend.deleteIfEquals(this.keys.scheduleLease(member), owner);
  }

  /** The item ran for this due time: it leaves the schedule and is not planned again for the same time. */
  async markDone(item: DueItem): Promise<void> {
    await this.backend.set(this.keys.scheduleDone(item.member, item.dueMs), '1', { ttlMs: DONE_TTL_MS });
    // Only if it was not moved meanwhile (a write re-planned it for another time while it ran).
    if ((await this.backend.scoreOf(this.keys.scheduleDue(), item.member)) === item.dueMs) await this.backend.unschedule(this.keys.scheduleDue(), item.member);
  }

  private async ran(member: string, dueMs: number): Promise<boolean> {
    return (await this.backend.get(this.keys.scheduleDone(member, dueMs))) !== null;
  }
}
