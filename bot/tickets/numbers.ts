/**
 * Ticket numbers, TS-YYYYMMDD-NNNN: the local date and a per-day counter.
 * A number is never issued twice, even when Redis lost the counter (restarted
 * without persistence, the key evicted or deleted) while tickets remained:
 *
 * - the ticket is created only if no ticket has that number (create-if-absent,
 *   one atomic step in the store), so an existing ticket is never overwritten;
 * - on a clash the counter is behind: find the highest number taken that day
 *   and move the counter past it (`incr` with a floor, atomic), then try again.
 *   The counter never goes below a number already issued.
 */
import { AppError } from '../errors';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import { localDate } from './calendar';

/** The counter outlives its day by a margin (a clock skew between instances around midnight). */
const SEQUENCE_TTL_MS = 3 * 86_400_000;
/** Clashes tolerated for one ticket; each clash moves the counter past every number found taken. */
const MAX_CLASHES = 5;
/** How far ahead the search looks at once: taken + 1, + 2, + 4, … + 2^16 (far more than a day's complaints). */
const GALLOP_STEPS = 17;

export function formatTicketNumber(day: string, seq: number): string {
  return `TS-${day.replace(/-/g, '')}-${String(seq).padStart(4, '0')}`;
}

export class TicketNumbers {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly timeZone: string,
  ) {}

  /**
   * Issues a number for a ticket created at `at`: `create(number)` must create
   * the ticket only if that number is free, returning it, or undefined when taken.
   */
  async issue<T>(at: Date, create: (number: string) => Promise<T | undefined>): Promise<T> {
    const day = localDate(at, this.timeZone);
    const sequenceKey = this.keys.ticketSequence(day);
    let floor = 0;
    for (let clash = 0; clash <= MAX_CLASHES; clash++) {
      const seq = await this.backend.incr(sequenceKey, SEQUENCE_TTL_MS, floor);
      const created = await create(formatTicketNumber(day, seq));
      if (created !== undefined) return created;
      floor = await this.highestTaken(day, seq);
    }
    throw new AppError('STATE_CONFLICT', 'Could not find a free ticket number', 409);
  }

  /** The highest number taken on `day`, searching up from `taken` (known taken): gallop, then bisect. */
  private async highestTaken(day: string, taken: number): Promise<number> {
    const probes = Array.from({ length: GALLOP_STEPS }, (_, k) => taken + 2 ** k);
    const found = await this.exist(day, probes);
    let low = taken;
    probes.forEach((p, i) => {
      if (found[i]) low = p;
    });
    // The first probe above the highest taken one is free; bisect between them.
    let high = probes.find((p) => p > low);
    if (high === undefined) return low;
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if ((await this.exist(day, [mid]))[0]) low = mid;
      else high = mid;
    }
    return low;
  }

  private async exist(day: string, seqs: number[]): Promise<boolean[]> {
    const docs = await this.backend.readDocuments(seqs.map((s) => this.keys.ticket(formatTicketNumber(day, s))));
    return docs.map((d) => d !== null);
  }
}
