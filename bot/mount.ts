/**
 * What a channel or feature receives when it mounts itself, and what it gives
 * back for the app's lifecycle. Each channel has one mount function (in its own
 * adapter folder) that wires it from this context; `bot/app.ts` only lists them.
 */
import type { Middleware, TurnContext } from 'botbuilder';
import type { Server } from 'restify';
import type { Config } from './config';
import type { Logger } from './log';
import type { Content } from './content/loader';
import type { Translator } from './content/i18n';
import type { StateBackend } from './store/backend';
import type { Keys } from './store/keys';
import type { ProactiveChannel } from './channels';
import type { TurnLock } from './turn/turn-lock';
import type { StaffEvents } from './notify/staff-events';

export interface MountContext {
  config: Config;
  logger: Logger;
  backend: StateBackend;
  keys: Keys;
  server: Server;
  content: Content;
  translator: Translator;
  now: () => Date;
  /** The bot: runs one turn. */
  turnLogic: (context: TurnContext) => Promise<void>;
  /** The pipeline every channel runs before the bot (observe, dedupe, lock, privacy, locale). */
  middleware: Middleware[];
  onTurnError: (context: TurnContext, error: Error) => Promise<void>;
  /** The conversation lock the pipeline uses (a channel that serialises by itself takes the same one). */
  turnLock: TurnLock;
  /** Work that outlives the HTTP answer; shutdown waits for it. */
  runInBackground: (work: () => Promise<void>) => void;
  /** Channels that can reach a customer proactively, by channel id: a channel adds itself. */
  channels: Map<string, ProactiveChannel>;
  /** Events staff should hear of at once; a sink (WeCom alerts) subscribes. */
  staffEvents: StaffEvents;
}

/** A mounted channel or feature, as the app's lifecycle sees it. */
export interface Mounted {
  /** Once the server listens: start schedules. */
  start?(): void;
  /** Shutdown begins: stop schedules and long-lived connections. */
  stop?(): Promise<void>;
  /** Resolves when the work it started has finished (graceful shutdown waits for it). */
  drained?(): Promise<void>;
}
