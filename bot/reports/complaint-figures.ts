/**
 * The complaint figures of a range of days, from the complaints themselves:
 * volume by day, category, level and channel; the share answered by the
 * promised date on each clock; satisfaction against the target. Pure: the
 * same complaints and clock always give the same figures (the reports test
 * seeds complaints with known answers).
 *
 * Counting rules (docs/console.md):
 *  - a complaint merged into another is the same matter: not counted again;
 *  - "answered on time" compares the first answer with the date promised on
 *    that clock (extensions included); a complaint still open after its date
 *    counts as late; one open and not yet due, or withdrawn unanswered, is
 *    not counted either way;
 *  - satisfied = a survey score of 4 or 5.
 */
import type { Ticket } from '../tickets/model';
import type { DayOfTickets } from '../tickets/walk';

export interface ClockFigures {
  onTime: number;
  late: number;
  /** Still open after the promised date (counted in `late` too). */
  openLate: number;
  /** onTime ÷ (onTime + late), or null when nothing counts yet. */
  share: number | null;
}

export interface ComplaintFigures {
  total: number;
  byDay: Record<string, number>;
  byCategory: Record<string, number>;
  byLevel: Record<string, number>;
  byChannel: Record<string, number>;
  /** Per day and category (the surge rule's baseline). */
  byDayCategory: Record<string, Record<string, number>>;
  clocks: { internal: ClockFigures; regulatory: ClockFigures };
  satisfaction: { answers: number; satisfied: number; rate: number | null; target: number };
}

const CLOSED_UNANSWERED = new Set(['withdrawn', 'merged']);

/** When the complaint was first answered (the first move to "resolved"). */
export function firstAnswer(ticket: Ticket): number | undefined {
  const entry = ticket.audit.find((a) => a.to === 'resolved');
  return entry ? Date.parse(entry.at) : undefined;
}

function clockOf(tickets: Ticket[], due: (t: Ticket) => string, now: number): ClockFigures {
  const f: ClockFigures = { onTime: 0, late: 0, openLate: 0, share: null };
  for (const t of tickets) {
    const answered = firstAnswer(t);
    const by = Date.parse(due(t));
    if (answered !== undefined) {
      if (answered <= by) f.onTime++;
      else f.late++;
    } else if (!CLOSED_UNANSWERED.has(t.status) && now > by) {
      f.late++;
      f.openLate++;
    }
  }
  f.share = f.onTime + f.late > 0 ? f.onTime / (f.onTime + f.late) : null;
  return f;
}

export function complaintFigures(days: DayOfTickets[], now: Date, satisfactionTarget: number): ComplaintFigures {
  const counted = days.flatMap((d) => d.tickets.filter((t) => t.status !== 'merged'));
  const tally = (key: (t: Ticket) => string) => {
    const out: Record<string, number> = {};
    for (const t of counted) out[key(t)] = (out[key(t)] ?? 0) + 1;
    return out;
  };
  const byDay: Record<string, number> = {};
  const byDayCategory: Record<string, Record<string, number>> = {};
  for (const d of days) {
    const kept = d.tickets.filter((t) => t.status !== 'merged');
    byDay[d.day] = kept.length;
    const cats: Record<string, number> = {};
    for (const t of kept) cats[t.details.category] = (cats[t.details.category] ?? 0) + 1;
    byDayCategory[d.day] = cats;
  }
  const surveyed = counted.filter((t) => t.survey);
  const satisfied = surveyed.filter((t) => (t.survey?.score ?? 0) >= 4).length;
  return {
    total: counted.length,
    byDay,
    byCategory: tally((t) => t.details.category),
    byLevel: tally((t) => t.level),
    byChannel: tally((t) => t.customer.channelId),
    byDayCategory,
    clocks: {
      internal: clockOf(counted, (t) => t.clocks.internalDue, now.getTime()),
      regulatory: clockOf(counted, (t) => t.clocks.regulatoryDue, now.getTime()),
    },
    satisfaction: { answers: surveyed.length, satisfied, rate: surveyed.length ? satisfied / surveyed.length : null, target: satisfactionTarget },
  };
}
