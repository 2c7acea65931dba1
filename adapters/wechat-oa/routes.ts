/**
 * GET /wechat/oa (URL verification) and POST /wechat/oa (messages). The mode
 * is the configuration's: with an EncodingAESKey only encrypted messages (safe
 * and compatible mode), without one only plain mode. Order of a POST: what the
 * query can prove (plain mode refused in safe mode), the body's signature and
 * decryption, the envelope, then — needing Redis — the replay guard and the
 * turn. Malformed or unproven input is refused without running a turn; when
 * the store is down the customer gets a polite "please resend" passive reply.
 */
import type { Request, Response, Server } from 'restify';
import { AppError } from '../../bot/errors';
import type { Logger } from '../../bot/log';
import { readBody } from '../../bot/http/body';
import { route } from '../../bot/http/route';
import type { WeChatOaAdapter } from './adapter';
import { envelopeSchema, type WeChatEnvelope } from './parse';
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';
import { ReplayGuard } from '../tencent/replay-guard';
import { faultKind, isStoreFault } from '../tencent/store-fault';
import type { CallbackQuery, WeChatVerifier } from './verify';
import { buildWeChatXml, parseWeChatXml } from '../tencent/xml';

export interface WeChatRoutesDeps {
  verifier: WeChatVerifier;
  adapter: WeChatOaAdapter;
  logger: Logger;
  maxBodyBytes: number;
  /** Where nonces are remembered (the replay guard), for twice the verifier's timestamp window. */
  backend: StateBackend;
  keys: Keys;
}

function queryOf(req: Request): CallbackQuery {
  const q = (req.query ?? {}) as Record<string, unknown>;
  const pick = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
  return {
    signature: pick('signature'), timestamp: pick('timestamp'), nonce: pick('nonce'), echostr: pick('echostr'),
    encrypt_type: pick('encrypt_type'), msg_signature: pick('msg_signature'), openid: pick('openid'),
  };
}

function sendText(res: Response, status: number, body: string, type = 'text/plain'): void {
  res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * The replay check is the first call that needs the store. If the store does not
 * answer in time it is treated as down: nothing has run yet, so answering
 * "please resend" cannot lose or double anything.
 */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new AppError('STORE_UNAVAILABLE', 'store did not answer the replay check in time', 503)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined); // a late failure of the abandoned check is not an unhandled rejection
  }
}

/** Refusals an attacker causes are logged as warnings, with the code only (no openid, no body). */
const SECURITY_CODES = new Set(['WECHAT_PLAINTEXT_REFUSED', 'WECHAT_REPLAYED']);

export function registerWeChatOaRoutes(server: Server, deps: WeChatRoutesDeps): void {
  const { verifier, adapter, logger } = deps;
  const replayGuard = new ReplayGuard(deps.backend, deps.keys, verifier.windowSeconds);
  // The replay check gets at most half the passive budget, so a hanging store still leaves time to answer.
  const nonceDeadlineMs = adapter.passiveBudgetMs / 2;

  /** Nothing may run on a nonce the store cannot check: a store fault rejects with AppError STORE_UNAVAILABLE or the raw error. */
  const checkNonce = (query: CallbackQuery, body: Buffer) =>
    withDeadline(replayGuard.check(query.timestamp!, query.nonce!, body), nonceDeadlineMs);

  server.get('/wechat/oa', route(logger, 'wechat.verify', async (req, res) => {
    const query = queryOf(req);
    verifier.verifySignature(query);
    // The GET's signature is the plain-mode message signature too: remember its nonce, so it cannot
    // be replayed as a message. Best effort — the echostr reveals nothing, so a store fault does not
    // stop the verification.
    await checkNonce(query, Buffer.from(`GET ${query.echostr ?? ''}`)).catch((error: unknown) => {
      if (!isStoreFault(error)) throw error;
      logger.warn({ code: 'STORE_UNAVAILABLE', route: 'wechat.verify', fault: faultKind(error) }, 'URL verification nonce not remembered');
    });
    // Answer the echostr exactly (no quotes or newline), as the platform compares it byte for byte.
    sendText(res, 200, query.echostr ?? '');
  }));

  /** The passive reply: plain XML, sealed (encrypted and signed) in safe mode. */
  const reply = (res: Response, envelope: WeChatEnvelope, text: string): void => {
    const xml = buildWeChatXml({
      ToUserName: envelope.FromUserName,
      FromUserName: envelope.ToUserName,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: text,
    });
    if (!verifier.safeMode) return sendText(res, 200, xml, 'application/xml');
    const sealed = verifier.seal(xml);
    sendText(res, 200, buildWeChatXml({ Encrypt: sealed.encrypt, MsgSignature: sealed.signature, TimeStamp: Number(sealed.timestamp), Nonce: sealed.nonce }), 'application/xml');
  };

  server.post('/wechat/oa', route(logger, 'wechat.message', async (req, res) => {
    try {
      await message(req, res);
    } catch (error) {
      if (error instanceof AppError && SECURITY_CODES.has(error.code)) logger.warn({ code: error.code, route: 'wechat.message' }, 'WeChat callback refused');
      req.resume(); // a refusal before the body was read: drain it so the connection stays usable
      throw error;
    }
  }));

  async function message(req: Request, res: Response): Promise<void> {
    const query = queryOf(req);
    verifier.checkMessageQuery(query); // before the body is read: plain mode is refused outright in safe mode
    const body = await readBody(req, deps.maxBodyBytes);
    const parsed = envelopeSchema.safeParse(parseWeChatXml(verifier.openMessage(query, body.toString('utf8'))));
    if (!parsed.success) {
      throw new AppError('WECHAT_XML_INVALID', `message fields: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 400);
    }
    const envelope = parsed.data;
    let text: string | undefined;
    try {
      // Verified by now (timestamp and nonce are WeChat's): only a retry may reuse them, with the same body.
      await checkNonce(query, body);
      text = await adapter.handle(envelope);
    } catch (error) {
      if (!isStoreFault(error)) throw error;
      // A 5xx would make WeChat retry into the same outage and then show the customer an error:
      // answer 200 with a sentence that reveals nothing, so they know to resend. (A fault at the
      // nonce check comes before any turn; one inside `handle` may follow part of a turn.)
      logger.warn({ code: 'STORE_UNAVAILABLE', route: 'wechat.message', fault: faultKind(error) }, 'store unavailable: WeChat customer asked to resend');
      return reply(res, envelope, adapter.resendLater(envelope));
    }
    // "success" means: no passive reply (被动回复 doc); WeChat then does not retry.
    if (!text) return sendText(res, 200, 'success');
    reply(res, envelope, text);
  }
}
