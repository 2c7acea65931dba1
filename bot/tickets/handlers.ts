/**
 * Who handles a complaint, and the appeal rule (DOMAIN.md): "if they are still
 * unhappy within those 30 days, a different handler re-investigates". Pure
 * functions over the ticket; TicketService applies them inside its
 * read–change–write, so the check and the move are one atomic update.
 */
import { AppError } from '../errors';
import type { Ticket, TicketStatus } from './model';

/** Actors that move a ticket but are not people who handle it (model.ts audit `by`). */
const NOT_PEOPLE: ReadonlySet<string> = new Set(['customer', 'bot', 'system']);

/** The moves that make someone a handler: taking the complaint, starting work on it, answering it. */
const HANDLING_MOVES: readonly TicketStatus[] = ['assigned', 'in_progress', 'resolved'];

export const BEFORE_APPEAL_REASON = 'this person handled the complaint before the appeal';

/** Refusal of a move by (or to) someone barred by an appeal; the service records it in the audit trail. */
export class HandlerBarredError extends AppError {
  constructor(
    readonly person: string,
    readonly to: TicketStatus,
  ) {
    super('STATE_CONFLICT', `${person} may not take the complaint to "${to}": ${BEFORE_APPEAL_REASON}`, 409);
  }
}

export function isPerson(actor: string | undefined): actor is string {
  return actor !== undefined && actor !== '' && !NOT_PEOPLE.has(actor);
}

/** The one who handles after this move: for an assignment the assignee (the actor assigning themselves when none is named). */
function handlerOf(to: TicketStatus, by: string, assignee: string | undefined): string | undefined {
  if (!HANDLING_MOVES.includes(to)) return undefined;
  const person = to === 'assigned' ? (assignee ?? by) : by;
  return isPerson(person) ? person : undefined;
}

/**
 * Refuses a handling move by anyone who handled the complaint before its latest appeal:
 * neither as the one who would handle it, nor as the one handing it on (the earlier
 * handler does not choose who re-investigates their own answer).
 */
export function assertNotBarred(ticket: Ticket, to: TicketStatus, by: string, assignee?: string): void {
  if (!HANDLING_MOVES.includes(to)) return;
  for (const person of [handlerOf(to, by, assignee), by]) {
    if (person !== undefined && ticket.barredHandlers.includes(person)) throw new HandlerBarredError(person, to);
  }
}

/**
 * The handler and owner fields after a legal move. An appeal clears the owner (the
 * complaint goes back to its department's queue) and bars everyone who handled it so
 * far; a handling move adds its handler once, and an assignment or a start of work
 * names the owner.
 */
export function applyHandlers(ticket: Ticket, to: TicketStatus, by: string, assignee?: string): Pick<Ticket, 'handlers' | 'barredHandlers' | 'owner'> {
  if (to === 'reopened') {
    // `handlers` only grows, so it already holds everyone barred by an earlier appeal too.
    return { handlers: ticket.handlers, barredHandlers: [...ticket.handlers], owner: undefined };
  }
  const handler = handlerOf(to, by, assignee);
  const handlers = handler === undefined || ticket.handlers.includes(handler) ? ticket.handlers : [...ticket.handlers, handler];
  let owner = ticket.owner;
  if (to === 'assigned' && handler !== undefined) owner = handler;
  if (to === 'in_progress') owner = ticket.owner ?? handler;
  return { handlers, barredHandlers: ticket.barredHandlers, owner };
}

/** What the audit entry of a move records about people: the new owner (null when cleared) and, on an appeal, who is barred. */
export function handlerChanges(before: Ticket, after: Pick<Ticket, 'barredHandlers' | 'owner'>): Record<string, unknown> | undefined {
  const changes: Record<string, unknown> = {};
  if (after.owner !== before.owner) changes.owner = after.owner ?? null;
  if (after.barredHandlers.length !== before.barredHandlers.length) changes.barredHandlers = after.barredHandlers;
  return Object.keys(changes).length > 0 ? changes : undefined;
}
