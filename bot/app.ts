/**
 * Composition root: the only module that knows every concrete class, kept a
 * table of contents. It builds the core (store, content, services, the bot and
 * the turn pipeline), then lists the channels and features, each mounted by
 * one function that wires it, and returns an App that can listen and shut
 * down gracefully.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ConversationState, UserState, type Middleware, type TurnContext } from 'botbuilder';
import type { Server } from 'restify';
import { emulatorEnabled, wechatOaEnabled, wecomAlertsEnabled, wecomKfEnabled, type Config } from './config';
import { createLogger, type Logger } from './log';
import { BotMetrics } from './metrics';
import { loadContent, type Content } from './content/loader';
import { createI18n, I18nTranslator, replaceTexts, type Translator } from './content/i18n';
import { createLiveContent, type LiveContent } from './content/live';
import type { SupportedLocale } from './content/schemas';
import { CommandRecognizer } from './content/commands';
import { IntentRecognizer } from './understanding/recognizer';
import type { StateBackend } from './store/backend';
import { openBackend } from './store/open-backend';
import { BackendStorage } from './store/bot-storage';
import { Keys } from './store/keys';
import { InboundDedupe } from './turn/inbound-dedupe';
import { TurnLock } from './turn/turn-lock';
import { UserStatePreferences } from './turn/preferences';
import { DedupeMiddleware, InFlightTurns, LocaleMiddleware, ObserveMiddleware, SerialiseMiddleware } from './turn/middleware';
import { createTurnErrorHandler } from './turn/turn-error';
import { PiiMiddleware } from './turn/pii-middleware';
import { SplitNumberGuard } from './privacy/split-number-guard';
import { ComplaintBot } from './turn/bot';
import { createServer } from './server';
import type { ProactiveChannel } from './channels';
import type { Mounted, MountContext } from './mount';
import { TicketService } from './tickets/service';
import { installCalendar, scheduleStatus } from './tickets/calendar';
import { ComplaintExtractor } from './intake/extract';
import { CallbackService } from './handoff/callbacks';
import { createHandoff } from './handoff/setup';
import type { HandoffService } from './handoff/handoff-service';
import { mountDesk, type DeskFeature } from './desk/mount';
import { mountConsole, type ConsoleFeature } from './console/mount';
import type { Outbox } from './notify/outbox';
import { createNotices, type NoticesFeature } from './notify/mount';
import { StaffEvents } from './notify/staff-events';
import { createFaq, type FaqFeature } from './faq/mount';
import { DayCounters } from './reports/day-counters';
import { ConversationCountMiddleware } from './reports/conversation-middleware';
import { buildRootFlow } from '../dialogs/root-flow';
import { mountWebChannel } from '../adapters/directline/mount';
import type { InboxSweeper } from '../adapters/directline/inbox-sweeper';
import { mountWeChatOa } from '../adapters/wechat-oa/mount';
import { mountWeComKf } from '../adapters/wecom-kf/mount';
import { mountWeComAlerts } from '../adapters/wecom-app/mount';
import { mountEmulator } from '../adapters/emulator/emulator';
import { mountSandbox, type SandboxChannel } from '../adapters/sandbox/mount';
import { MemoryBackend } from './store/memory-backend';
import type { SandboxChat } from './console/sandbox-chats';

export interface AppOptions {
  config: Config;
  logger?: Logger;
  /** Tests and benchmarks pass their own backend (a Redis with a per-run prefix). */
  backend?: StateBackend;
  /** The clock (tests move it forward to check silence and time limits). */
  now?: () => Date;
  /** Replaces the bot's turn logic (the benchmark's echo floor). The pipeline stays the same. */
  turnLogic?: (context: TurnContext) => Promise<void>;
  /** false: do not start the every-minute outbox tick (tests that tick by hand and count what was sent). */
  scheduler?: boolean;
  /** false: no staff desk at /desk (tests that mount their own, with test timings). */
  desk?: boolean;
  /** Content already loaded (the console's test chat runs a draft); default: CONTENT_DIR. */
  content?: Content;
  /** The console's test chat: no outside channels, an in-process one instead (adapters/sandbox). */
  sandbox?: boolean;
}

export interface App {
  config: Config;
  outbox: Outbox;
  /** Notices and the status schedule (runner, surveys, staff alerts). */
  notices: NoticesFeature;
  /** Re-drives accepted web messages whose turn did not run (tests call `sweep` directly). */
  inboxSweeper: InboxSweeper;
  tickets: TicketService;
  callbacks: CallbackService;
  handoff: HandoffService;
  /** The FAQ: its knowledge base, figures and reload. */
  faq: FaqFeature;
  /** The staff desk at /desk (absent when the options turned it off). */
  desk?: DeskFeature;
  /** The supervisors' console in the desk: content tuning, reports, the surge watch (absent without the desk). */
  console?: ConsoleFeature;
  /** The day's figures of the front door, for the reports. */
  counters: DayCounters;
  /** The test chat's channel, in a sandbox app only. */
  sandbox?: SandboxChannel;
  /** Channels that can deliver notifications proactively (for the scheduler), by channel id. */
  channels: Map<string, ProactiveChannel>;
  server: Server;
  backend: StateBackend;
  keys: Keys;
  logger: Logger;
  metrics: BotMetrics;
  content: Content;
  /** The content version in use and its history (the supervisor console publishes). */
  liveContent: LiveContent;
  translator: Translator;
  directLineSecret: string;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, hashKey: config.LOG_HASH_KEY });
  const content = options.content ?? loadContent(config.CONTENT_DIR);
  const backend = options.backend ?? openBackend(config, logger);
  const keys = new Keys(config.REDIS_KEY_PREFIX);
  const metrics = new BotMetrics({ defaultMetrics: !options.backend });

  // State
  const storage = new BackendStorage(backend, keys, { ttlMs: config.STATE_TTL_DAYS * 86_400_000 });
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const preferences = new UserStatePreferences(userState);

  // Content and the bot
  const i18n = createI18n(content);
  const translator = new I18nTranslator(i18n);
  const commands = new CommandRecognizer(content.commands);
  const policy = content.complaints;
  const now = options.now ?? (() => new Date());
  // Working days follow the policy's published schedules; the log and /readyz say when this or next year has none.
  // The calendar is one per process: a sandbox (the console's test chat) uses the real one, never its draft's.
  const useCalendar = () => (options.sandbox ? () => scheduleStatus(now(), policy.timeLimits.timezone) : installCalendar(policy.calendar, policy.timeLimits.timezone, now, logger));
  let calendarStatus = useCalendar();
  const tickets = new TicketService(backend, keys, policy, now);
  // The day's figures of the front door (conversations, hand-offs, waits, FAQ outcomes, call-backs) for the reports.
  const counters = new DayCounters(backend, keys, policy.timeLimits.timezone, now, logger);
  const callbacks = new CallbackService(backend, keys, tickets, policy.officeHours, now, (onTime) => {
    counters.add('callbacks.called');
    if (onTime) counters.add('callbacks.onTime');
  });
  // The knowledge base answers questions at the menu and in the middle of a task (reloaded with the content, no restart);
  // the recognizer asks it whether a short message is a question it surely answers.
  const faq = createFaq({ content, i18n, translator, backend, keys, metrics, logger, now, counters, folderIsLive: () => liveContent.version === 0 });
  // Channels register themselves when they mount (below); the handoff reaches customers through them.
  const channels = new Map<string, ProactiveChannel>();
  // What staff should hear of at once (urgent chats, a growing queue, dates near or missed); WeCom alerts subscribe.
  const staffEvents = new StaffEvents(logger);
  // A chat handed back by staff shows the menu at once (the root flow, built next, knows its labels).
  const menuChoices = (locale: SupportedLocale) => rootFlow.menuLabels(locale);
  const handoff = createHandoff({ config, backend, keys, translator, commands, policy, channels, metrics, triage: content.triage, triageWeights: content.triageWeights, now, menuChoices, staffEvents, counters });
  // The dialogs are built from content: a published content version rebuilds them (a conversation's saved state
  // names dialogs and steps, which stay the same, so a customer mid-dialog carries on).
  const buildDialogs = () => {
    const rootFlow = buildRootFlow({ translator, commands, preferences, policy, tickets, extractor: new ComplaintExtractor(policy), callbacks, recognizer: new IntentRecognizer(content.intents, content.commands, faq.knowledge), live: handoff.service, knowledge: faq.knowledge, now });
    return { rootFlow, bot: new ComplaintBot({ conversationState, userState, rootFlow, translator, maxTextChars: config.MAX_TEXT_CHARS }) };
  };
  let { rootFlow, bot } = buildDialogs();
  const turnLogic = options.turnLogic ?? ((context: TurnContext) => bot.run(context));
  // What supervisors publish in the console reaches every instance within seconds, without a restart.
  const liveContent = createLiveContent({ content, dir: config.CONTENT_DIR, backend, keys, logger, now });
  liveContent.onChange((c) => {
    replaceTexts(i18n, c);
    commands.reload(c.commands);
    faq.knowledge.replace(c.faq);
    handoff.retune(c.triage, c.triageWeights);
    calendarStatus = useCalendar();
    ({ rootFlow, bot } = buildDialogs());
  });
  await liveContent.catchUp();

  // The turn pipeline every channel shares
  const inFlight = new InFlightTurns();
  const piiWindowMs = config.PII_SPLIT_WINDOW_SECONDS * 1000;
  const turnLock = new TurnLock(backend, keys, { ttlMs: config.TURN_LOCK_TTL_MS });
  // Notices and the status schedule: their turn middleware gives held notices and takes survey answers.
  const notices = createNotices({ backend, keys, content, translator, channels, logger, now, tickets, tick: options.scheduler !== false, staffEvents });
  const middleware: Middleware[] = [
    new ObserveMiddleware(logger, metrics, inFlight),
    new DedupeMiddleware(new InboundDedupe(backend, keys, config.DEDUPE_TTL_SECONDS * 1000), metrics),
    new ConversationCountMiddleware(counters),
    new SerialiseMiddleware(turnLock),
    // After the lock (the split-number guard needs a conversation's messages in order), before anything reads the text.
    new PiiMiddleware(new SplitNumberGuard(backend, keys, { ttlMs: piiWindowMs, scope: 'turn' })),
    new LocaleMiddleware([conversationState, userState], preferences),
    ...notices.middleware,
    // With a person: the customer's messages go to the desk, not to the dialogs; triage may send them there.
    ...handoff.middleware,
  ];
  const onTurnError = createTurnErrorHandler(translator, logger);

  let shuttingDown = false;
  const background = new Set<Promise<void>>();
  const runInBackground = (work: () => Promise<void>) => {
    const p = work()
      .catch((error: unknown) => logger.error({ err: error }, 'background turn failed'))
      .finally(() => background.delete(p));
    background.add(p);
  };

  const instanceId = randomBytes(6).toString('hex');
  const server = createServer({
    logger,
    metrics,
    isShuttingDown: () => shuttingDown,
    checks: {
      // Reads and writes (a short-lived key of this instance): PING alone passes on a Redis refusing writes.
      store: () => backend.healthy(keys.health(instanceId)),
      content: async () => content.namespaces.length > 0,
    },
    details: () => ({ calendar: calendarStatus() }),
    connections: {
      headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
      maxConnections: config.MAX_CONNECTIONS, perAddress: config.MAX_CONNECTIONS_PER_ADDRESS, trustProxy: config.TRUST_PROXY,
    },
  });

  // Channels and features: each mounts itself from the same context.
  const ctx: MountContext = {
    config, logger, backend, keys, server, content, translator, now, turnLogic, middleware, onTurnError, turnLock, runInBackground, channels, staffEvents,
  };
  const web = mountWebChannel(ctx);
  const desk = options.desk === false ? undefined : mountDesk(ctx, handoff.service, { tickets, callbacks, deadLetters: notices.deadLetters, alerts: notices.alerts, surveys: notices.surveys });
  const supervisorConsole = desk ? mountConsole(ctx, desk, liveContent, { counters, faqStats: faq.stats, callbacks: callbacks.queue }, (draft) => openSandbox(options, logger, draft)) : undefined;
  const sandbox = options.sandbox ? mountSandbox(ctx) : undefined;
  const mounted: Mounted[] = [
    liveContent,
    faq,
    web,
    notices,
    ...(desk && supervisorConsole ? [desk, supervisorConsole] : []),
    { drained: () => counters.drained() },
    ...(sandbox ? [sandbox] : outsideChannels(ctx)),
  ];
  const { outbox } = notices;
  const { directLineSecret, inboxSweeper } = web;

  return {
    config, outbox, notices, inboxSweeper, tickets, callbacks, handoff: handoff.service, faq, desk, console: supervisorConsole, counters, sandbox, channels, server, backend, keys, logger, metrics, content, liveContent, translator, directLineSecret,
    listen(port = config.PORT, host = config.HOST) {
      return new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => {
          for (const m of mounted) m.start?.();
          const address = server.server.address() as AddressInfo;
          resolve(`http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`);
        });
      });
    },
    async close() {
      // Stop taking work, let running turns finish (their replies are stored), then let go of Redis.
      shuttingDown = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(mounted.map((m) => m.stop?.()));
      const drainedInTime = await Promise.race([
        Promise.all([...background, ...mounted.map((m) => m.drained?.())]).then(() => inFlight.drained(config.SHUTDOWN_GRACE_MS)),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), config.SHUTDOWN_GRACE_MS).unref()),
      ]);
      if (!drainedInTime) logger.warn({ inFlight: inFlight.size }, 'shutdown grace period over with turns still running');
      server.server.closeAllConnections?.();
      await closed;
      if (!options.backend) await backend.close();
    },
  };
}

/** The channels customers reach from outside, each when configured. */
function outsideChannels(ctx: MountContext): Mounted[] {
  const { config } = ctx;
  return [
    ...(wechatOaEnabled(config) ? [mountWeChatOa(ctx)] : []),
    ...(wecomKfEnabled(config) ? [mountWeComKf(ctx)] : []),
    ...(wecomAlertsEnabled(config) ? [mountWeComAlerts(ctx)] : []),
    ...(emulatorEnabled(config) ? [mountEmulator(ctx)] : []),
  ];
}

/** The console's test chat: this same app on an in-memory store, with a draft's content and no outside channels. */
async function openSandbox(options: AppOptions, logger: Logger, draft: Content): Promise<SandboxChat> {
  const app = await createApp({ config: options.config, now: options.now, backend: new MemoryBackend(), content: draft, desk: false, scheduler: false, sandbox: true, logger: logger.child({ sandbox: true }) });
  return { say: (conversationId, customerId, locale, text) => app.sandbox!.adapter.say(conversationId, customerId, locale, text), close: () => app.close() };
}

