/**
 * The figures of the front door that are not in the complaints themselves,
 * counted per day (the bank's time zone) in Redis for the supervisors'
 * reports: conversations, hand-offs to a person and how long customers waited
 * for one, chats given up, the FAQ's outcomes, call-backs closed and whether on
 * time. One key per day and figure (`incr`), kept 400 days.
 *
 * Counting never holds up a customer's reply: the writes run in the
 * background; a store fault loses that one count (logged), never the turn.
 */
import type { Logger } from '../log';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';

const TTL_MS = 400 * 86_400_000;

/** Waits for a person are counted in these bands (minutes, upper bounds); the last band is "longer". */
export const WAIT_BANDS = [1, 3, 5, 10, 30] as const;

export type DayFigure =
  | 'conversations'
  | `conversations.${string}`
  | 'handoffs'
  | `handoffs.${string}`
  | `wait.${string}`
  | 'abandoned'
  | 'faq.answer'
  | 'faq.choices'
  | 'faq.none'
  | 'callbacks.called'
  | 'callbacks.onTime';

export class DayCounters {
  private readonly day: Intl.DateTimeFormat;
  private readonly pending = new Set<Promise<void>>();
  /** Conversations already counted today by this instance: most turns then cost no write at all. */
  private seen = { day: '', keys: new Set<string>() };

  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    timeZone: string,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {
    this.day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  today(): string {
    return this.day.format(this.now());
  }

  add(figure: DayFigure): void {
    const key = this.keys.reportCount(this.today(), figure);
    this.track(() => this.backend.incr(key, TTL_MS).then(() => undefined));
  }

  /** A customer's message in a conversation: the conversation counts once a day, whichever instance sees it first. */
  conversation(conversationKey: string, channelId: string): void {
    const day = this.today();
    if (this.seen.day !== day) this.seen = { day, keys: new Set() };
    if (this.seen.keys.has(conversationKey)) return;
    // Bounded: past this, the claim key in Redis alone keeps the count right.
    if (this.seen.keys.size < 100_000) this.seen.keys.add(conversationKey);
    this.track(async () => {
      const first = await this.backend.set(this.keys.reportConversationSeen(day, conversationKey), '1', { onlyIfAbsent: true, ttlMs: 2 * 86_400_000 });
      if (!first) return;
      await this.backend.incr(this.keys.reportCount(day, 'conversations'), TTL_MS);
      await this.backend.incr(this.keys.reportCount(day, `conversations.${channelId}`), TTL_MS);
    });
  }

  /** How long a customer waited for a person's first reply, in its band. */
  waited(seconds: number): void {
    const band = WAIT_BANDS.find((minutes) => seconds <= minutes * 60);
    this.add(`wait.${band ?? 'longer'}`);
  }

  /** Each day's value of each figure (0 when never counted), days oldest first. */
  async read(days: string[], figures: string[]): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    await Promise.all(days.flatMap((day) => figures.map(async (figure) => {
      const raw = await this.backend.get(this.keys.reportCount(day, figure));
      (out[day] ??= {})[figure] = raw === null ? 0 : Number(raw) || 0;
    })));
    return out;
  }

  async drained(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private track(work: () => Promise<void>): void {
    const p = work()
      .catch((error: unknown) => this.logger.warn({ err: error, code: 'REPORT_COUNT_LOST' }, 'a report figure was not counted'))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }
}
