/**
 * The key steps of a complaint (DOMAIN.md): received → accepted → assigned →
 * in progress → resolved → closed, plus reopened (appeal), withdrawn, and
 * merged (a repeat of an earlier open complaint, which carries on: merge.ts).
 * Anything else is refused with STATE_CONFLICT.
 */
import { AppError } from '../errors';
import type { TicketStatus } from './model';

const ALLOWED: Record<TicketStatus, readonly TicketStatus[]> = {
  received: ['accepted', 'withdrawn', 'merged'],
  accepted: ['assigned', 'withdrawn', 'merged'],
  assigned: ['in_progress', 'assigned', 'withdrawn', 'merged'],
  in_progress: ['resolved', 'assigned', 'withdrawn', 'merged'],
  resolved: ['closed', 'reopened'],
  closed: ['reopened'],
  reopened: ['assigned', 'in_progress', 'withdrawn', 'merged'],
  withdrawn: [],
  merged: [],
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
