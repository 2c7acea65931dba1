/**
 * Plays the WeChat platform's side of the callback: builds message XML, signs
 * it (plain mode) or encrypts and signs it (safe mode) exactly as WeChat does,
 * posts it to the bot and opens the passive reply. Used by tests and by
 * `npm run wechat:simulate`.
 */
import { randomBytes } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { buildWeChatXml, parseWeChatXml } from '../../adapters/tencent/xml';

export interface WeChatUserOptions {
  botUrl: string; // e.g. http://127.0.0.1:3978
  token: string;
  appId: string;
  aesKey?: string;
  /** Defaults to safe mode when an AES key is given, as a platform configured with a key sends. */
  safeMode?: boolean;
  openId: string;
  accountId?: string;
}

export interface SendTweak {
  timestamp?: number;
  nonce?: string;
  forgeSignature?: boolean;
  rawBody?: string;
  /** Safe mode: send the plain fields beside Encrypt (compatible mode), by default the same ones. */
  compatible?: boolean;
  plainFields?: Record<string, string | number>;
}

export interface SignedRequest {
  query: URLSearchParams;
  body: string;
}

let msgSeq = BigInt('6500000000000000000');

export class SimulatedWeChatUser {
  constructor(readonly options: WeChatUserOptions) {}

  get safeMode(): boolean {
    return this.options.safeMode ?? Boolean(this.options.aesKey);
  }

  text(content: string, msgId = String(++msgSeq)): Record<string, string | number> {
    return this.envelope({ MsgType: 'text', Content: content, MsgId: msgId });
  }

  event(event: string, eventKey?: string): Record<string, string | number> {
    return this.envelope({ MsgType: 'event', Event: event, ...(eventKey ? { EventKey: eventKey } : {}) });
  }

  envelope(fields: Record<string, string | number>): Record<string, string | number> {
    return { ToUserName: this.options.accountId ?? 'gh_test_account', FromUserName: this.options.openId, CreateTime: Math.floor(Date.now() / 1000), ...fields };
  }

  /** Posts a message as WeChat would; returns HTTP status, raw body and the opened reply text (if any). */
  async send(fields: Record<string, string | number>, tweak: SendTweak = {}) {
    const signed = this.sign(fields, tweak);
    return this.post(signed.query, tweak.rawBody ?? signed.body);
  }

  /**
   * The query string and body WeChat would send for `fields` (signed; in safe
   * mode encrypted). Tests keep them to replay a captured request.
   */
  sign(fields: Record<string, string | number>, tweak: SendTweak = {}): SignedRequest {
    const { token, aesKey, appId } = this.options;
    const timestamp = String(tweak.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = tweak.nonce ?? String(randomBytes(4).readUInt32BE());
    const plainXml = buildWeChatXml(fields);
    const query = new URLSearchParams({ timestamp, nonce, signature: getSignature(token, timestamp, nonce, ''), openid: String(fields.FromUserName ?? this.options.openId) });
    let body = plainXml;
    if (this.safeMode) {
      if (!aesKey) throw new Error('safe mode needs the AES key');
      const sealed = encrypt(aesKey, plainXml, appId);
      query.set('encrypt_type', 'aes');
      query.set('msg_signature', getSignature(token, timestamp, nonce, sealed));
      // Compatible mode (兼容模式) sends the plain fields beside Encrypt.
      const beside = tweak.compatible ? (tweak.plainFields ?? fields) : { ToUserName: String(fields.ToUserName ?? '') };
      body = buildWeChatXml({ ...beside, Encrypt: sealed });
    }
    if (tweak.forgeSignature) {
      query.set('signature', 'f'.repeat(40));
      if (query.has('msg_signature')) query.set('msg_signature', 'f'.repeat(40));
    }
    return { query, body };
  }

  /** Posts a (possibly captured and replayed) request as it is. */
  async post(query: URLSearchParams, body: string) {
    const res = await fetch(`${this.options.botUrl}/wechat/oa?${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml' },
      body,
    });
    const raw = await res.text();
    return { status: res.status, raw, reply: this.openReply(raw) };
  }

  /** The text of a passive reply, decrypting and checking it in safe mode; undefined for "success". */
  openReply(raw: string): string | undefined {
    if (!raw.startsWith('<xml>')) return undefined;
    let fields = parseWeChatXml(raw);
    if (this.safeMode) {
      const { token, aesKey, appId } = this.options;
      const sig = getSignature(token, String(fields.TimeStamp), String(fields.Nonce), String(fields.Encrypt));
      if (sig !== fields.MsgSignature) throw new Error('reply signature does not verify');
      const opened = decrypt(aesKey!, String(fields.Encrypt));
      if (opened.id !== appId) throw new Error('reply sealed for another app id');
      fields = parseWeChatXml(opened.message);
    }
    if (fields.ToUserName !== this.options.openId) throw new Error('reply addressed to someone else');
    return String(fields.Content ?? '');
  }
}
