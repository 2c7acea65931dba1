/**
 * Customer notices and the status schedule (issue 13): ticket changes become notices in the outbox; the
 * schedule plans progress updates, the survey, the automatic close and staff reminders for every complaint;
 * one node-cron tick runs the schedule, then delivers. Built before the turn pipeline (createNotices), since two
 * of its parts run at the start of every turn: held notices are given, and survey answers are taken.
 */
import type { Middleware } from 'botbuilder';
import type { Translator } from '../content/i18n';
import type { Content } from '../content/loader';
import type { Logger } from '../log';
import type { Mounted } from '../mount';
import type { ProactiveChannel } from '../channels';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import type { TicketService } from '../tickets/service';
import { StaffAlerts } from './alerts';
import type { StaffEvents } from './staff-events';
import { DeadLetters } from './dead-letters';
import { Outbox } from './outbox';
import { StatusSchedule } from './schedule';
import { ScheduleRunner } from './schedule-runner';
import { OutboxScheduler } from './scheduler';
import { Surveys } from './survey';
import { TicketNotices } from './ticket-notices';
import { HeldNoticesMiddleware, SurveyMiddleware } from './turn-middleware';

export interface NoticesFeature extends Mounted {
  outbox: Outbox;
  /** What the outbox gave up on, for supervisors to retry or close. */
  deadLetters: DeadLetters;
  /** The status schedule: re-planned after every ticket write, run by the tick. */
  schedule: ScheduleRunner;
  surveys: Surveys;
  alerts: StaffAlerts;
  /** For the turn pipeline, after the turn lock: held notices first, then survey answers. */
  middleware: Middleware[];
}

export interface NoticesDeps {
  backend: StateBackend;
  keys: Keys;
  content: Content;
  translator: Translator;
  channels: Map<string, ProactiveChannel>;
  logger: Logger;
  now: () => Date;
  tickets: TicketService;
  /** false: the every-minute tick stays off (tests that tick by hand and count what was sent). */
  tick?: boolean;
  /** Where reminders and escalations are told once recorded (staff alerts in WeCom). */
  staffEvents?: StaffEvents;
}

export function createNotices(d: NoticesDeps): NoticesFeature {
  const policy = d.content.complaints;
  const outbox = new Outbox(d.backend, d.keys, d.channels, policy.notices, d.logger, d.now);
  const notices = new TicketNotices(outbox, d.translator, policy.timeLimits.timezone, policy.timeLimits.reopenWithinCalendarDays);
  const surveys = new Surveys(d.backend, d.keys, d.tickets, policy.timeLimits.timezone, d.now);
  const alerts = new StaffAlerts(d.backend, d.keys, d.staffEvents);
  const schedule = new ScheduleRunner({ schedule: new StatusSchedule(d.backend, d.keys), tickets: d.tickets, outbox, surveys, alerts, translator: d.translator, policy, logger: d.logger, now: d.now });
  d.tickets.onChange = (ticket, change) => notices.tell(ticket, change);
  d.tickets.onWrite = (ticket) =>
    schedule.replan(ticket).catch((error: unknown) => d.logger.error({ err: error, number: ticket.number }, 'status schedule not re-planned after a write'));
  const scheduler = new OutboxScheduler(outbox, policy.notices.tick, policy.notices.timezone, d.logger, () => schedule.tick());
  return {
    outbox,
    deadLetters: new DeadLetters(d.backend, d.keys, outbox, d.now),
    schedule,
    surveys,
    alerts,
    middleware: [new HeldNoticesMiddleware(outbox.held, d.translator, d.logger), new SurveyMiddleware(surveys, d.translator, d.logger)],
    start: () => {
      if (d.tick !== false) scheduler.start();
    },
    stop: () => scheduler.stop(),
  };
}
