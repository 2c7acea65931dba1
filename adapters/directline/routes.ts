/**
 * The Direct Line 3.0 REST surface that Web Chat and botframework-directlinejs
 * use, served in our own process (no cloud service):
 *   POST /v3/directline/tokens/generate        secret → token for a new conversation
 *   POST /v3/directline/tokens/refresh         token → fresh token, same conversation
 *   POST /v3/directline/conversations          start (or resume, with a generated token)
 *   GET  /v3/directline/conversations/:id      reconnect: a new stream URL
 *   POST /v3/directline/conversations/:id/activities
 *   GET  /v3/directline/conversations/:id/activities?watermark=N
 * The WebSocket stream is in stream.ts.
 */
import type { Request, Server } from 'restify';
import { ActivityTypes, type Activity } from 'botbuilder';
import { AppError } from '../../bot/errors';
import type { Logger } from '../../bot/log';
import { readJson } from '../../bot/http/body';
import { sendJson } from '../../bot/http/respond';
import { route } from '../../bot/http/route';
import type { SplitNumberGuard } from '../../bot/privacy/split-number-guard';
import { authoriseConversation, type Caller, type DirectLineAuth } from './auth';
import { ConversationHistory, type ConversationMeta } from './history';
import { DIRECT_LINE_BOT, type DirectLineAdapter } from './adapter';
import { inboundActivitySchema, startConversationSchema, tokenRequestSchema } from './schemas';
import type { DirectLineTokens } from './tokens';
import { parseWatermark } from './watermark';
import type { DirectLineInbox } from './inbox';
import { randomUUID } from 'node:crypto';

export interface DirectLineDeps {
  tokens: DirectLineTokens;
  history: ConversationHistory;
  adapter: DirectLineAdapter;
  logger: Logger;
  maxActivityBytes: number;
  /** Public origin (https://host) when behind a proxy; otherwise taken from the request's Host. */
  publicUrl?: string;
  /** Authentication with per-address throttling of wrong credentials. */
  auth: DirectLineAuth;
  /** Masks card and ID numbers and passwords (also a card typed over two messages) before anything is stored. */
  piiGuard: SplitNumberGuard;
  /** Runs customers' accepted activities in order, exactly once, surviving a crash. */
  inbox: DirectLineInbox;
  /** Runs a turn in the background; the HTTP answer does not wait for the bot. */
  runInBackground: (work: () => Promise<void>) => void;
}

const BASE = '/v3/directline';

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new AppError('BAD_REQUEST', `Invalid request: ${detail}`, 400);
  }
  return result.data;
}

/**
 * The stream URL handed to the client. With PUBLIC_URL (required in production)
 * it is built from that alone. Without it (development) the request's Host is
 * used only when it is a plain host[:port]; anything else (CR/LF, a path, a
 * user part) is refused with 400 rather than reflected into a URL.
 */
export function streamUrlFor(req: Request, publicUrl: string | undefined, conversationId: string, token: string, watermark?: number): string {
  const origin = publicUrl?.replace(/\/$/, '') ?? developmentOrigin(req);
  const ws = origin.replace(/^http/, 'ws');
  // A reconnecting client says what it has already seen; the stream resumes after it (Direct Line 3.0 "Reconnect").
  const from = watermark ? `&watermark=${watermark}` : '';
  return `${ws}${BASE}/conversations/${encodeURIComponent(conversationId)}/stream?t=${encodeURIComponent(token)}${from}`;
}

const PLAIN_HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function developmentOrigin(req: Request): string {
  const host = req.headers.host;
  if (typeof host !== 'string' || !PLAIN_HOST.test(host)) throw new AppError('BAD_REQUEST', 'Host header must be a plain host[:port]', 400);
  return `${req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http'}://${host}`;
}

export function registerDirectLineRoutes(server: Server, deps: DirectLineDeps): void {
  const { tokens, history, adapter, inbox, logger } = deps;
  // Wrong secrets and tokens are throttled per client address: the guard decides each request's caller before its handler runs.
  server.use(deps.auth.guard(BASE));
  const caller = (req: Request): Caller => deps.auth.callerOf(req);

  const conversationFor = async (req: Request): Promise<{ who: Caller; meta: ConversationMeta }> => {
    const who = caller(req);
    const id = String(req.params.conversationId ?? '');
    authoriseConversation(who, id);
    const meta = await history.get(id);
    if (!meta) throw new AppError('CONVERSATION_NOT_FOUND', 'Unknown conversation', 404);
    return { who, meta };
  };

  server.post(`${BASE}/tokens/generate`, route(logger, 'dl.tokens.generate', async (req, res) => {
    if (caller(req).kind !== 'secret') throw new AppError('FORBIDDEN', 'Generating tokens needs the Direct Line secret', 403);
    const body = parse(tokenRequestSchema, await readJson(req, deps.maxActivityBytes));
    const conversationId = ConversationHistory.newConversationId();
    const token = tokens.issue({ conversationId, userId: body?.user?.id });
    sendJson(res, 200, { conversationId, token, expires_in: tokens.ttlSeconds });
  }));

  server.post(`${BASE}/tokens/refresh`, route(logger, 'dl.tokens.refresh', async (req, res) => {
    const who = caller(req);
    if (who.kind !== 'token') throw new AppError('BAD_REQUEST', 'Refresh needs a token, not the secret', 400);
    const token = tokens.issue(who.claims);
    sendJson(res, 200, { conversationId: who.claims.conversationId, token, expires_in: tokens.ttlSeconds });
  }));

  server.post(`${BASE}/conversations`, route(logger, 'dl.conversations.start', async (req, res) => {
    const who = caller(req);
    const body = parse(startConversationSchema, await readJson(req, deps.maxActivityBytes));
    const conversationId = who.kind === 'token' ? who.claims.conversationId : ConversationHistory.newConversationId();
    const userId = (who.kind === 'token' ? who.claims.userId : undefined) ?? body?.user?.id ?? `dl_${randomUUID()}`;
    const token = who.kind === 'token' ? who.token : tokens.issue({ conversationId, userId });
    const meta: ConversationMeta = { conversationId, userId, locale: body?.locale, createdAt: new Date().toISOString() };
    const created = await history.create(meta);
    if (created) {
      // As the cloud Direct Line does: tell the bot who joined, so it can greet first.
      const update = {
        type: ActivityTypes.ConversationUpdate,
        channelId: 'directline',
        serviceUrl: '',
        conversation: { id: conversationId },
        from: { id: userId, name: body?.user?.name ?? '', role: 'user' },
        recipient: DIRECT_LINE_BOT,
        membersAdded: [DIRECT_LINE_BOT, { id: userId, name: body?.user?.name ?? '' }],
        locale: body?.locale,
        id: ConversationHistory.newActivityId(conversationId),
        timestamp: new Date(),
      } as unknown as Activity;
      deps.runInBackground(() => adapter.receive(update));
    }
    sendJson(res, created ? 201 : 200, {
      conversationId,
      token,
      expires_in: tokens.ttlSeconds,
      streamUrl: streamUrlFor(req, deps.publicUrl, conversationId, token),
    });
  }));

  server.get(`${BASE}/conversations/:conversationId`, route(logger, 'dl.conversations.reconnect', async (req, res) => {
    const { who, meta } = await conversationFor(req);
    const watermark = parseWatermark((req.query as Record<string, unknown> | undefined)?.watermark);
    const token = who.kind === 'token' ? who.token : tokens.issue({ conversationId: meta.conversationId, userId: meta.userId });
    sendJson(res, 200, {
      conversationId: meta.conversationId,
      token,
      expires_in: tokens.ttlSeconds,
      streamUrl: streamUrlFor(req, deps.publicUrl, meta.conversationId, token, watermark),
    });
  }));

  server.post(`${BASE}/conversations/:conversationId/activities`, route(logger, 'dl.activities.post', async (req, res) => {
    const { who, meta } = await conversationFor(req);
    const inbound = parse(inboundActivitySchema, await readJson(req, deps.maxActivityBytes));
    const id = ConversationHistory.newActivityId(meta.conversationId);
    if (inbound.type === 'typing') return sendJson(res, 200, { id });
    const clientActivityId = typeof inbound.channelData?.clientActivityID === 'string' ? inbound.channelData.clientActivityID.slice(0, 128) : undefined;
    const boundUser = (who.kind === 'token' ? who.claims.userId : undefined) ?? meta.userId;
    // Card and ID numbers and passwords are never kept, not even in the transcript; the turn is told what was hidden.
    const masked = typeof inbound.text === 'string'
      ? await deps.piiGuard.mask(`directline:${meta.conversationId}`, inbound.text, { messageId: clientActivityId ?? id })
      : undefined;
    // Stored (and the client id claimed) in one step before the 200: from here on it cannot be lost.
    const accepted = await history.acceptInbound(meta.conversationId, {
      ...(inbound as Partial<Activity>),
      ...(masked ? { text: masked.text } : {}),
      ...(masked?.found.length ? { channelData: { ...(inbound.channelData ?? {}), maskedPii: masked.found } } : {}),
      id,
      // The token (or the conversation) says who the user is; a client cannot speak for someone else.
      from: { ...(inbound.from ?? {}), name: inbound.from?.name ?? '', id: boundUser ?? inbound.from?.id ?? 'anonymous', role: 'user' },
      recipient: DIRECT_LINE_BOT,
      locale: inbound.locale ?? meta.locale,
      serviceUrl: '',
    }, clientActivityId);
    // A resend of something already accepted gets the same id and no second turn; it still nudges the inbox.
    await inbox.markPending(meta.conversationId);
    sendJson(res, 200, { id: 'stored' in accepted ? accepted.stored.id : accepted.duplicateOf });
    deps.runInBackground(async () => {
      await inbox.drain(meta.conversationId);
    });
  }));

  server.get(`${BASE}/conversations/:conversationId/activities`, route(logger, 'dl.activities.get', async (req, res) => {
    const { meta } = await conversationFor(req);
    const watermark = parseWatermark((req.query as Record<string, unknown> | undefined)?.watermark);
    sendJson(res, 200, await history.since(meta.conversationId, watermark));
  }));
}
