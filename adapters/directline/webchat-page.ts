/**
 * The customer's web chat: a page at `/` running the official Bot Framework
 * Web Chat, served from the botframework-webchat package (no CDN), in the
 * customer's language; and the site-side token endpoint the page calls (the
 * role a bank's web server plays with the cloud Direct Line secret).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { IncomingMessage } from 'node:http';
import type { Request, Response, Server } from 'restify';
import type { Translator } from '../../bot/content/i18n';
import { DEFAULT_LOCALE, type Branding, type SupportedLocale } from '../../bot/content/schemas';
import { AppError } from '../../bot/errors';
import type { Logger } from '../../bot/log';
import { sendJson } from '../../bot/http/respond';
import { route } from '../../bot/http/route';
import { limitKey } from '../../bot/http/client-address';
import { newNonce, pageHeaders } from '../../bot/http/security-headers';
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';
import { normaliseLocale } from '../../bot/turn/locale';
import { ConversationHistory } from './history';
import type { DirectLineTokens } from './tokens';
import { renderChatPage } from './webchat-html';

export interface WebChatPageDeps {
  translator: Translator;
  /** The bank's name, colours and logo (content/policy/branding.json). */
  branding: Branding;
  tokens: DirectLineTokens;
  backend: StateBackend;
  keys: Keys;
  logger: Logger;
  tokensPerMinute: number;
  /** The client's address for the per-address limit (bot/http/client-address.ts). */
  addressOf: (req: IncomingMessage) => string;
  /** CSP frame-ancestors (WEBCHAT_FRAME_ANCESTORS). */
  frameAncestors: string;
  /** PUBLIC_URL: the stream's WebSocket origin and whether to send Strict-Transport-Security. */
  publicUrl?: string;
}

/** The WebSocket origin the page connects to besides 'self' (which older browsers do not match against ws:). */
function streamOrigin(req: Request, publicUrl: string | undefined): string[] {
  if (publicUrl) return [new URL(publicUrl).origin.replace(/^http/, 'ws')];
  const host = req.headers.host;
  // Development without PUBLIC_URL: the Host is used only when it is a plain host[:port] (as for the stream URL).
  return typeof host === 'string' && /^[A-Za-z0-9.-]+(?::\d{1,5})?$/.test(host) ? [`ws://${host}`] : [];
}

/** The locale from `?lang=` or the browser's Accept-Language, best match first. */
export function pageLocale(req: Request): SupportedLocale {
  const query = (req.query as Record<string, string> | undefined)?.lang;
  const fromQuery = normaliseLocale(query);
  if (fromQuery) return fromQuery;
  const accepted = String(req.headers['accept-language'] ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.split('=')[1] ?? 1);
      return { tag, q: Number.isFinite(q) ? q : 0 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of accepted) {
    const locale = normaliseLocale(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}

let bundle: { raw: Buffer; gzip: Buffer } | undefined;
function webChatBundle(): { raw: Buffer; gzip: Buffer } {
  // Read and compress once, on first request: 3.9 MB shrinks to about 1 MB for phones.
  if (!bundle) {
    // The package's "exports" hide dist/, so find the bundle beside its main entry (lib/index.js).
    const packageDir = path.resolve(path.dirname(require.resolve('botframework-webchat')), '..');
    const raw = readFileSync(path.join(packageDir, 'dist', 'webchat.js'));
    bundle = { raw, gzip: gzipSync(raw) };
  }
  return bundle;
}

export function registerWebChatPage(server: Server, deps: WebChatPageDeps): void {
  server.get('/', route(deps.logger, 'web.page', async (req: Request, res: Response) => {
    const nonce = newNonce();
    const html = renderChatPage(deps.translator, deps.branding, pageLocale(req), nonce);
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      // no-store: the page carries a per-response nonce, so a cached copy must not be replayed.
      'Cache-Control': 'no-store',
      ...pageHeaders({ frameAncestors: deps.frameAncestors, connectSources: streamOrigin(req, deps.publicUrl), https: https(deps.publicUrl) }, nonce),
    });
    res.end(html);
  }));

  server.get('/webchat/webchat.js', route(deps.logger, 'web.bundle', async (req: Request, res: Response) => {
    const { raw, gzip } = webChatBundle();
    const useGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = useGzip ? gzip : raw;
    res.writeHead(200, {
      'Content-Type': 'application/javascript; charset=utf-8',
      'Content-Length': body.length,
      'Cache-Control': 'public, max-age=86400',
      Vary: 'Accept-Encoding',
      'X-Content-Type-Options': 'nosniff',
      ...(useGzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
    res.end(body);
  }));

  server.get('/favicon.ico', route(deps.logger, 'web.favicon', async (_req: Request, res: Response) => {
    res.writeHead(204, { 'Cache-Control': 'public, max-age=86400' });
    res.end();
  }));

  server.post('/webchat/token', route(deps.logger, 'web.token', async (req: Request, res: Response) => {
    const minute = Math.floor(Date.now() / 60_000);
    // No credentials here (anyone may start a chat), so nothing to throttle as guessing; starts are limited per address.
    const client = limitKey(deps.addressOf(req));
    const count = await deps.backend.incr(deps.keys.rateWindow(`webchat-token:${client}`, minute), 60_000);
    if (count > deps.tokensPerMinute) throw new AppError('RATE_LIMITED', 'Too many chats started from this address; try again in a minute', 429);
    const conversationId = ConversationHistory.newConversationId();
    const userId = `dl_${randomUUID()}`;
    const token = deps.tokens.issue({ conversationId, userId });
    sendJson(res, 200, { conversationId, userId, token, expires_in: deps.tokens.ttlSeconds });
  }));
}

const https = (publicUrl: string | undefined) => publicUrl?.startsWith('https:') ?? false;
