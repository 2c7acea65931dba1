/**
 * GET /wechat/oa (URL verification) and POST /wechat/oa (messages in plain,
 * compatible or safe mode). Verification happens before anything else is read
 * from the message; malformed input is refused without running a turn.
 */
import type { Request, Response, Server } from 'restify';
import { AppError } from '../../bot/errors';
import type { Logger } from '../../bot/log';
import { readBody } from '../../bot/http/body';
import { route } from '../../bot/http/route';
import type { WeChatOaAdapter } from './adapter';
import { envelopeSchema } from './parse';
import type { CallbackQuery, WeChatVerifier } from './verify';
import { buildWeChatXml, parseWeChatXml } from './xml';

export interface WeChatRoutesDeps {
  verifier: WeChatVerifier;
  adapter: WeChatOaAdapter;
  logger: Logger;
  maxBodyBytes: number;
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

export function registerWeChatOaRoutes(server: Server, deps: WeChatRoutesDeps): void {
  const { verifier, adapter, logger } = deps;

  server.get('/wechat/oa', route(logger, 'wechat.verify', async (req, res) => {
    const query = queryOf(req);
    verifier.verifySignature(query);
    // Answer the echostr exactly (no quotes or newline), as the platform compares it byte for byte.
    sendText(res, 200, query.echostr ?? '');
  }));

  server.post('/wechat/oa', route(logger, 'wechat.message', async (req, res) => {
    const query = queryOf(req);
    const safeMode = query.encrypt_type === 'aes';
    if (!safeMode) verifier.verifySignature(query);
    const body = (await readBody(req, deps.maxBodyBytes)).toString('utf8');
    let fields = parseWeChatXml(body);
    if (safeMode) {
      const encrypted = typeof fields.Encrypt === 'string' ? fields.Encrypt : '';
      if (!encrypted) throw new AppError('WECHAT_XML_INVALID', 'safe mode message without Encrypt', 400);
      fields = parseWeChatXml(verifier.openEncrypted(query, encrypted));
    }
    const parsed = envelopeSchema.safeParse(fields);
    if (!parsed.success) {
      throw new AppError('WECHAT_XML_INVALID', `message fields: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 400);
    }
    const envelope = parsed.data;
    const text = await adapter.handle(envelope);
    // "success" means: no passive reply (被动回复 doc); WeChat then does not retry.
    if (!text) return sendText(res, 200, 'success');
    const reply = buildWeChatXml({
      ToUserName: envelope.FromUserName,
      FromUserName: envelope.ToUserName,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: text,
    });
    if (!safeMode) return sendText(res, 200, reply, 'application/xml');
    const sealed = verifier.seal(reply);
    sendText(res, 200, buildWeChatXml({ Encrypt: sealed.encrypt, MsgSignature: sealed.signature, TimeStamp: Number(sealed.timestamp), Nonce: sealed.nonce }), 'application/xml');
  }));
}
