/**
 * How the front door is doing over a range of days, for supervisors: the
 * complaint figures (from the complaints), the day counters (conversations,
 * hand-offs and waits, FAQ outcomes, call-backs), the FAQ's top unanswered
 * questions (masked when recorded), and today's surges. Nothing personal: no
 * names, phones, ids or complaint texts, only counts and masked question
 * samples.
 */
import type { CallbackQueue } from '../handoff/callback-queue';
import type { FaqStats } from '../faq/stats';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import { addCalendarDays } from '../tickets/calendar';
import { ticketsByDay, type DayOfTickets } from '../tickets/walk';
import { complaintFigures, type ComplaintFigures } from './complaint-figures';
import { WAIT_BANDS, type DayCounters } from './day-counters';
import type { ReportsPolicy } from './policy';
import { findSurges, type Surge } from './surge';

/** The channels customers reach the bot on (channel ids of the adapters). */
export const CUSTOMER_CHANNELS = ['directline', 'wechat-oa', 'wecom-kf'] as const;

export interface Report {
  from: string;
  to: string;
  days: string[];
  complaints: ComplaintFigures;
  conversations: { total: number; byChannel: Record<string, number>; byDay: Record<string, number> };
  handoff: {
    count: number;
    byChannel: Record<string, number>;
    byDay: Record<string, number>;
    /** Hand-offs ÷ conversations. */
    rate: number | null;
    /** First replies by a person, by wait band (minutes, "longer"). */
    waits: Record<string, number>;
    withinFiveMinutes: number | null;
    abandoned: number;
  };
  faq: { answer: number; choices: number; none: number; answeredShare: number | null; topUnanswered: { sample: string; count: number; lastSeen: string }[] };
  callbacks: { called: number; onTime: number; share: number | null; overdueOpen: number };
  surges: Surge[];
}

export interface ReportDeps {
  backend: StateBackend;
  keys: Keys;
  counters: DayCounters;
  faqStats: FaqStats;
  callbacks: CallbackQueue;
  policy: () => ReportsPolicy;
  satisfactionTarget: () => number;
  now: () => Date;
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export class Reports {
  /** Past days' complaint counts by category (the surge baseline). */
  private readonly pastDays = new Map<string, Record<string, number>>();

  constructor(private readonly deps: ReportDeps) {}

  today(): string {
    return this.deps.counters.today();
  }

  async build(from: string, to: string): Promise<Report> {
    const days: string[] = [];
    for (let d = from; d <= to; d = addCalendarDays(d, 1)) days.push(d);
    const walked = await this.walk(from, to);
    const complaints = complaintFigures(walked, this.deps.now(), this.deps.satisfactionTarget());
    const channelFigures = CUSTOMER_CHANNELS.flatMap((c) => [`conversations.${c}`, `handoffs.${c}`]);
    const waitFigures = [...WAIT_BANDS.map(String), 'longer'].map((b) => `wait.${b}`);
    const figures = ['conversations', 'handoffs', 'abandoned', 'faq.answer', 'faq.choices', 'faq.none', 'callbacks.called', 'callbacks.onTime', ...channelFigures, ...waitFigures];
    const counts = await this.deps.counters.read(days, figures);
    const total = (figure: string) => sum(days.map((d) => counts[d]?.[figure] ?? 0));
    const perDay = (figure: string) => Object.fromEntries(days.map((d) => [d, counts[d]?.[figure] ?? 0]));
    const perChannel = (prefix: string) => Object.fromEntries(CUSTOMER_CHANNELS.map((c) => [c, total(`${prefix}.${c}`)]));

    const waits = Object.fromEntries(waitFigures.map((f) => [f.slice('wait.'.length), total(f)]));
    const replied = sum(Object.values(waits));
    const [misses, open] = await Promise.all([this.deps.faqStats.misses(10), this.deps.callbacks.open()]);
    const now = this.deps.now().getTime();
    const faq = { answer: total('faq.answer'), choices: total('faq.choices'), none: total('faq.none') };
    return {
      from, to, days, complaints,
      conversations: { total: total('conversations'), byChannel: perChannel('conversations'), byDay: perDay('conversations') },
      handoff: {
        count: total('handoffs'),
        byChannel: perChannel('handoffs'),
        byDay: perDay('handoffs'),
        rate: share(total('handoffs'), total('conversations')),
        waits,
        withinFiveMinutes: share((waits['1'] ?? 0) + (waits['3'] ?? 0) + (waits['5'] ?? 0), replied),
        abandoned: total('abandoned'),
      },
      faq: {
        ...faq,
        answeredShare: share(faq.answer, faq.answer + faq.choices + faq.none),
        topUnanswered: misses.map((m) => ({ sample: m.sample, count: m.count, lastSeen: m.lastSeen.toISOString() })),
      },
      callbacks: {
        called: total('callbacks.called'),
        onTime: total('callbacks.onTime'),
        share: share(total('callbacks.onTime'), total('callbacks.called')),
        overdueOpen: open.filter((c) => Date.parse(c.dueBy) < now).length,
      },
      surges: await this.surges(),
    };
  }

  /**
   * Today's surging categories. The baseline days are past: their counts by category are kept once read (a
   * complaint's day and category do not change), so a check reads only today's complaints after the first.
   */
  async surges(): Promise<Surge[]> {
    const rule = this.deps.policy().surge;
    const today = this.today();
    const byDayCategory: Record<string, Record<string, number>> = {};
    for (let back = rule.baselineDays; back >= 1; back--) {
      const day = addCalendarDays(today, -back);
      let counts = this.pastDays.get(day);
      if (!counts) {
        counts = complaintFigures(await this.walk(day, day), this.deps.now(), 0).byDayCategory[day] ?? {};
        this.pastDays.set(day, counts);
      }
      byDayCategory[day] = counts;
    }
    byDayCategory[today] = complaintFigures(await this.walk(today, today), this.deps.now(), 0).byDayCategory[today] ?? {};
    // Keep only what a baseline can still need.
    for (const day of this.pastDays.keys()) if (day < addCalendarDays(today, -90)) this.pastDays.delete(day);
    return findSurges(byDayCategory, today, rule);
  }

  private async walk(from: string, to: string): Promise<DayOfTickets[]> {
    const out: DayOfTickets[] = [];
    for await (const day of ticketsByDay(this.deps.backend, this.deps.keys, from, to)) out.push(day);
    return out;
  }
}
