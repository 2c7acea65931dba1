/** Customer notices: ticket changes become notices in the outbox, delivered by a node-cron tick on the channels. */
import type { Mounted, MountContext } from '../mount';
import type { TicketService } from '../tickets/service';
import { DeadLetters } from './dead-letters';
import { Outbox } from './outbox';
import { OutboxScheduler } from './scheduler';
import { TicketNotices } from './ticket-notices';

export interface NoticesFeature extends Mounted {
  outbox: Outbox;
  /** What the outbox gave up on, for supervisors to retry or close. */
  deadLetters: DeadLetters;
}

/** `schedule: false` leaves the every-minute tick off (tests that tick by hand and count what was sent). */
export function mountNotices(ctx: MountContext, tickets: TicketService, schedule = true): NoticesFeature {
  const policy = ctx.content.complaints;
  const outbox = new Outbox(ctx.backend, ctx.keys, ctx.channels, policy.notices, ctx.logger, ctx.now);
  const notices = new TicketNotices(outbox, ctx.translator, policy.timeLimits.timezone);
  tickets.onChange = (ticket, change) => notices.tell(ticket, change);
  const scheduler = new OutboxScheduler(outbox, policy.notices.tick, policy.notices.timezone, ctx.logger);
  return {
    outbox,
    deadLetters: new DeadLetters(ctx.backend, ctx.keys, outbox, ctx.now),
    start: () => {
      if (schedule) scheduler.start();
    },
    stop: () => scheduler.stop(),
  };
}
