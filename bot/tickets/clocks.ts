/**
 * The two clocks of a complaint:
 *  - the bank's internal target, in Chinese working days after receipt (3 for
 *    general cases, 10 for complex ones, shorter for urgent levels — policy);
 *  - the regulatory limit, in calendar days from receipt (15; extendable to 30
 *    and 60 with a recorded approval and reason), paused while an outside
 *    appraisal or test runs, restarted when new facts arrive.
 * Due times are the end of the local day in the policy's time zone. Working
 * days come from the process's calendar (`calendar.ts`) unless one is passed.
 */
import { AppError } from '../errors';
import { addCalendarDays, addWorkingDays, currentCalendar, endOfLocalDay, localDate, type WorkingCalendar } from './calendar';
import type { TicketClocks } from './model';
import type { ComplaintPolicy, Level } from './policy';

type Limits = ComplaintPolicy['timeLimits'];

export function internalWorkingDays(limits: Limits, complex: boolean, level: Level): number {
  const byLevel = limits.internalWorkingDaysByLevel[level];
  const base = complex ? limits.internalWorkingDays.complex : limits.internalWorkingDays.general;
  return byLevel !== undefined ? Math.min(byLevel, base) : base;
}

function regulatoryDue(limits: Limits, clocks: Pick<TicketClocks, 'regulatoryStart' | 'regulatoryLimitDays' | 'pausedDays'>): string {
  const start = localDate(new Date(clocks.regulatoryStart), limits.timezone);
  return endOfLocalDay(addCalendarDays(start, clocks.regulatoryLimitDays + clocks.pausedDays), limits.timezone).toISOString();
}

export function startClocks(limits: Limits, receivedAt: Date, complex: boolean, level: Level, calendar: WorkingCalendar = currentCalendar()): TicketClocks {
  const days = internalWorkingDays(limits, complex, level);
  const received = localDate(receivedAt, limits.timezone);
  const base = { regulatoryStart: receivedAt.toISOString(), regulatoryLimitDays: limits.regulatoryCalendarDays, pausedDays: 0 };
  return {
    internalWorkingDays: days,
    internalDue: endOfLocalDay(addWorkingDays(received, days, calendar), limits.timezone).toISOString(),
    ...base,
    regulatoryDue: regulatoryDue(limits, base),
    extensions: [],
    pauses: [],
  };
}

/** New facts restart the regulatory clock from that day (and the internal target with it). */
export function restartClocks(limits: Limits, clocks: TicketClocks, at: Date, calendar: WorkingCalendar = currentCalendar()): TicketClocks {
  const received = localDate(at, limits.timezone);
  const next = { ...clocks, regulatoryStart: at.toISOString(), pausedDays: 0, pausedSince: undefined };
  return {
    ...next,
    internalDue: endOfLocalDay(addWorkingDays(received, clocks.internalWorkingDays, calendar), limits.timezone).toISOString(),
    regulatoryDue: regulatoryDue(limits, next),
  };
}

/** Extends the regulatory limit to the next step, with an approval and a reason the customer is told. */
export function extendClock(limits: Limits, clocks: TicketClocks, approvedBy: string, reason: string, at: Date): TicketClocks {
  const next = limits.extensions.find((e) => e.totalCalendarDays > clocks.regulatoryLimitDays);
  if (!next) throw new AppError('STATE_CONFLICT', 'No further extension is allowed', 409);
  if (!approvedBy.trim() || !reason.trim()) throw new AppError('TICKET_INVALID', 'An extension needs an approver and a reason', 400);
  const updated = {
    ...clocks,
    regulatoryLimitDays: next.totalCalendarDays,
    extensions: [...clocks.extensions, { totalDays: next.totalCalendarDays, approvedBy, reason, at: at.toISOString() }],
  };
  return { ...updated, regulatoryDue: regulatoryDue(limits, updated) };
}

/** Outside appraisal or testing stops the regulatory clock until it ends. */
export function pauseClock(clocks: TicketClocks, reason: string, at: Date): TicketClocks {
  if (clocks.pausedSince) throw new AppError('STATE_CONFLICT', 'The clock is already paused', 409);
  return { ...clocks, pausedSince: at.toISOString(), pauses: [...clocks.pauses, { from: at.toISOString(), reason }] };
}

export function resumeClock(limits: Limits, clocks: TicketClocks, at: Date): TicketClocks {
  if (!clocks.pausedSince) throw new AppError('STATE_CONFLICT', 'The clock is not paused', 409);
  const from = localDate(new Date(clocks.pausedSince), limits.timezone);
  const to = localDate(at, limits.timezone);
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
  const pauses = clocks.pauses.map((p, i) => (i === clocks.pauses.length - 1 ? { ...p, to: at.toISOString() } : p));
  const updated = { ...clocks, pausedSince: undefined, pausedDays: clocks.pausedDays + days, pauses };
  return { ...updated, regulatoryDue: regulatoryDue(limits, updated) };
}

/**
 * The date promised to the customer: the earlier of the two clocks — until the regulatory limit was extended
 * or paused for outside appraisal. Then the customer was told a new date (the extension's notice, the end of
 * the pause), and it is the regulatory one: the internal target has usually passed by then, and promising a
 * date already gone would tell them "by 26 November" on the 2nd of December.
 */
export function promisedDate(clocks: TicketClocks): string {
  if (clocks.extensions.length > 0 || clocks.pauses.length > 0) return clocks.regulatoryDue;
  return clocks.internalDue < clocks.regulatoryDue ? clocks.internalDue : clocks.regulatoryDue;
}

/** An appeal: a different handler answers within `appealAnswerCalendarDays` from today. */
export function appealClocks(limits: Limits, clocks: TicketClocks, at: Date): TicketClocks {
  const due = endOfLocalDay(addCalendarDays(localDate(at, limits.timezone), limits.appealAnswerCalendarDays), limits.timezone).toISOString();
  return { ...clocks, internalDue: due, regulatoryStart: at.toISOString(), regulatoryLimitDays: limits.appealAnswerCalendarDays, pausedDays: 0, pausedSince: undefined, regulatoryDue: due };
}
