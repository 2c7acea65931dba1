/**
 * What the desk shows of a complaint, and to whom (issue 12): the team scope
 * (an agent sees their teams' complaints, a supervisor every team's), recusal
 * (a complaint that names a staff member is never shown to that person — the
 * API answers 404, not 403, so it does not even confirm that it exists), and
 * masking (the phone as its last four digits, the channel identity not at all).
 */
import { localDate } from '../tickets/calendar';
import { promisedDate } from '../tickets/clocks';
import type { Ticket, TicketStatus } from '../tickets/model';
import { canTransition } from '../tickets/state-machine';
import type { StaffUser } from './staff';

/** Moves an agent may make; the rest are a supervisor's (withdrawal is only ever the customer's). */
export const AGENT_MOVES: readonly TicketStatus[] = ['accepted', 'assigned', 'in_progress', 'resolved'];
const DESK_MOVES: readonly TicketStatus[] = ['accepted', 'assigned', 'in_progress', 'resolved', 'closed', 'reopened'];

/** The one way a staff member is named on a ticket (model.ts audit `by`, handlers, owner). */
export const staffId = (username: string) => `staff:${username}`;

export interface ComplaintSummary {
  number: string;
  status: Ticket['status'];
  level: Ticket['level'];
  category: string;
  department: string;
  channel: string;
  /** The date promised to the customer (the earlier clock), ISO, and as a local day. */
  promised: string;
  promisedDay: string;
  overdue: boolean;
  dueToday: boolean;
  owner?: string;
  phoneTail?: string;
  createdAt: string;
  version: string;
  /** It names someone of its own team: a supervisor must move it (teamConflict). */
  teamConflict: boolean;
}

export function teamsOf(user: StaffUser, all: string[]): string[] {
  return user.role === 'supervisor' ? all : user.teams.filter((t) => all.includes(t));
}

/** The complaint names this staff member (by shown name or account): they must not see or handle it. */
export function recused(ticket: Ticket, user: StaffUser): boolean {
  const named = ticket.details.staff?.toLowerCase();
  if (!named) return false;
  return [user.name, user.username].some((n) => n.length >= 2 && named.includes(n.toLowerCase()));
}

/** The teams of the staff members a complaint names (DOMAIN.md: never handled by the people it is about). */
export function namedTeams(ticket: Ticket, staff: readonly StaffUser[]): string[] {
  return [...new Set(staff.filter((u) => recused(ticket, u)).flatMap((u) => u.teams))];
}

/** The complaint sits with the team of someone it names: it must move to another team before anyone handles it. */
export function teamConflict(ticket: Ticket, staff: readonly StaffUser[]): boolean {
  return namedTeams(ticket, staff).includes(ticket.department);
}

/**
 * Whether this staff member may see the complaint: their team's (a supervisor: any team's), not naming them,
 * and — when it names a colleague of its own team — only supervisors, who move it (`staff`: every account).
 */
export function visibleTo(ticket: Ticket, user: StaffUser, allTeams: string[], staff: readonly StaffUser[] = []): boolean {
  if (!teamsOf(user, allTeams).includes(ticket.department) || recused(ticket, user)) return false;
  return user.role === 'supervisor' || !teamConflict(ticket, staff);
}

export function phoneTail(phone: string | undefined): string | undefined {
  const digits = phone?.replace(/\D/g, '') ?? '';
  return digits.length >= 4 ? digits.slice(-4) : undefined;
}

export function summaryOf(t: Ticket, now: Date, timeZone: string, staff: readonly StaffUser[] = []): ComplaintSummary {
  const promised = promisedDate(t.clocks);
  const promisedDay = localDate(new Date(promised), timeZone);
  const today = localDate(now, timeZone);
  return {
    number: t.number,
    status: t.status,
    level: t.level,
    category: t.details.category,
    department: t.department,
    channel: t.customer.channelId,
    promised,
    promisedDay,
    overdue: Date.parse(promised) < now.getTime(),
    dueToday: promisedDay === today,
    ...(t.owner ? { owner: t.owner } : {}),
    ...(phoneTail(t.customer.phone) ? { phoneTail: phoneTail(t.customer.phone) } : {}),
    createdAt: t.createdAt,
    version: t.updatedAt,
    teamConflict: teamConflict(t, staff),
  };
}

/** The record for the complaint page: everything staff need, the customer's identity masked. */
export function detailOf(t: Ticket, now: Date, timeZone: string, staff: readonly StaffUser[] = []) {
  const { customer, conversationRef: _ref, ...rest } = t;
  const tail = phoneTail(customer.phone);
  return {
    ...summaryOf(t, now, timeZone, staff),
    ticket: {
      ...rest,
      customer: { channelId: customer.channelId, anonymous: customer.anonymous, locale: customer.locale, ...(customer.name ? { name: customer.name } : {}), ...(tail ? { phone: `*******${tail}` } : {}) },
    },
  };
}

/**
 * The steps this staff member may take on the complaint now, for the page's buttons (the API checks each
 * again): what the state machine allows, by role, and nothing that would make a barred handler handle it.
 */
export function movesFor(t: Ticket, user: StaffUser): TicketStatus[] {
  const me = staffId(user.username);
  const barred = t.barredHandlers.includes(me);
  return DESK_MOVES.filter((to) => canTransition(t.status, to))
    .filter((to) => user.role === 'supervisor' || AGENT_MOVES.includes(to))
    .filter((to) => !(barred && (to === 'assigned' || to === 'in_progress' || to === 'resolved')))
    // An agent's "assigned" is taking it: pointless for the owner. (A supervisor's is assigning: to anyone.)
    .filter((to) => !(to === 'assigned' && user.role !== 'supervisor' && t.owner === me));
}

/** Who may see the customer's full phone number and name: the complaint's owner, and supervisors (audited either way). */
export function mayReveal(t: Ticket, user: StaffUser): boolean {
  return user.role === 'supervisor' || t.owner === staffId(user.username);
}
