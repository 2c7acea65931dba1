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
import type { ChannelNotification, ProactiveChannel } from '../channels';
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import { HeldNotices } from './held';
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
  /** Delivered only as a (short) template: keep the full text for the customer's next message too (the answer). */
  holdIfTemplate?: boolean;
  /** Answers offered with it (the survey's 1–5), and the customer's language for the channel's words around them. */
  choices?: string[];
  locale?: string;
  attempts: number;
  createdAt: string;
  /** Queue order across instances (the store's counter): notices queued in one millisecond keep their order. */
  seq?: number;
  lastError?: string;
}

export interface TickResult {
  ran: boolean;
  delivered: number;
  retried: number;
  dead: number;
  /** Kept for the customer's next message (the channel cannot reach them before). */
  held: number;
}

const BATCH = 100;
const ITEM_TTL_MS = 30 * 86_400_000;

export class Outbox {
  /** Notices held for the customer's next message. */
  readonly held: HeldNotices;

  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly channels: Map<string, ProactiveChannel>,
    private readonly policy: NoticesPolicy,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.held = new HeldNotices(backend, keys);
  }

  /**
   * Queues a notice for delivery. `onceKey`: the notice is queued once for that key whoever asks again (the status
   * schedule retrying after a crash); the second ask answers the first notice's id.
   */
  async enqueue(notice: Omit<OutboxNotice, 'id' | 'attempts' | 'createdAt'>, onceKey?: string): Promise<string> {
    const seq = await this.backend.incr(this.keys.outboxSeq());
    // The id begins with the queue counter: notices due at the same moment come out of the schedule (ordered by
    // time, then by id) in the order they were queued, with no second read to sort them.
    const item: OutboxNotice = { ...notice, id: `${String(seq).padStart(12, '0')}-${randomUUID()}`, attempts: 0, createdAt: this.now().toISOString(), seq };
    if (onceKey && !(await this.backend.set(this.keys.outboxOnce(onceKey), item.id, { ttlMs: ITEM_TTL_MS, onlyIfAbsent: true }))) {
      return (await this.backend.get(this.keys.outboxOnce(onceKey))) ?? item.id;
    }
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
    const result: TickResult = { ran: false, delivered: 0, retried: 0, dead: 0, held: 0 };
    if (this.isQuiet()) return result;
    const lock = this.keys.outboxTickLock();
    const owner = randomUUID();
    if (!(await this.backend.set(lock, owner, { ttlMs: 55_000, onlyIfAbsent: true }))) return result;
    result.ran = true;
    try {
      // Oldest due first; equal times in queue order (the ids begin with the queue counter).
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

  private async attempt(notice: OutboxNotice): Promise<'delivered' | 'retried' | 'dead' | 'held'> {
    const channel = this.channels.get(notice.channelId);
    try {
      if (!channel) throw new AppError('CHANNEL_API_ERROR', `no proactive channel for ${notice.channelId}`, 502);
      const locale = notice.locale as ChannelNotification['locale'];
      const as = await channel.notify({ customerId: notice.customerId, conversationId: notice.conversationId }, { text: notice.text, template: notice.template, choices: notice.choices, locale });
      if (as === 'template' && notice.holdIfTemplate) await this.held.hold(notice);
      await this.backend.del(this.keys.outboxItem(notice.id));
      return 'delivered';
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'INTERNAL';
      // The channel cannot reach the customer until they write again (WeChat's window, no template): the notice
      // is held for their next message (held.ts) instead of retried into the void.
      if (code === 'CHANNEL_WINDOW_CLOSED') {
        await this.held.hold(notice);
        await this.backend.del(this.keys.outboxItem(notice.id));
        this.logger.info({ number: notice.number }, 'notice held for the customer\'s next message');
        return 'held';
      }
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
