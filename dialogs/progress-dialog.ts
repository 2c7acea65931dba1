/**
 * "查询进度": the customer's own complaints with status and promised date, or one
 * complaint by its number. A number that is not theirs gets exactly the same
 * answer as a number that does not exist.
 */
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Translator } from '../bot/content/i18n';
import { formatDate } from '../bot/content/format';
import type { SupportedLocale } from '../bot/content/schemas';
import { promisedDate } from '../bot/tickets/clocks';
import type { Ticket } from '../bot/tickets/model';
import type { ComplaintPolicy } from '../bot/tickets/policy';
import type { TicketService } from '../bot/tickets/service';
import { OPEN_STATUSES } from '../bot/tickets/state-machine';
import { turnLocaleOf } from '../bot/turn/turn-info';

export const PROGRESS_DIALOG = 'progress';
export const TICKET_NUMBER = /TS-\d{8}-\d{4,}/i;

export class ProgressDialog extends Dialog<{ number?: string }> {
  constructor(
    private readonly tickets: TicketService,
    private readonly translator: Translator,
    private readonly policy: ComplaintPolicy,
  ) {
    super(PROGRESS_DIALOG);
  }

  override async beginDialog(dc: DialogContext, options?: { number?: string }): Promise<DialogTurnResult> {
    const locale = turnLocaleOf(dc.context);
    const { channelId, from } = dc.context.activity;
    const t = (k: string, v?: Record<string, unknown>) => this.translator.t(locale, `progress:${k}`, v);
    if (options?.number) {
      const ticket = await this.tickets.findForCustomer(channelId, from.id, options.number.toUpperCase());
      const answered = ticket && (ticket.status === 'resolved' || ticket.status === 'closed');
      const detail = ticket ? [t('detail', this.fields(ticket, locale)), answered ? t('appeal.offer', { number: ticket.number }) : ''].filter(Boolean).join('\n') : t('notFound');
      await dc.context.sendActivity(detail);
      return dc.endDialog();
    }
    const mine = await this.tickets.listByCustomer(channelId, from.id);
    if (mine.length === 0) {
      await dc.context.sendActivity(t('none'));
      return dc.endDialog();
    }
    const lines = mine.slice(0, 5).map((ticket) => t('item', this.fields(ticket, locale)));
    await dc.context.sendActivity([t('list'), ...lines, mine.length > 1 ? t('askNumber') : ''].filter(Boolean).join('\n'));
    return dc.endDialog();
  }

  private fields(ticket: Ticket, locale: SupportedLocale) {
    const open = OPEN_STATUSES.includes(ticket.status);
    return {
      number: ticket.number,
      category: this.translator.t(locale, `intake:category.${ticket.details.category}`),
      status: this.translator.t(locale, `intake:status.${ticket.status}`),
      due: open ? this.translator.t(locale, 'progress:due', { date: formatDate(promisedDate(ticket.clocks), locale, this.policy.timeLimits.timezone) }) : '',
    };
  }
}
