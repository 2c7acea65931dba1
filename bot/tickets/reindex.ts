/**
 * Rebuilds the departments' open-complaint lists (open-index.ts) from the tickets themselves, for complaints
 * stored before the lists existed (or a list lost with its key), walking the days' ticket numbers (walk.ts).
 * Indexing is idempotent: running it twice changes nothing.
 */
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import type { OpenComplaints } from './open-index';
import { OPEN_STATUSES } from './state-machine';
import { ticketsByDay } from './walk';

export interface ReindexResult {
  days: number;
  /** Tickets read, and of them the open ones now in their department's list. */
  read: number;
  open: number;
}

/** Walks every day from `since` to `until` (YYYY-MM-DD, local dates) and indexes each ticket found. */
export async function reindexOpenComplaints(backend: StateBackend, keys: Keys, open: OpenComplaints, since: string, until: string): Promise<ReindexResult> {
  const result: ReindexResult = { days: 0, read: 0, open: 0 };
  for await (const { tickets, unreadable } of ticketsByDay(backend, keys, since, until)) {
    result.days++;
    result.read += tickets.length + unreadable;
    for (const ticket of tickets) {
      await open.index(ticket);
      if (OPEN_STATUSES.includes(ticket.status)) result.open++;
    }
  }
  return result;
}
