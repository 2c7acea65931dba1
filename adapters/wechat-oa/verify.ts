/**
 * Verifying and sealing WeChat Official Account callbacks.
 * Signature rules: developers.weixin.qq.com "接入指南" (plain) and "消息加解密说明"
 * (safe mode: msg_signature over token, timestamp, nonce and Encrypt).
 * @wecom/crypto does the AES and SHA1; what it does not do, we do here: verify
 * before decrypting, compare in constant time, check the app id inside the
 * plaintext, and refuse stale timestamps.
 *
 * The mode comes from configuration, never from the query string: with an
 * EncodingAESKey configured only encrypted messages are accepted (compatible
 * mode included, read from its Encrypt field); without one, only plain mode.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { AppError } from '../../bot/errors';
import { parseWeChatXml } from './xml';

export interface VerifierOptions {
  token: string;
  appId: string;
  aesKey?: string;
  windowSeconds: number;
  now?: () => number;
}

export interface CallbackQuery {
  signature?: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
  encrypt_type?: string;
  msg_signature?: string;
  openid?: string;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const invalid = (message: string) => new AppError('WECHAT_SIGNATURE_INVALID', message, 401);
const plaintextRefused = (message: string) => new AppError('WECHAT_PLAINTEXT_REFUSED', message, 401);
/** WeChat sends a Unix time in seconds and a numeric nonce; anything else is not from WeChat (and would make odd store keys). */
const TIMESTAMP = /^\d{1,12}$/;
const NONCE = /^[A-Za-z0-9]{1,64}$/;

export class WeChatVerifier {
  private readonly now: () => number;

  constructor(private readonly options: VerifierOptions) {
    if (!options.token) throw new Error('WeChat token must not be empty');
    if (options.aesKey !== undefined && options.aesKey.length !== 43) throw new Error('EncodingAESKey must be 43 characters');
    this.now = options.now ?? (() => Date.now());
  }

  /** How far a callback's timestamp may be from our clock (WECHAT_TIMESTAMP_WINDOW_SECONDS). */
  get windowSeconds(): number {
    return this.options.windowSeconds;
  }

  /** True when an EncodingAESKey is configured: then only encrypted messages are accepted. */
  get safeMode(): boolean {
    return Boolean(this.options.aesKey);
  }

  /**
   * Checks the plain-mode `signature` and the timestamp window. This is the URL
   * verification (GET) in every mode — the Official Account signs it plainly
   * even in safe mode (接入指南) — and the message check in plain mode.
   */
  verifySignature(query: CallbackQuery): void {
    const { signature, timestamp, nonce } = query;
    if (!signature || !timestamp || !nonce) throw invalid('signature, timestamp and nonce are required');
    this.checkTimestamp(timestamp);
    if (!NONCE.test(nonce)) throw invalid('nonce is malformed');
    if (!safeEqual(getSignature(this.options.token, timestamp, nonce, ''), signature)) throw invalid('signature does not match');
  }

  /**
   * What can be checked of a message POST before its body is read: in safe mode
   * that it claims to be encrypted (anything else is refused outright), in plain
   * mode the whole signature.
   */
  checkMessageQuery(query: CallbackQuery): void {
    if (!this.safeMode) return this.verifySignature(query);
    if (query.encrypt_type !== 'aes' || !query.msg_signature) throw plaintextRefused('safe mode accepts only encrypted messages');
  }

  /**
   * The message XML of a POST whose query passed `checkMessageQuery`. Safe mode
   * (and compatible mode, which carries plain fields beside Encrypt): verifies
   * msg_signature over Encrypt, decrypts, and returns only the decrypted message;
   * the plain fields are ignored. Plain mode: the body as it is.
   */
  openMessage(query: CallbackQuery, body: string): string {
    if (!this.safeMode) return body;
    const encrypted = parseWeChatXml(body).Encrypt;
    // Without Encrypt, msg_signature would equal the plain signature: a plain message in disguise.
    if (typeof encrypted !== 'string' || !encrypted) throw plaintextRefused('safe mode message without Encrypt');
    return this.openEncrypted(query, encrypted);
  }

  /** Safe mode: checks msg_signature over the ciphertext, then decrypts and checks the app id. */
  openEncrypted(query: CallbackQuery, encrypted: string): string {
    const { msg_signature: msgSignature, timestamp, nonce } = query;
    if (!this.options.aesKey) throw invalid('encrypted message but no EncodingAESKey is configured');
    if (!msgSignature || !timestamp || !nonce) throw invalid('msg_signature, timestamp and nonce are required');
    this.checkTimestamp(timestamp);
    if (!NONCE.test(nonce)) throw invalid('nonce is malformed');
    if (!safeEqual(getSignature(this.options.token, timestamp, nonce, encrypted), msgSignature)) throw invalid('msg_signature does not match');
    let opened: { message: string; id: string };
    try {
      opened = decrypt(this.options.aesKey, encrypted);
    } catch {
      throw invalid('message cannot be decrypted');
    }
    if (!safeEqual(opened.id, this.options.appId)) throw invalid('message is for another app id');
    return opened.message;
  }

  /** Encrypts a passive reply for safe mode: <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>. */
  seal(replyXml: string): { encrypt: string; signature: string; timestamp: string; nonce: string } {
    if (!this.options.aesKey) throw new Error('no EncodingAESKey');
    const timestamp = String(Math.floor(this.now() / 1000));
    const nonce = String(randomBytes(4).readUInt32BE());
    const sealed = encrypt(this.options.aesKey, replyXml, this.options.appId);
    return { encrypt: sealed, signature: getSignature(this.options.token, timestamp, nonce, sealed), timestamp, nonce };
  }

  private checkTimestamp(timestamp: string): void {
    if (!TIMESTAMP.test(timestamp)) throw invalid('timestamp is not a number');
    const seconds = Number(timestamp);
    if (Math.abs(this.now() / 1000 - seconds) > this.options.windowSeconds) {
      throw new AppError('WECHAT_TIMESTAMP_STALE', 'timestamp outside the accepted window', 401);
    }
  }
}
