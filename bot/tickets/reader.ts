/**
 * The read side of the ticket service (TicketService extends it): one complaint, a customer's, the open ones
 * of a department, the same matter again. Reads never change a ticket.
 */
import { AppError } from '../errors';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import { ticketSchema, type Ticket } from './model';
import type { OpenComplaints } from './open-index';
import type { ComplaintPolicy } from './policy';
import { OPEN_STATUSES } from './state-machine';

/** When a ticket was last answered (the last move to "resolved"): the appeal window and the status schedule count from it. */
export function answeredAt(ticket: Ticket): Date | undefined {
  const entry = [...ticket.audit].reverse().find((a) => a.to === 'resolved');
  return entry ? new Date(entry.at) : undefined;
}

export class TicketReader {
  constructor(
    protected readonly backend: StateBackend,
    protected readonly keys: Keys,
    protected readonly policy: ComplaintPolicy,
    protected readonly now: () => Date,
    protected readonly open: OpenComplaints,
  ) {}

  /** The department's open complaints, soonest promised date first (the desk's list; open-index.ts). */
  listOpen(department: string, limit = 200): Promise<Ticket[]> {
    return this.open.list(department, limit);
  }

  async get(number: string): Promise<Ticket> {
    const [doc] = await this.backend.readDocuments([this.keys.ticket(number)]);
    if (!doc) throw new AppError('TICKET_NOT_FOUND', 'No such complaint', 404, 'progress.notFound');
    return ticketSchema.parse(JSON.parse(doc.json));
  }

  /** When a resolved ticket was answered (the last move to "resolved"), for the appeal window. */
  answeredAt(ticket: Ticket): Date | undefined {
    return answeredAt(ticket);
  }

  /** A customer's own ticket; undefined both for unknown numbers and for other people's (they must look the same). */
  async findForCustomer(channelId: string, customerId: string, number: string): Promise<Ticket | undefined> {
    if (!/^TS-\d{8}-\d{4,}$/.test(number)) return undefined;
    const ticket = await this.get(number).catch(() => undefined);
    return ticket && ticket.customer.channelId === channelId && ticket.customer.id === customerId ? ticket : undefined;
  }

  async listByCustomer(channelId: string, customerId: string): Promise<Ticket[]> {
    const numbers = await this.backend.range(this.keys.customerTickets(channelId, customerId), 0, -1);
    const docs = await this.backend.readDocuments(numbers.map((n) => this.keys.ticket(n)));
    return docs.flatMap((d) => (d ? [ticketSchema.parse(JSON.parse(d.json))] : [])).reverse();
  }

  /** An open ticket of the same category from the last days (policy), for "is this the same matter?". */
  async findOpenSameMatter(channelId: string, customerId: string, category: string): Promise<Ticket | undefined> {
    const since = this.now().getTime() - this.policy.timeLimits.sameMatterLookbackDays * 86_400_000;
    return (await this.listByCustomer(channelId, customerId)).find(
      (t) => t.details.category === category && OPEN_STATUSES.includes(t.status) && Date.parse(t.createdAt) >= since,
    );
  }
}
