/**
 * The web channel: Direct Line 3.0 in our own process (REST, the WebSocket
 * stream, the durable inbox and its sweeper) and the customer's chat page.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Mounted, MountContext } from '../../bot/mount';
import { clientAddress } from '../../bot/http/client-address';
import { SplitNumberGuard } from '../../bot/privacy/split-number-guard';
import { DirectLineTokens } from './tokens';
import { ConversationHistory } from './history';
import { DirectLineAdapter } from './adapter';
import { registerDirectLineRoutes } from './routes';
import { DirectLineStreams } from './stream';
import { DirectLineAuth } from './auth';
import { CredentialThrottle } from './auth-throttle';
import { DirectLineInbox } from './inbox';
import { InboxSweeper } from './inbox-sweeper';
import { registerWebChatPage } from './webchat-page';

export interface WebChannel extends Mounted {
  /** The secret a site uses to mint tokens (random per run in development when not configured). */
  directLineSecret: string;
  /** Re-drives accepted messages whose turn did not run (tests call `sweep` directly). */
  inboxSweeper: InboxSweeper;
}

export function mountWebChannel(ctx: MountContext): WebChannel {
  const { config, backend, keys, logger, server } = ctx;
  const directLineSecret = config.DIRECT_LINE_SECRET ?? randomBytes(32).toString('base64url');
  if (!config.DIRECT_LINE_SECRET) logger.warn('DIRECT_LINE_SECRET is not set: using a random secret for this run only');
  const historyTtlMs = config.DIRECT_LINE_HISTORY_TTL_SECONDS * 1000;
  const tokens = new DirectLineTokens(directLineSecret, config.DIRECT_LINE_TOKEN_TTL_SECONDS);
  const history = new ConversationHistory(backend, keys, historyTtlMs);
  const adapter = new DirectLineAdapter(history, ctx.turnLogic);
  for (const m of ctx.middleware) adapter.use(m);
  adapter.onTurnError = ctx.onTurnError;
  ctx.channels.set(adapter.channelId, adapter);

  const inbox = new DirectLineInbox({
    history, backend, keys, logger,
    lock: ctx.turnLock,
    deliver: (activity, alreadyAnswered) => adapter.receiveFromInbox(activity, alreadyAnswered),
    maxAttempts: config.INBOX_MAX_ATTEMPTS,
    ttlMs: historyTtlMs,
  });
  const inboxSweeper = new InboxSweeper(inbox, backend, keys, {
    expression: `*/${config.INBOX_SWEEP_SECONDS} * * * * *`, graceMs: config.INBOX_REDRIVE_AFTER_MS, batch: 100,
  }, logger);

  // Client addresses (X-Forwarded-For only through TRUST_PROXY proxies) and throttling of wrong credentials.
  const addressOf = (req: IncomingMessage) => clientAddress(req, config.TRUST_PROXY);
  const throttle = new CredentialThrottle({ backend, keys, failuresPerMinute: config.DIRECT_LINE_AUTH_FAILURES_PER_MINUTE, logger });
  const auth = new DirectLineAuth({ tokens, addressOf, throttle });
  registerDirectLineRoutes(server, {
    tokens, history, adapter, inbox, logger, auth,
    runInBackground: ctx.runInBackground,
    piiGuard: new SplitNumberGuard(backend, keys, { ttlMs: config.PII_SPLIT_WINDOW_SECONDS * 1000, scope: 'inbox' }),
    maxActivityBytes: config.MAX_ACTIVITY_BYTES,
    publicUrl: config.PUBLIC_URL,
  });
  const streams = new DirectLineStreams({
    auth, history, logger, addressOf, maxPayloadBytes: config.DIRECT_LINE_STREAM_MAX_PAYLOAD_BYTES,
    streamsPerConversation: config.DIRECT_LINE_STREAMS_PER_CONVERSATION, streamsPerAddress: config.DIRECT_LINE_STREAMS_PER_ADDRESS,
  });
  streams.attach(server.server);
  registerWebChatPage(server, {
    translator: ctx.translator, branding: ctx.content.branding, tokens, backend, keys, logger, addressOf,
    tokensPerMinute: config.WEBCHAT_TOKENS_PER_MINUTE, frameAncestors: config.WEBCHAT_FRAME_ANCESTORS, publicUrl: config.PUBLIC_URL,
  });

  return {
    directLineSecret,
    inboxSweeper,
    start: () => inboxSweeper.start(),
    async stop() {
      await inboxSweeper.stop();
      streams.closeAll();
    },
  };
}
