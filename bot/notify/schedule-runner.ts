/**
 * The status schedule at work (issue 13): re-plans a complaint after every write (plan.ts → schedule.ts), and
 * each tick runs what is due — a progress update, the survey, the automatic close, a reminder, an escalation.
 * Before running an item it checks the complaint again: an item whose reason has gone (answered, reopened) is
 * dropped, one whose time moved is moved. Whatever it sends carries an idempotency key (the item and its due
 * time), so a crash between sending and recording runs the item again but sends nothing twice.
 */
import { randomUUID } from 'node:crypto';
import type { Translator } from '../content/i18n';
import { formatDate } from '../content/format';
import { DEFAULT_LOCALE } from '../content/schemas';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { promisedDate } from '../tickets/clocks';
import type { Ticket } from '../tickets/model';
import type { ComplaintPolicy } from '../tickets/policy';
import type { TicketService } from '../tickets/service';
import { OPEN_STATUSES } from '../tickets/state-machine';
import { normaliseLocale } from '../turn/locale';
import type { StaffAlerts } from './alerts';
import type { Outbox } from './outbox';
import { planFor, SCHEDULED_KINDS, workingDaysAfter, type ScheduledKind } from './plan';
import type { DueItem, StatusSchedule } from './schedule';
import type { Surveys } from './survey';

/** Long enough for one item (a few store calls and a notice); a crashed instance's items run again after it. */
const LEASE_MS = 60_000;
const BATCH = 500;

export interface ScheduleDeps {
  schedule: StatusSchedule;
  tickets: TicketService;
  outbox: Outbox;
  surveys: Surveys;
  alerts: StaffAlerts;
  translator: Translator;
  policy: ComplaintPolicy;
  logger: Logger;
  now: () => Date;
}

export interface ScheduleTickResult {
  ran: number;
  moved: number;
  dropped: number;
  failed: number;
}

export class ScheduleRunner {
  private readonly owner = randomUUID();

  constructor(private readonly d: ScheduleDeps) {}

  /** After every write: every kind planned for the complaint's new state (a planned progress update keeps its time). */
  async replan(ticket: Ticket): Promise<void> {
    const { schedule } = this.d;
    const planned = await schedule.dueAt(ticket.number, 'progress');
    const plan = planFor(ticket, this.d.policy, this.d.now());
    for (const kind of SCHEDULED_KINDS) {
      if (kind === 'progress' && plan.progress && planned !== undefined) continue;
      await schedule.set(ticket.number, kind, plan[kind]);
    }
  }

  /** When an item of the complaint is planned (ms), or undefined (operations, `npm run notify:due`, tests). */
  plannedAt(number: string, kind: ScheduledKind): Promise<number | undefined> {
    return this.d.schedule.dueAt(number, kind);
  }

  /** The next items planned, soonest first. */
  upcoming(limit = 50): Promise<DueItem[]> {
    return this.d.schedule.upcoming(limit);
  }

  /** Runs what is due now, one instance per item. */
  async tick(): Promise<ScheduleTickResult> {
    const result: ScheduleTickResult = { ran: 0, moved: 0, dropped: 0, failed: 0 };
    const items = await this.d.schedule.due(this.d.now().getTime(), BATCH);
    for (const item of items) {
      if (!(await this.d.schedule.lease(item.member, this.owner, LEASE_MS))) continue;
      try {
        // Another instance may have run it between our read and our lease (and moved or removed it).
        if ((await this.d.schedule.dueAt(item.number, item.kind)) !== item.dueMs) continue;
        const outcome = await this.run(item);
        result[outcome]++;
        if (outcome !== 'moved') await this.d.schedule.markDone(item);
      } catch (error) {
        result.failed++;
        this.d.logger.error({ err: error, kind: item.kind, number: item.number }, 'status schedule item failed; it runs again');
      } finally {
        await this.d.schedule.release(item.member, this.owner);
      }
    }
    return result;
  }

  private async run(item: DueItem): Promise<'ran' | 'moved' | 'dropped'> {
    const ticket = await this.d.tickets.get(item.number).catch((e: unknown) => (e instanceof AppError && e.code === 'TICKET_NOT_FOUND' ? undefined : Promise.reject(e)));
    if (!ticket) return 'dropped';
    const now = this.d.now();
    if (item.kind !== 'progress') {
      const due = planFor(ticket, this.d.policy, now)[item.kind];
      if (!due) return 'dropped';
      if (due.getTime() !== item.dueMs) {
        await this.d.schedule.set(ticket.number, item.kind, due);
        return 'moved';
      }
    } else if (!OPEN_STATUSES.includes(ticket.status)) return 'dropped';
    const once = `${item.member}:${item.dueMs}`;
    switch (item.kind) {
      case 'progress':
        await this.notify(ticket, 'progress', once);
        await this.d.schedule.set(ticket.number, 'progress', workingDaysAfter(now, this.d.policy.notices.schedule.progressEveryWorkingDays, this.d.policy.timeLimits.timezone));
        break;
      case 'survey':
        await this.notify(ticket, 'survey', once, ['one', 'two', 'three', 'four', 'five'].map((n) => this.text(ticket, `notice:surveyChoice.${n}`)));
        await this.d.surveys.open(ticket, this.d.policy.notices.schedule.surveyOpenDays);
        break;
      case 'autoClose':
        await this.d.tickets.transition(ticket.number, 'closed', 'system', `closed automatically: no appeal within ${this.d.policy.timeLimits.reopenWithinCalendarDays} days of the answer`);
        break;
      case 'remind':
      case 'escalate':
        await this.d.alerts.add({ kind: item.kind, number: ticket.number, department: ticket.department, ...(ticket.owner ? { owner: ticket.owner } : {}), promised: promisedDate(ticket.clocks), at: now.toISOString() }, once);
        break;
    }
    return 'ran';
  }

  private text(ticket: Ticket, key: string): string {
    const locale = normaliseLocale(ticket.customer.locale) ?? DEFAULT_LOCALE;
    return this.d.translator.t(locale, key, {
      number: ticket.number,
      status: this.d.translator.t(locale, `intake:status.${ticket.status}`),
      department: this.d.translator.t(locale, `notice:department.${ticket.department}`),
      date: formatDate(promisedDate(ticket.clocks), locale, this.d.policy.timeLimits.timezone),
    }).trim();
  }

  private async notify(ticket: Ticket, kind: 'progress' | 'survey', once: string, choices?: string[]): Promise<void> {
    const text = this.text(ticket, `notice:${kind}`);
    await this.d.outbox.enqueue({
      number: ticket.number,
      change: kind,
      text,
      channelId: ticket.customer.channelId,
      customerId: ticket.customer.id,
      conversationId: (ticket.conversationRef.conversation as { id?: string } | undefined)?.id,
      locale: ticket.customer.locale,
      ...(choices ? { choices } : {}),
    }, once);
  }
}
