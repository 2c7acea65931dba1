/**
 * Composition root: the only module that knows every concrete class. It builds
 * the store, content, turn pipeline, dialogs and channels, and returns an App
 * that can listen and shut down gracefully.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { ConversationState, UserState, type Middleware, type TurnContext } from 'botbuilder';
import type { Server } from 'restify';
import { emulatorEnabled, wechatOaEnabled, type Config } from './config';
import { createLogger, type Logger } from './log';
import { BotMetrics } from './metrics';
import { loadContent, type Content } from './content/loader';
import { createI18n, I18nTranslator, type Translator } from './content/i18n';
import { CommandRecognizer } from './content/commands';
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
import { MainFlow } from '../dialogs/main-dialog';
import { IntakeDialog, INTAKE_DIALOG } from '../dialogs/intake/intake-dialog';
import { IntakeSubmitter } from '../dialogs/intake/submit';
import { ProgressDialog, PROGRESS_DIALOG, TICKET_NUMBER } from '../dialogs/progress-dialog';
import { WithdrawDialog, WITHDRAW_DIALOG } from '../dialogs/withdraw-dialog';
import { PersonDialog, PERSON_DIALOG } from '../dialogs/person-dialog';
import { EvidenceDialog, EVIDENCE_DIALOG } from '../dialogs/evidence-dialog';
import { AppealDialog, APPEAL_DIALOG } from '../dialogs/appeal-dialog';
import { AnswerWords } from '../dialogs/words';
import { TicketService } from './tickets/service';
import { installCalendar } from './tickets/calendar';
import { ComplaintExtractor } from './intake/extract';
import { CallbackService } from './handoff/callbacks';
import { TicketNotices } from './notify/ticket-notices';
import { Outbox } from './notify/outbox';
import { OutboxScheduler } from './notify/scheduler';
import { DirectLineTokens } from '../adapters/directline/tokens';
import { ConversationHistory } from '../adapters/directline/history';
import { DirectLineAdapter } from '../adapters/directline/adapter';
import { registerDirectLineRoutes } from '../adapters/directline/routes';
import { DirectLineStreams } from '../adapters/directline/stream';
import { DirectLineAuth } from '../adapters/directline/auth';
import { CredentialThrottle } from '../adapters/directline/auth-throttle';
import { clientAddress } from './http/client-address';
import { DirectLineInbox } from '../adapters/directline/inbox';
import { InboxSweeper } from '../adapters/directline/inbox-sweeper';
import { registerWebChatPage } from '../adapters/directline/webchat-page';
import { registerEmulatorEndpoint } from '../adapters/emulator/emulator';
import { WeChatVerifier } from '../adapters/wechat-oa/verify';
import { WeChatApiClient } from '../adapters/wechat-oa/client';
import { ServiceWindow } from '../adapters/wechat-oa/service-window';
import { WeChatOaAdapter } from '../adapters/wechat-oa/adapter';
import { registerWeChatOaRoutes } from '../adapters/wechat-oa/routes';

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
}

export interface App {
  config: Config;
  outbox: Outbox;
  /** Re-drives accepted web messages whose turn did not run (tests call `sweep` directly). */
  inboxSweeper: InboxSweeper;
  tickets: TicketService;
  callbacks: CallbackService;
  /** Channels that can deliver notifications proactively (for the scheduler), by channel id. */
  channels: Map<string, ProactiveChannel>;
  server: Server;
  backend: StateBackend;
  keys: Keys;
  logger: Logger;
  metrics: BotMetrics;
  content: Content;
  translator: Translator;
  directLineSecret: string;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, hashKey: config.LOG_HASH_KEY });
  const content = loadContent(config.CONTENT_DIR);
  const backend = options.backend ?? openBackend(config, logger);
  const keys = new Keys(config.REDIS_KEY_PREFIX);
  const metrics = new BotMetrics({ defaultMetrics: !options.backend });

  // State
  const storage = new BackendStorage(backend, keys, { ttlMs: config.STATE_TTL_DAYS * 86_400_000 });
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const preferences = new UserStatePreferences(userState);

  // Content and the bot
  const translator = new I18nTranslator(createI18n(content));
  const commands = new CommandRecognizer(content.commands);
  const policy = content.complaints;
  const now = options.now ?? (() => new Date());
  // Working days follow the policy's published schedules; the log and /readyz say when this or next year has none.
  const calendarStatus = installCalendar(policy.calendar, policy.timeLimits.timezone, now, logger);
  const tickets = new TicketService(backend, keys, policy, now);
  const extractor = new ComplaintExtractor(policy);
  const callbacks = new CallbackService(backend, keys, tickets, policy.officeHours, now);
  const words = new AnswerWords(policy.intake.words);
  const submitter = new IntakeSubmitter(tickets, translator, policy, preferences);
  const complaintWords = policy.intake.words.complaint.map((w) => w.toLowerCase());
  const appealWords = policy.intake.words.appeal.map((w) => w.toLowerCase());
  const rootFlow = new MainFlow({
    translator, commands, preferences,
    features: [
      { entry: { id: 'complaint', labelKey: 'menu.complaint', dialogId: INTAKE_DIALOG }, dialog: new IntakeDialog({ translator, extractor, policy, submitter, preferences, now }) },
      { entry: { id: 'progress', labelKey: 'menu.progress', dialogId: PROGRESS_DIALOG }, dialog: new ProgressDialog(tickets, translator, policy) },
      { entry: { id: 'withdraw', labelKey: 'menu.withdraw', dialogId: WITHDRAW_DIALOG }, dialog: new WithdrawDialog(tickets, translator, words) },
      { entry: { id: 'person', labelKey: 'menu.person', dialogId: PERSON_DIALOG }, dialog: new PersonDialog(callbacks, tickets, preferences, translator, policy) },
    ],
    extraDialogs: [new EvidenceDialog(tickets, translator, INTAKE_DIALOG), new AppealDialog(tickets, translator, policy, now)],
    appealDialogId: APPEAL_DIALOG,
    storyDialogId: INTAKE_DIALOG,
    evidenceDialogId: EVIDENCE_DIALOG,
    ticketDialogId: PROGRESS_DIALOG,
    personDialogId: PERSON_DIALOG,
    understanding: {
      ticketNumber: TICKET_NUMBER,
      isAppeal: (text) => appealWords.some((w) => text.toLowerCase().includes(w)),
      // A message that says it is a complaint, names a category, or gives a longer account starts the intake.
      isComplaintStory: (text) =>
        complaintWords.some((w) => text.toLowerCase().includes(w)) ||
        extractor.category(text) !== undefined ||
        [...text].length >= 15,
    },
  });
  const bot = new ComplaintBot({ conversationState, userState, rootFlow, translator, maxTextChars: config.MAX_TEXT_CHARS });
  const turnLogic = options.turnLogic ?? ((context: TurnContext) => bot.run(context));

  // The turn pipeline every channel shares
  const inFlight = new InFlightTurns();
  const piiWindowMs = config.PII_SPLIT_WINDOW_SECONDS * 1000;
  const turnLock = new TurnLock(backend, keys, { ttlMs: config.TURN_LOCK_TTL_MS });
  const middleware: Middleware[] = [
    new ObserveMiddleware(logger, metrics, inFlight),
    new DedupeMiddleware(new InboundDedupe(backend, keys, config.DEDUPE_TTL_SECONDS * 1000), metrics),
    new SerialiseMiddleware(turnLock),
    // After the lock (the split-number guard needs a conversation's messages in order), before anything reads the text.
    new PiiMiddleware(new SplitNumberGuard(backend, keys, { ttlMs: piiWindowMs, scope: 'turn' })),
    new LocaleMiddleware([conversationState, userState], preferences),
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
  });

  // Channels that can reach a customer proactively (status notices), by channel id.
  const channels = new Map<string, ProactiveChannel>();

  // Web channel: Direct Line in our own process, and the chat page
  const directLineSecret = config.DIRECT_LINE_SECRET ?? randomBytes(32).toString('base64url');
  if (!config.DIRECT_LINE_SECRET) logger.warn('DIRECT_LINE_SECRET is not set: using a random secret for this run only');
  const tokens = new DirectLineTokens(directLineSecret, config.DIRECT_LINE_TOKEN_TTL_SECONDS);
  const history = new ConversationHistory(backend, keys, config.DIRECT_LINE_HISTORY_TTL_SECONDS * 1000);
  const directLine = new DirectLineAdapter(history, turnLogic);
  const inbox = new DirectLineInbox({
    history, backend, keys, logger,
    lock: turnLock,
    deliver: (activity, alreadyAnswered) => directLine.receiveFromInbox(activity, alreadyAnswered),
    maxAttempts: config.INBOX_MAX_ATTEMPTS,
    ttlMs: config.DIRECT_LINE_HISTORY_TTL_SECONDS * 1000,
  });
  const inboxSweeper = new InboxSweeper(inbox, backend, keys, {
    expression: `*/${config.INBOX_SWEEP_SECONDS} * * * * *`, graceMs: config.INBOX_REDRIVE_AFTER_MS, batch: 100,
  }, logger);
  channels.set(directLine.channelId, directLine);
  const outbox = new Outbox(backend, keys, channels, policy.notices, logger, now);
  const notices = new TicketNotices(outbox, translator, policy.timeLimits.timezone);
  tickets.onChange = (ticket, change) => notices.tell(ticket, change);
  const scheduler = new OutboxScheduler(outbox, policy.notices.tick, policy.notices.timezone, logger);
  for (const m of middleware) directLine.use(m);
  directLine.onTurnError = onTurnError;
  // Client addresses (X-Forwarded-For only through TRUST_PROXY proxies) and throttling of wrong credentials.
  const addressOf = (req: IncomingMessage) => clientAddress(req, config.TRUST_PROXY);
  const throttle = new CredentialThrottle({ backend, keys, failuresPerMinute: config.DIRECT_LINE_AUTH_FAILURES_PER_MINUTE, logger });
  const directLineAuth = new DirectLineAuth({ tokens, addressOf, throttle });
  registerDirectLineRoutes(server, {
    tokens, history, adapter: directLine, inbox, logger, runInBackground,
    piiGuard: new SplitNumberGuard(backend, keys, { ttlMs: piiWindowMs, scope: 'inbox' }),
    maxActivityBytes: config.MAX_ACTIVITY_BYTES,
    publicUrl: config.PUBLIC_URL,
    auth: directLineAuth,
  });
  const streams = new DirectLineStreams({
    auth: directLineAuth, history, logger, addressOf, maxPayloadBytes: config.DIRECT_LINE_STREAM_MAX_PAYLOAD_BYTES,
    streamsPerConversation: config.DIRECT_LINE_STREAMS_PER_CONVERSATION, streamsPerAddress: config.DIRECT_LINE_STREAMS_PER_ADDRESS,
  });
  streams.attach(server.server);
  registerWebChatPage(server, {
    translator, tokens, backend, keys, logger, tokensPerMinute: config.WEBCHAT_TOKENS_PER_MINUTE, addressOf, frameAncestors: config.WEBCHAT_FRAME_ANCESTORS, publicUrl: config.PUBLIC_URL,
  });

  let wechat: WeChatOaAdapter | undefined;
  if (wechatOaEnabled(config)) {
    const appId = config.WECHAT_OA_APP_ID!;
    const verifier = new WeChatVerifier({
      token: config.WECHAT_OA_TOKEN!, appId, aesKey: config.WECHAT_OA_AES_KEY, windowSeconds: config.WECHAT_TIMESTAMP_WINDOW_SECONDS,
    });
    const client = new WeChatApiClient({ baseUrl: config.WECHAT_API_BASE_URL, appId, secret: config.WECHAT_OA_APP_SECRET!, backend, keys, logger });
    wechat = new WeChatOaAdapter({
      client, window: new ServiceWindow(backend, keys, now), backend, keys, translator, logger, templates: content.wechatTemplates,
      budgetMs: config.WECHAT_PASSIVE_BUDGET_MS, logic: turnLogic,
    });
    for (const m of middleware) wechat.use(m);
    wechat.onTurnError = onTurnError;
    channels.set(wechat.channelId, wechat);
    registerWeChatOaRoutes(server, { verifier, adapter: wechat, logger, maxBodyBytes: config.MAX_ACTIVITY_BYTES, backend, keys });
  }

  if (emulatorEnabled(config)) {
    registerEmulatorEndpoint(server, {
      appId: config.MICROSOFT_APP_ID,
      appPassword: config.MICROSOFT_APP_PASSWORD,
      appTenantId: config.MICROSOFT_APP_TENANT_ID,
      appType: config.MICROSOFT_APP_TYPE,
      logger, middleware, onTurnError,
      logic: turnLogic,
      maxActivityBytes: config.MAX_ACTIVITY_BYTES,
    });
  }

  return {
    config, outbox, inboxSweeper, tickets, callbacks, channels, server, backend, keys, logger, metrics, content, translator, directLineSecret,
    listen(port = config.PORT, host = config.HOST) {
      return new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => {
          if (options.scheduler !== false) scheduler.start();
          inboxSweeper.start();
          const address = server.server.address() as AddressInfo;
          resolve(`http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`);
        });
      });
    },
    async close() {
      // Stop taking work, let running turns finish (their replies are stored), then let go of Redis.
      shuttingDown = true;
      await scheduler.stop();
      await inboxSweeper.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      streams.closeAll();
      const drainedInTime = await Promise.race([
        Promise.all([...background, wechat?.drain()]).then(() => inFlight.drained(config.SHUTDOWN_GRACE_MS)),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), config.SHUTDOWN_GRACE_MS).unref()),
      ]);
      if (!drainedInTime) logger.warn({ inFlight: inFlight.size }, 'shutdown grace period over with turns still running');
      server.server.closeAllConnections?.();
      await closed;
      if (!options.backend) await backend.close();
    },
  };
}
