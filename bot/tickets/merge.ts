/**
 * Merging a repeat complaint into the earlier one on the same matter (DOMAIN.md: one register, nothing counted
 * twice). The earlier complaint takes the later one's words and evidence — its regulatory clock restarts, as for
 * any new facts from the customer — and the later one ends as "merged", naming the earlier; its customer is told
 * where to follow it. Two documents cannot change in one step, so the earlier one changes first and records
 * where the words came from: a retry after a crash in between does not add them twice.
 */
import { AppError } from '../errors';
import type { Ticket } from './model';
import { assertVersion, type TicketService } from './service';
import { OPEN_STATUSES } from './state-machine';

/** A mainland number as its 11 digits, whatever the spacing or a +86 in front. */
const digits = (phone: string | undefined) => (phone?.replace(/\D/g, '') ?? '').replace(/^86(1\d{10})$/, '$1');

/** The same customer: the same channel identity, or the same phone number. */
function sameCustomer(a: Ticket, b: Ticket): boolean {
  if (a.customer.channelId === b.customer.channelId && a.customer.id === b.customer.id) return true;
  return digits(a.customer.phone).length >= 7 && digits(a.customer.phone) === digits(b.customer.phone);
}

/** Why `later` may not be merged into `earlier`, in words staff understand; undefined when it may. */
export function mergeProblem(later: Ticket, earlier: Ticket): string | undefined {
  if (later.number === earlier.number) return 'A complaint cannot be merged into itself';
  if (!OPEN_STATUSES.includes(later.status) || !OPEN_STATUSES.includes(earlier.status)) return 'Only open complaints are merged';
  // Numbers are issued in order: they break a tie between complaints made in the same millisecond.
  const first = Date.parse(earlier.createdAt) - Date.parse(later.createdAt) || earlier.number.localeCompare(later.number);
  if (first > 0) return 'A repeat complaint is merged into the earlier one, not the other way round';
  if (!sameCustomer(later, earlier)) return 'Only the same customer\'s complaints are merged';
  return undefined;
}

/** Merges `laterNumber` into `earlierNumber`; `version` is the later one's as the staff member saw it. */
export async function mergeComplaints(tickets: TicketService, laterNumber: string, earlierNumber: string, by: string, version?: string): Promise<{ later: Ticket; earlier: Ticket }> {
  const [later, earlier] = await Promise.all([tickets.get(laterNumber), tickets.get(earlierNumber)]);
  const problem = mergeProblem(later, earlier);
  if (problem) throw new AppError('STATE_CONFLICT', problem, 409);
  assertVersion(later, version);
  const target = await tickets.addDetails(earlier.number, by, later.details.description, { number: later.number, evidence: later.evidence }).catch(async (error: unknown) => {
    // Already added (a retry after a crash, or a merge racing this one): carry on to end the later one.
    if (error instanceof AppError && error.code === 'ALREADY_MERGED') return tickets.get(earlier.number);
    throw error;
  });
  const merged = await tickets.act(later.number, 'merged', by, { version, note: `merged into ${earlier.number}`, mergedInto: earlier.number });
  return { later: merged, earlier: target };
}
