/**
 * Verifying and sealing WeChat Official Account callbacks.
 * Signature rules: developers.weixin.qq.com "接入指南" (plain) and "消息加解密说明"
 * (safe mode: msg_signature over token, timestamp, nonce and Encrypt).
 * @wecom/crypto does the AES and SHA1; what it does not do, we do here: verify
 * before decrypting, compare in constant time, check the app id inside the
 * plaintext, and refuse stale timestamps.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { AppError } from '../../bot/errors';

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

export class WeChatVerifier {
  private readonly now: () => number;

  constructor(private readonly options: VerifierOptions) {
    if (!options.token) throw new Error('WeChat token must not be empty');
    if (options.aesKey !== undefined && options.aesKey.length !== 43) throw new Error('EncodingAESKey must be 43 characters');
    this.now = options.now ?? (() => Date.now());
  }

  get safeModeAvailable(): boolean {
    return Boolean(this.options.aesKey);
  }

  /** Checks the plain-mode `signature` and the timestamp window. */
  verifySignature(query: CallbackQuery): void {
    const { signature, timestamp, nonce } = query;
    if (!signature || !timestamp || !nonce) throw invalid('signature, timestamp and nonce are required');
    this.checkTimestamp(timestamp);
    if (!safeEqual(getSignature(this.options.token, timestamp, nonce, ''), signature)) throw invalid('signature does not match');
  }

  /** Safe mode: checks msg_signature over the ciphertext, then decrypts and checks the app id. */
  openEncrypted(query: CallbackQuery, encrypted: string): string {
    const { msg_signature: msgSignature, timestamp, nonce } = query;
    if (!this.options.aesKey) throw invalid('encrypted message but no EncodingAESKey is configured');
    if (!msgSignature || !timestamp || !nonce) throw invalid('msg_signature, timestamp and nonce are required');
    this.checkTimestamp(timestamp);
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
    const seconds = Number(timestamp);
    if (!Number.isInteger(seconds)) throw invalid('timestamp is not a number');
    if (Math.abs(this.now() / 1000 - seconds) > this.options.windowSeconds) {
      throw new AppError('WECHAT_TIMESTAMP_STALE', 'timestamp outside the accepted window', 401);
    }
  }
}
