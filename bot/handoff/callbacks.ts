/**
 * "Talk to a person" before the staff desk exists: a call-back request, on the
 * customer's complaint when there is one, otherwise in the call-back queue
 * staff work from. The promised time counts working hours inside office hours
 * on Chinese working days (policy), so nobody is promised a call at midnight.
 */
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import { isWorkingDay, localDate, localTime, addCalendarDays } from '../tickets/calendar';
import type { ComplaintPolicy } from '../tickets/policy';
import type { TicketService } from '../tickets/service';
import { CallbackQueue, type CallbackItem } from './callback-queue';

type OfficeHours = ComplaintPolicy['officeHours'];

/** When a call-back requested at `now` is due: `callbackWithinWorkingHours` of office time later. */
export function callbackDueBy(now: Date, hours: OfficeHours): Date {
  let remaining = hours.callbackWithinWorkingHours * 3_600_000;
  let day = localDate(now, hours.timezone);
  let cursor = now;
  for (let guard = 0; guard < 60; guard++) {
    const open = localTime(day, hours.open, hours.timezone);
    const close = localTime(day, hours.close, hours.timezone);
    if (isWorkingDay(day) && cursor < close) {
      const start = cursor > open ? cursor : open;
      if (start.getTime() + remaining <= close.getTime()) return new Date(start.getTime() + remaining);
      remaining -= close.getTime() - start.getTime();
    }
    day = addCalendarDays(day, 1);
    cursor = localTime(day, hours.open, hours.timezone);
  }
  return cursor;
}

export interface CallbackRequest {
  channelId: string;
  customerId: string;
  phone: string;
  locale: string;
  ticketNumber?: string;
}

export class CallbackService {
  readonly queue: CallbackQueue;

  constructor(
    backend: StateBackend,
    keys: Keys,
    private readonly tickets: TicketService,
    private readonly hours: OfficeHours,
    private readonly now: () => Date = () => new Date(),
    firstTry?: (onTime: boolean) => void,
  ) {
    this.queue = new CallbackQueue(backend, keys, now, firstTry);
  }

  /** Records the request (on the complaint too, when there is one) and returns when the customer can expect the call. */
  async request(request: CallbackRequest): Promise<Date> {
    const due = callbackDueBy(this.now(), this.hours);
    if (request.ticketNumber) await this.tickets.requestCallback(request.ticketNumber, 'customer', due, request.phone);
    await this.queue.add({ ...request, dueBy: due });
    return due;
  }

  /** Call-backs no one has finished yet, soonest due first (the desk's queue: callback-queue.ts). */
  pending(): Promise<CallbackItem[]> {
    return this.queue.open();
  }
}
