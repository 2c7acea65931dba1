/**
 * GET /wecom/kf (URL verification: the echostr is encrypted and signed) and
 * POST /wecom/kf (callbacks). A callback is checked — signature over the
 * ciphertext, freshness, decryption, our corp id inside, the replay guard —
 * answered at once, and only then are the new messages pulled (puller.ts),
 * outside the request. Unproven or malformed input is refused without pulling;
 * when the store cannot check the nonce, 503 makes WeCom send the callback
 * again (nothing has been pulled, so nothing is lost or doubled).
 */
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { AppError } from '../../bot/errors';
import type { Logger } from '../../bot/log';
import { readBody } from '../../bot/http/body';
import { route } from '../../bot/http/route';
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';
import type { CallbackCrypto, SignedQuery } from '../tencent/callback-crypto';
import { ReplayGuard } from '../tencent/replay-guard';
import { isStoreFault } from '../tencent/store-fault';
import { parseWeChatXml } from '../tencent/xml';

export interface KfRoutesDeps {
  crypto: CallbackCrypto;
  logger: Logger;
  maxBodyBytes: number;
  backend: StateBackend;
  keys: Keys;
  /** Pull the account's new messages (runs after the answer). */
  pull: (openKfId: string, token: string) => void;
}

/** The decrypted callback: only kf_msg_or_event matters here; other events are acknowledged and ignored. */
const callbackSchema = z.object({
  MsgType: z.string().max(32),
  Event: z.string().max(64).optional(),
  Token: z.string().max(512).optional(),
  OpenKfId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/).optional(),
});

function queryOf(req: Request): SignedQuery & { echostr?: string } {
  const q = (req.query ?? {}) as Record<string, unknown>;
  const pick = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
  return { msg_signature: pick('msg_signature'), timestamp: pick('timestamp'), nonce: pick('nonce'), echostr: pick('echostr') };
}

function sendText(res: Response, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const invalidXml = (message: string) => new AppError('WECHAT_XML_INVALID', message, 400);

export function registerKfRoutes(server: Server, deps: KfRoutesDeps): void {
  const { crypto, logger } = deps;
  const replayGuard = new ReplayGuard(deps.backend, deps.keys, crypto.windowSeconds, 'wecom-kf');

  server.get('/wecom/kf', route(logger, 'wecom.verify', async (req, res) => {
    const query = queryOf(req);
    // The plaintext exactly: no quotes, BOM or newline (PROTOCOLS.md).
    sendText(res, 200, crypto.open(query, query.echostr ?? ''));
  }));

  server.post('/wecom/kf', route(logger, 'wecom.callback', async (req, res) => {
    try {
      await callback(req, res);
    } catch (error) {
      if (error instanceof AppError && error.httpStatus === 401) logger.warn({ code: error.code, route: 'wecom.callback' }, 'WeCom callback refused');
      req.resume();
      throw error;
    }
  }));

  async function callback(req: Request, res: Response): Promise<void> {
    const query = queryOf(req);
    if (!query.msg_signature || !query.timestamp || !query.nonce) throw new AppError('WECHAT_SIGNATURE_INVALID', 'msg_signature, timestamp and nonce are required', 401);
    const body = await readBody(req, deps.maxBodyBytes);
    const encrypted = parseWeChatXml(body.toString('utf8')).Encrypt;
    if (typeof encrypted !== 'string' || !encrypted) throw invalidXml('callback without Encrypt');
    const parsed = callbackSchema.safeParse(parseWeChatXml(crypto.open(query, encrypted)));
    if (!parsed.success) throw invalidXml(`callback fields: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    try {
      await replayGuard.check(query.timestamp, query.nonce, body);
    } catch (error) {
      if (!isStoreFault(error)) throw error;
      throw new AppError('STORE_UNAVAILABLE', 'cannot check the callback now: send it again', 503);
    }
    const { Event, OpenKfId, Token } = parsed.data;
    sendText(res, 200, 'success');
    if (Event === 'kf_msg_or_event' && OpenKfId) deps.pull(OpenKfId, Token ?? '');
  }
}
