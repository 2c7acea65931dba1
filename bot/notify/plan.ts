/**
 * The status schedule of one complaint, from its record and the policy (pure): when the next "still working on
 * it" update, the satisfaction survey, the automatic close, the handler's reminder and the supervisors'
 * escalation are due — or undefined when they are not (any more). Re-planned after every write, so a promised
 * date that moves (extension, pause, resume, appeal) moves everything that hangs on it.
 */
import { addCalendarDays, addWorkingDays, endOfLocalDay, localDate, localTime } from '../tickets/calendar';
import { promisedDate } from '../tickets/clocks';
import type { Ticket } from '../tickets/model';
import type { ComplaintPolicy } from '../tickets/policy';
import { answeredAt } from '../tickets/reader';
import { OPEN_STATUSES } from '../tickets/state-machine';

export const SCHEDULED_KINDS = ['progress', 'survey', 'autoClose', 'remind', 'escalate'] as const;
export type ScheduledKind = (typeof SCHEDULED_KINDS)[number];
export type Plan = Record<ScheduledKind, Date | undefined>;

const HOUR = 3_600_000;

/** The same local time of day, `n` working days later (Chinese calendar: holidays skipped, make-up days counted). */
export function workingDaysAfter(from: Date, n: number, timeZone: string): Date {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(from);
  return localTime(addWorkingDays(localDate(from, timeZone), n), time, timeZone);
}

/**
 * `progressFrom`: when the last update went out (or the complaint came in): the next one is the interval after
 * it. Everything else follows from the record alone.
 */
export function planFor(ticket: Ticket, policy: ComplaintPolicy, progressFrom: Date): Plan {
  const s = policy.notices.schedule;
  const tz = policy.timeLimits.timezone;
  const open = OPEN_STATUSES.includes(ticket.status);
  const promised = Date.parse(promisedDate(ticket.clocks));
  const answered = ticket.status === 'resolved' ? answeredAt(ticket) : undefined;
  return {
    progress: open && s.progressEveryWorkingDays > 0 ? workingDaysAfter(progressFrom, s.progressEveryWorkingDays, tz) : undefined,
    survey: answered && !ticket.survey && s.surveyAfterHours > 0 ? new Date(answered.getTime() + s.surveyAfterHours * HOUR) : undefined,
    // The end of the last day an appeal may come in (time-limits.json reopenWithinCalendarDays, counted from the answer).
    autoClose: answered ? endOfLocalDay(addCalendarDays(localDate(answered, tz), policy.timeLimits.reopenWithinCalendarDays), tz) : undefined,
    remind: open ? new Date(promised - s.remindBeforeHours * HOUR) : undefined,
    escalate: open ? new Date(promised + s.escalateAfterMinutes * 60_000) : undefined,
  };
}
