/**
 * Notices the outbox gave up on (every attempt failed: the channel refused,
 * the WeChat window was closed…), for supervisors in the desk (issue 12): why
 * each failed, and one decision per notice — send it again (a fresh notice
 * with its attempts reset) or mark it handled (the customer was told another
 * way). The decision is taken once, in Redis (SET NX): two supervisors
 * clicking "retry" together send one notice, not two.
 */
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import type { Outbox, OutboxNotice } from './outbox';

/** A decision is remembered as long as the dead list keeps the notice in practice. */
const DECISION_TTL_MS = 400 * 86_400_000;

export interface DeadLetterDecision {
  by: string;
  at: string;
  how: 'retried' | 'handled';
  note?: string;
}

export class DeadLetters {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly outbox: Outbox,
    private readonly now: () => Date,
  ) {}

  /** Dead notices no one has dealt with, newest first. */
  async open(): Promise<OutboxNotice[]> {
    const dead = await this.outbox.dead();
    const decided = await Promise.all(dead.map((n) => this.backend.get(this.keys.outboxDeadHandled(n.id))));
    return dead.filter((_, i) => decided[i] === null).reverse();
  }

  async retry(id: string, by: string): Promise<'retried' | 'unknown' | 'decided'> {
    const notice = (await this.outbox.dead()).find((n) => n.id === id);
    if (!notice) return 'unknown';
    if (!(await this.decide(id, { by, at: this.now().toISOString(), how: 'retried' }))) return 'decided';
    const { id: _id, attempts: _a, createdAt: _c, lastError: _e, ...fresh } = notice;
    await this.outbox.enqueue(fresh);
    return 'retried';
  }

  async markHandled(id: string, by: string, note?: string): Promise<'handled' | 'unknown' | 'decided'> {
    if (!(await this.outbox.dead()).some((n) => n.id === id)) return 'unknown';
    return (await this.decide(id, { by, at: this.now().toISOString(), how: 'handled', note })) ? 'handled' : 'decided';
  }

  private decide(id: string, decision: DeadLetterDecision): Promise<boolean> {
    return this.backend.set(this.keys.outboxDeadHandled(id), JSON.stringify(decision), { ttlMs: DECISION_TTL_MS, onlyIfAbsent: true });
  }
}
