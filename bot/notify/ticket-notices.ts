/**
 * Tells the customer, in their language and on their channel, when their
 * complaint changes in a way they must know of: a new status, an extension of
 * the time limit (with its reason), a pause for outside appraisal and its end.
 * Each notice goes through the outbox, which delivers at once when it can
 * (not in quiet hours) and retries what a channel cannot take now.
 */
import type { Translator } from '../content/i18n';
import { formatDate } from '../content/format';
import { normaliseLocale } from '../turn/locale';
import { DEFAULT_LOCALE } from '../content/schemas';
import { promisedDate } from '../tickets/clocks';
import type { Ticket } from '../tickets/model';
import type { TicketChange } from '../tickets/service';
import { answerText } from './answer-text';
import type { Outbox } from './outbox';


export class TicketNotices {
  constructor(
    private readonly outbox: Outbox,
    private readonly translator: Translator,
    private readonly timeZone: string,
    /** Days after an answer an appeal may come in (time-limits.json), for the automatic close's notice. */
    private readonly reopenDays = 30,
  ) {}

  private vars(ticket: Ticket, change: TicketChange) {
    const locale = normaliseLocale(ticket.customer.locale) ?? DEFAULT_LOCALE;
    return {
      locale,
      number: ticket.number,
      date: formatDate(promisedDate(ticket.clocks), locale, this.timeZone),
      status: this.translator.t(locale, `intake:status.${ticket.status}`),
      reason: 'reason' in change ? change.reason : '',
      note: change.kind === 'status' ? (change.note ?? '') : '',
    };
  }

  private textFrom(change: TicketChange, { locale, ...vars }: ReturnType<TicketNotices['vars']>): string {
    return this.translator.t(locale, `notice:${change.kind}`, vars).trim();
  }

  async tell(ticket: Ticket, change: TicketChange): Promise<void> {
    const vars = this.vars(ticket, change);
    // Answered: the customer gets the answer itself (its six elements), not only the new status.
    const answered = change.kind === 'status' && ticket.status === 'resolved' && ticket.resolution;
    // Merged: where the complaint carries on, so the customer follows that number.
    const merged = change.kind === 'status' && ticket.status === 'merged' && ticket.mergedInto;
    // Closed by the schedule (no appeal in time): say why, not only the new status.
    const autoClosed = change.kind === 'status' && ticket.status === 'closed' && ticket.audit.at(-1)?.by === 'system';
    const text = answered ? answerText(this.translator, ticket, answered, this.timeZone).text
      : merged ? this.translator.t(vars.locale, 'notice:merged', { number: ticket.number, into: merged }).trim()
        : autoClosed ? this.translator.t(vars.locale, 'notice:autoClosed', { number: ticket.number, days: this.reopenDays }).trim()
          : this.textFrom(change, vars);
    await this.outbox.enqueue({
      number: ticket.number,
      change: change.kind,
      text,
      channelId: ticket.customer.channelId,
      customerId: ticket.customer.id,
      conversationId: (ticket.conversationRef.conversation as { id?: string } | undefined)?.id,
      // A template field is short: for the answer it says there is one, and the answer itself is held for the
      // customer's next message (which opens the window for it) — given as well, never lost in a template.
      template: { name: 'ticketStatus', values: { ticketNumber: ticket.number, status: vars.status, summary: answered ? this.translator.t(vars.locale, 'notice:answeredShort', { number: ticket.number }) : text, dueDate: vars.date, remark: '' } },
      ...(answered ? { holdIfTemplate: true } : {}),
    });
    // Deliver now if the channel can take it; otherwise the scheduled tick retries.
    await this.outbox.tick();
  }
}
