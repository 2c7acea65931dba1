/**
 * Every stored complaint of a range of days, day by day. The store cannot
 * list keys, but ticket numbers can be walked: each day's numbers run from
 * 0001 upwards (a gap only where a clash skipped one), so a day is read in
 * batches until a whole batch is missing. Used by the reindex and the reports.
 */
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import { addCalendarDays } from './calendar';
import { ticketSchema, type Ticket } from './model';
import { formatTicketNumber } from './numbers';

const BATCH = 100;

export interface DayOfTickets {
  day: string;
  tickets: Ticket[];
  /** Stored documents that are not valid tickets (counted, never thrown). */
  unreadable: number;
}

/** Days from `since` to `until` (YYYY-MM-DD, the bank's local dates), each with the complaints numbered that day. */
export async function* ticketsByDay(backend: StateBackend, keys: Keys, since: string, until: string): AsyncGenerator<DayOfTickets> {
  for (let day = since; day <= until; day = addCalendarDays(day, 1)) {
    const found: DayOfTickets = { day, tickets: [], unreadable: 0 };
    for (let first = 1; ; first += BATCH) {
      const numbers = Array.from({ length: BATCH }, (_, i) => formatTicketNumber(day, first + i));
      const docs = (await backend.readDocuments(numbers.map((n) => keys.ticket(n)))).filter((d) => d !== null);
      if (docs.length === 0) break;
      for (const doc of docs) {
        const parsed = ticketSchema.safeParse(JSON.parse(doc.json));
        if (parsed.success) found.tickets.push(parsed.data);
        else found.unreadable++;
      }
    }
    yield found;
  }
}
