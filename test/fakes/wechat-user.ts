/**
 * Plays the WeChat platform's side of the callback: builds message XML, signs
 * it (plain mode) or encrypts and signs it (safe mode) exactly as WeChat does,
 * posts it to the bot and opens the passive reply. Used by tests and by
 * `npm run wechat:simulate`.
 */
import { randomBytes } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { buildWeChatXml, parseWeChatXml } from '../../adapters/wechat-oa/xml';

export interface WeChatUserOptions {
  botUrl: string; // e.g. http://127.0.0.1:3978
  token: string;
  appId: string;
  aesKey?: string;
  safeMode?: boolean;
  openId: string;
  accountId?: string;
}

let msgSeq = BigInt('6500000000000000000');

export class SimulatedWeChatUser {
  constructor(readonly options: WeChatUserOptions) {}

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
  async send(fields: Record<string, string | number>, tweak: { timestamp?: number; forgeSignature?: boolean; rawBody?: string } = {}) {
    const { token, aesKey, appId } = this.options;
    const timestamp = String(tweak.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = String(randomBytes(4).readUInt32BE());
    const plainXml = buildWeChatXml(fields);
    const query = new URLSearchParams({ timestamp, nonce, signature: getSignature(token, timestamp, nonce, ''), openid: this.options.openId });
    let body = plainXml;
    if (this.options.safeMode) {
      if (!aesKey) throw new Error('safe mode needs the AES key');
      const sealed = encrypt(aesKey, plainXml, appId);
      query.set('encrypt_type', 'aes');
      query.set('msg_signature', getSignature(token, timestamp, nonce, sealed));
      body = buildWeChatXml({ ToUserName: String(fields.ToUserName ?? ''), Encrypt: sealed });
    }
    if (tweak.forgeSignature) {
      query.set('signature', 'f'.repeat(40));
      if (query.has('msg_signature')) query.set('msg_signature', 'f'.repeat(40));
    }
    const res = await fetch(`${this.options.botUrl}/wechat/oa?${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml' },
      body: tweak.rawBody ?? body,
    });
    const raw = await res.text();
    return { status: res.status, raw, reply: this.openReply(raw) };
  }

  /** The text of a passive reply, decrypting and checking it in safe mode; undefined for "success". */
  openReply(raw: string): string | undefined {
    if (!raw.startsWith('<xml>')) return undefined;
    let fields = parseWeChatXml(raw);
    if (this.options.safeMode) {
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
