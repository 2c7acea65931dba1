/**
 * Tells the customer, in their language and on their channel, when their
 * complaint changes in a way they must know of: a new status, an extension of
 * the time limit (with its reason), a pause for outside appraisal and its end.
 * What cannot be delivered now (a closed WeChat window, an ended web chat) goes
 * to the outbox for the status scheduler; nothing fails the ticket change.
 */
import type { ProactiveChannel } from '../channels';
import type { Translator } from '../content/i18n';
import { formatDate } from '../content/format';
import { normaliseLocale } from '../turn/locale';
import { DEFAULT_LOCALE } from '../content/schemas';
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import { promisedDate } from '../tickets/clocks';
import type { Ticket } from '../tickets/model';
import type { TicketChange } from '../tickets/service';


export class TicketNotices {
  constructor(
    private readonly channels: Map<string, ProactiveChannel>,
    private readonly translator: Translator,
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly logger: Logger,
    private readonly timeZone: string,
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

  text(ticket: Ticket, change: TicketChange): string {
    const { locale, ...vars } = this.vars(ticket, change);
    return this.translator.t(locale, `notice:${change.kind}`, vars).trim();
  }

  async tell(ticket: Ticket, change: TicketChange): Promise<'delivered' | 'queued'> {
    const text = this.text(ticket, change);
    const channel = this.channels.get(ticket.customer.channelId);
    const conversationId = (ticket.conversationRef.conversation as { id?: string } | undefined)?.id;
    try {
      if (!channel) throw new AppError('CHANNEL_WINDOW_CLOSED', `no proactive channel for ${ticket.customer.channelId}`, 409);
      await channel.notify(
        { customerId: ticket.customer.id, conversationId },
        { text, template: { name: 'ticketStatus', values: { ticketNumber: ticket.number, status: this.vars(ticket, change).status, summary: text, dueDate: this.vars(ticket, change).date, remark: '' } } },
      );
      return 'delivered';
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'INTERNAL';
      await this.backend.append(this.keys.outbox(), JSON.stringify({ number: ticket.number, change: change.kind, text, code, at: new Date().toISOString() }));
      this.logger.info({ code, number: ticket.number, change: change.kind }, 'notice queued for later delivery');
      return 'queued';
    }
  }
}
