/**
 * The open complaints of each department, scored by the date promised to the
 * customer: the staff desk's list, soonest first, read without touching closed
 * complaints (however many there are). Kept by TicketService after every
 * write; an entry left stale by a crash between the write and the index is
 * mended when read.
 */
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import { promisedDate } from './clocks';
import { ticketSchema, type Ticket } from './model';
import { OPEN_STATUSES } from './state-machine';

export class OpenComplaints {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
  ) {}

  /** Keeps the ticket's place in its department's list (after every write). */
  async index(ticket: Ticket): Promise<void> {
    const key = this.keys.openComplaints(ticket.department);
    if (OPEN_STATUSES.includes(ticket.status)) await this.backend.schedule(key, ticket.number, Date.parse(promisedDate(ticket.clocks)));
    else await this.backend.unschedule(key, ticket.number);
  }

  /** Takes a complaint out of a department's list (it moved to another department). */
  async forget(department: string, number: string): Promise<void> {
    await this.backend.unschedule(this.keys.openComplaints(department), number);
  }

  async list(department: string, limit: number): Promise<Ticket[]> {
    const key = this.keys.openComplaints(department);
    const numbers = await this.backend.due(key, Number.MAX_SAFE_INTEGER, limit);
    const docs = await this.backend.readDocuments(numbers.map((n) => this.keys.ticket(n)));
    const out: Ticket[] = [];
    for (const [i, doc] of docs.entries()) {
      const ticket = doc ? ticketSchema.parse(JSON.parse(doc.json)) : undefined;
      if (ticket && OPEN_STATUSES.includes(ticket.status) && ticket.department === department) out.push(ticket);
      else await this.backend.unschedule(key, numbers[i]!);
    }
    return out;
  }
}
