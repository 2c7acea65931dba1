/**
 * The outbox of notices to customers. A notice is due at once, delivered by
 * the customer's channel; what cannot go now (a closed WeChat window, an ended
 * web chat) is retried later with back-off, and after the last attempt kept in
 * a dead-letter list for staff. Nothing is sent in quiet hours. Every instance
 * runs the tick; a Redis lock makes one of them do the work, and taking a
 * notice off the schedule is atomic, so a notice is never sent twice by two
 * instances. Work per tick grows with what is due, not with how many exist.
 */
import { randomUUID } from 'node:crypto';
import type { ProactiveChannel } from '../channels';
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import type { NoticesPolicy } from '../tickets/policy';

export interface OutboxNotice {
  id: string;
  number: string;
  change: string;
  text: string;
  channelId: string;
  customerId: string;
  conversationId?: string;
  template?: { name: string; values: Record<string, string> };
  attempts: number;
  createdAt: string;
  lastError?: string;
}

export interface TickResult {
  ran: boolean;
  delivered: number;
  retried: number;
  dead: number;
}

const BATCH = 100;
const ITEM_TTL_MS = 30 * 86_400_000;

export class Outbox {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly channels: Map<string, ProactiveChannel>,
    private readonly policy: NoticesPolicy,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async enqueue(notice: Omit<OutboxNotice, 'id' | 'attempts' | 'createdAt'>): Promise<string> {
    const item: OutboxNotice = { ...notice, id: randomUUID(), attempts: 0, createdAt: this.now().toISOString() };
    await this.backend.set(this.keys.outboxItem(item.id), JSON.stringify(item), { ttlMs: ITEM_TTL_MS });
    await this.backend.schedule(this.keys.outboxSchedule(), item.id, this.now().getTime());
    return item.id;
  }

  /** True between the start and end of quiet hours, local time (the range may cross midnight). */
  isQuiet(at: Date = this.now()): boolean {
    const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: this.policy.timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
    const { start, end } = this.policy.quietHours;
    return start <= end ? hhmm >= start && hhmm < end : hhmm >= start || hhmm < end;
  }

  /** One delivery run: only one instance at a time, nothing in quiet hours. */
  async tick(): Promise<TickResult> {
    const result: TickResult = { ran: false, delivered: 0, retried: 0, dead: 0 };
    if (this.isQuiet()) return result;
    const lock = this.keys.outboxTickLock();
    const owner = randomUUID();
    if (!(await this.backend.set(lock, owner, { ttlMs: 55_000, onlyIfAbsent: true }))) return result;
    result.ran = true;
    try {
      const ids = await this.backend.due(this.keys.outboxSchedule(), this.now().getTime(), BATCH);
      for (const id of ids) {
        if (!(await this.backend.unschedule(this.keys.outboxSchedule(), id))) continue;
        const raw = await this.backend.get(this.keys.outboxItem(id));
        if (!raw) continue;
        const outcome = await this.attempt(JSON.parse(raw) as OutboxNotice);
        result[outcome]++;
      }
    } finally {
      await this.backend.deleteIfEquals(lock, owner);
    }
    return result;
  }

  private async attempt(notice: OutboxNotice): Promise<'delivered' | 'retried' | 'dead'> {
    const channel = this.channels.get(notice.channelId);
    try {
      if (!channel) throw new AppError('CHANNEL_WINDOW_CLOSED', `no proactive channel for ${notice.channelId}`, 409);
      await channel.notify({ customerId: notice.customerId, conversationId: notice.conversationId }, { text: notice.text, template: notice.template });
      await this.backend.del(this.keys.outboxItem(notice.id));
      return 'delivered';
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'INTERNAL';
      const next: OutboxNotice = { ...notice, attempts: notice.attempts + 1, lastError: code };
      if (next.attempts >= this.policy.maxAttempts) {
        await this.backend.append(this.keys.outboxDead(), JSON.stringify(next));
        await this.backend.del(this.keys.outboxItem(notice.id));
        this.logger.warn({ code, number: notice.number }, 'notice given up after the last attempt');
        return 'dead';
      }
      const minutes = this.policy.retryMinutes[Math.min(next.attempts - 1, this.policy.retryMinutes.length - 1)]!;
      await this.backend.set(this.keys.outboxItem(notice.id), JSON.stringify(next), { ttlMs: ITEM_TTL_MS });
      await this.backend.schedule(this.keys.outboxSchedule(), notice.id, this.now().getTime() + minutes * 60_000);
      this.logger.info({ code, number: notice.number, attempts: next.attempts }, 'notice will be retried');
      return 'retried';
    }
  }

  async pending(): Promise<OutboxNotice[]> {
    const ids = await this.backend.due(this.keys.outboxSchedule(), Number.MAX_SAFE_INTEGER, 1000);
    const items = await Promise.all(ids.map((id) => this.backend.get(this.keys.outboxItem(id))));
    return items.flatMap((raw) => (raw ? [JSON.parse(raw) as OutboxNotice] : []));
  }

  async dead(): Promise<OutboxNotice[]> {
    return (await this.backend.range(this.keys.outboxDead(), 0, -1)).map((r) => JSON.parse(r) as OutboxNotice);
  }
}
