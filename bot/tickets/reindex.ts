/**
 * Rebuilds the departments' open-complaint lists (open-index.ts) from the tickets themselves, for complaints
 * stored before the lists existed (or a list lost with its key). The store cannot list keys, but ticket numbers
 * can be walked: each day's numbers run from 0001 upwards (a gap only where a clash skipped one), so a day is
 * read in batches until a whole batch is missing. Indexing is idempotent: running it twice changes nothing.
 */
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import { addCalendarDays } from './calendar';
import { ticketSchema } from './model';
import { formatTicketNumber } from './numbers';
import type { OpenComplaints } from './open-index';
import { OPEN_STATUSES } from './state-machine';

const BATCH = 100;

export interface ReindexResult {
  days: number;
  /** Tickets read, and of them the open ones now in their department's list. */
  read: number;
  open: number;
}

/** Walks every day from `since` to `until` (YYYY-MM-DD, local dates) and indexes each ticket found. */
export async function reindexOpenComplaints(backend: StateBackend, keys: Keys, open: OpenComplaints, since: string, until: string): Promise<ReindexResult> {
  const result: ReindexResult = { days: 0, read: 0, open: 0 };
  for (let day = since; day <= until; day = addCalendarDays(day, 1)) {
    result.days++;
    for (let first = 1; ; first += BATCH) {
      const numbers = Array.from({ length: BATCH }, (_, i) => formatTicketNumber(day, first + i));
      const docs = await backend.readDocuments(numbers.map((n) => keys.ticket(n)));
      const found = docs.filter((d) => d !== null);
      if (found.length === 0) break;
      for (const doc of found) {
        const parsed = ticketSchema.safeParse(JSON.parse(doc.json));
        result.read++;
        if (!parsed.success) continue;
        await open.index(parsed.data);
        if (OPEN_STATUSES.includes(parsed.data.status)) result.open++;
      }
    }
  }
  return result;
}
