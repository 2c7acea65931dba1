/**
 * The staff desk at /desk, served by the bot itself: staff accounts and
 * sessions in the store, the chat API, live events over SSE fed by the
 * handoff service's pub/sub (so any number of instances behind one Redis
 * serve one desk), and the page. See docs/desk.md.
 */
import { clientAddress } from '../http/client-address';
import type { HandoffService } from '../handoff/handoff-service';
import type { Mounted, MountContext } from '../mount';
import { AuditLog } from './audit';
import type { DeskContext } from './context';
import { DeskEvents } from './events';
import type { Gate } from './http';
import { LoginThrottle } from './login-throttle';
import { registerDeskPage } from './page';
import { ReplyCheck } from './reply-check';
import { registerAuthRoutes } from './routes-auth';
import { registerChatRoutes } from './routes-chats';
import { registerComplaintRoutes } from './routes-complaints';
import type { TicketService } from '../tickets/service';
import type { CallbackService } from '../handoff/callbacks';
import { registerCallbackRoutes } from './routes-callbacks';
import { registerDeadLetterRoutes } from './routes-dead-letters';
import type { DeadLetters } from '../notify/dead-letters';
import type { StaffAlerts } from '../notify/alerts';
import type { Surveys } from '../notify/survey';
import { registerAlertRoutes } from './routes-alerts';
import { DeskSessions } from './sessions';
import { StaffDirectory } from './staff';
import { DeskViews } from './views';

export interface DeskFeature extends Mounted {
  staff: StaffDirectory;
  audit: AuditLog;
  events: DeskEvents;
  /** Sign-in checks and the client address, for features with pages of their own in the desk (the console). */
  gate: Gate;
  addressOf: DeskContext['addressOf'];
}

export interface DeskOptions {
  /** How often an open desk renews presence and re-checks its session (default 15 s; presence lasts three beats). */
  heartbeatMs?: number;
  /** The complaints staff work on (absent: the desk has no complaint routes, as in the chat-only tests). */
  tickets?: TicketService;
  /** The call-back queue (absent: no call-back routes). */
  callbacks?: CallbackService;
  /** Notices the outbox gave up on (absent: no dead-letter routes). */
  deadLetters?: DeadLetters;
  /** The status schedule's reminders and escalations, and the survey figures (absent: no such routes). */
  alerts?: StaffAlerts;
  surveys?: Surveys;
}

export function mountDesk(ctx: MountContext, handoff: HandoffService, options: DeskOptions = {}): DeskFeature {
  const { config, backend, keys, logger, content, now } = ctx;
  const policy = content.desk;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const staff = new StaffDirectory(backend, keys, now);
  const sessions = new DeskSessions(backend, keys, staff, policy.session, now);
  const events = new DeskEvents(handoff, logger, {
    heartbeatMs,
    perAccount: 5,
    stillValid: async (s) => (await sessions.checkHash(s.tokenHash, false)).ok,
  });
  const d: DeskContext = {
    logger, content, policy, handoff, staff, sessions, events,
    translator: ctx.translator,
    throttle: new LoginThrottle(backend, keys, policy.login, logger, () => now().getTime()),
    audit: new AuditLog(backend, keys, policy.auditRetentionDays, content.complaints.timeLimits.timezone, now),
    views: new DeskViews(handoff, staff, ctx.translator, policy.canned, now),
    replyCheck: new ReplyCheck(content.servicePhrases, policy, ctx.translator),
    gate: { sessions, secure: config.PUBLIC_URL?.startsWith('https:') ?? false, publicUrl: config.PUBLIC_URL },
    now,
    addressOf: (req) => clientAddress(req, config.TRUST_PROXY),
  };
  registerAuthRoutes(ctx.server, d);
  registerChatRoutes(ctx.server, d);
  if (options.tickets) registerComplaintRoutes(ctx.server, d, options.tickets);
  if (options.tickets && options.callbacks) registerCallbackRoutes(ctx.server, d, options.callbacks, options.tickets);
  if (options.deadLetters) registerDeadLetterRoutes(ctx.server, d, options.deadLetters);
  if (options.alerts && options.surveys && options.tickets) registerAlertRoutes(ctx.server, d, options.alerts, options.surveys, options.tickets);
  registerDeskPage(ctx.server, d, heartbeatMs, {
    complaints: Boolean(options.tickets),
    callbacks: Boolean(options.tickets && options.callbacks),
    deadLetters: Boolean(options.deadLetters),
    alerts: Boolean(options.alerts && options.surveys && options.tickets),
  });
  return {
    staff,
    audit: d.audit,
    events,
    gate: d.gate,
    addressOf: d.addressOf,
    // Open streams would hold the server's close: end them first (the browsers reconnect to another instance).
    stop: () => events.stop(),
  };
}
