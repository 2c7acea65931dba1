/**
 * Verifying and sealing WeChat Official Account callbacks.
 * Signature rules: developers.weixin.qq.com "接入指南" (plain) and "消息加解密说明"
 * (safe mode: msg_signature over token, timestamp, nonce and Encrypt).
 * The checks WeCom shares (signature before decryption, constant time, the app
 * id as receive id, stale timestamps) are `../tencent/callback-crypto.ts`.
 *
 * The mode comes from configuration, never from the query string: with an
 * EncodingAESKey configured only encrypted messages are accepted (compatible
 * mode included, read from its Encrypt field); without one, only plain mode.
 */
import { AppError } from '../../bot/errors';
import { CallbackCrypto, safeEqual, signatureInvalid as invalid } from '../tencent/callback-crypto';
import { parseWeChatXml } from '../tencent/xml';

export { safeEqual };

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

const plaintextRefused = (message: string) => new AppError('WECHAT_PLAINTEXT_REFUSED', message, 401);

export class WeChatVerifier {
  private readonly crypto: CallbackCrypto;

  constructor(private readonly options: VerifierOptions) {
    if (!options.token) throw new Error('WeChat token must not be empty');
    this.crypto = new CallbackCrypto({ token: options.token, aesKey: options.aesKey, receiveId: options.appId, windowSeconds: options.windowSeconds, now: options.now });
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
    this.crypto.checkFreshness(timestamp, nonce);
    this.crypto.checkSignature(signature, timestamp, nonce, '');
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
    return this.crypto.open(query, encrypted);
  }

  /** Encrypts a passive reply for safe mode: <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>. */
  seal(replyXml: string): { encrypt: string; signature: string; timestamp: string; nonce: string } {
    return this.crypto.seal(replyXml);
  }
}
