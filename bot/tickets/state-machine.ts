/**
 * The key steps of a complaint (DOMAIN.md): received → accepted → assigned →
 * in progress → resolved → closed, plus reopened (appeal) and withdrawn.
 * Anything else is refused with STATE_CONFLICT.
 */
import { AppError } from '../errors';
import type { TicketStatus } from './model';

const ALLOWED: Record<TicketStatus, readonly TicketStatus[]> = {
  received: ['accepted', 'withdrawn'],
  accepted: ['assigned', 'withdrawn'],
  assigned: ['in_progress', 'assigned', 'withdrawn'],
  in_progress: ['resolved', 'assigned', 'withdrawn'],
  resolved: ['closed', 'reopened'],
  closed: ['reopened'],
  reopened: ['assigned', 'in_progress', 'withdrawn'],
  withdrawn: [],
};

export const OPEN_STATUSES: readonly TicketStatus[] = ['received', 'accepted', 'assigned', 'in_progress', 'reopened'];

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return ALLOWED[from].includes(to);
}

export function assertTransition(from: TicketStatus, to: TicketStatus): void {
  if (!canTransition(from, to)) {
    throw new AppError('STATE_CONFLICT', `A complaint that is "${from}" cannot become "${to}"`, 409);
  }
}
