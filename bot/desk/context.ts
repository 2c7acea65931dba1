/** What the desk's routes share, built once by `mountDesk`. */
import type { IncomingMessage } from 'node:http';
import type { Content } from '../content/loader';
import type { Translator } from '../content/i18n';
import type { HandoffService } from '../handoff/handoff-service';
import type { Logger } from '../log';
import type { AuditLog } from './audit';
import type { DeskEvents } from './events';
import type { Gate } from './http';
import type { LoginThrottle } from './login-throttle';
import type { DeskPolicy } from './policy';
import type { ReplyCheck } from './reply-check';
import type { DeskSessions } from './sessions';
import type { StaffDirectory } from './staff';
import type { DeskViews } from './views';

export interface DeskContext {
  logger: Logger;
  content: Content;
  translator: Translator;
  policy: DeskPolicy;
  handoff: HandoffService;
  staff: StaffDirectory;
  sessions: DeskSessions;
  throttle: LoginThrottle;
  audit: AuditLog;
  views: DeskViews;
  events: DeskEvents;
  replyCheck: ReplyCheck;
  gate: Gate;
  now: () => Date;
  /** The client's address (TRUST_PROXY-aware), for the login limits and the audit log. */
  addressOf: (req: IncomingMessage) => string;
}
