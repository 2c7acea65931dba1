/**
 * The message encryption Tencent's platforms share (WXBizMsgCrypt): the WeChat
 * Official Account's safe mode and WeCom's callbacks (customer service and
 * internal applications) alike. `@wecom/crypto` does the AES and SHA1; what it
 * does not do, this does (PROTOCOLS.md): verify the signature before
 * decrypting, compare in constant time, check the receive id inside the
 * plaintext (app id for the Official Account, corp id for WeCom), and refuse
 * stale timestamps and malformed nonces.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { AppError } from '../../bot/errors';

export interface CallbackCryptoOptions {
  token: string;
  /** The 43-character EncodingAESKey; absent: only the plain signature can be checked. */
  aesKey?: string;
  /** What the plaintext must end with: the app id (Official Account) or the corp id (WeCom). */
  receiveId: string;
  /** How far a callback's timestamp may be from our clock. */
  windowSeconds: number;
  now?: () => number;
}

/** What every signed callback carries in its query. */
export interface SignedQuery {
  msg_signature?: string;
  timestamp?: string;
  nonce?: string;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const signatureInvalid = (message: string) => new AppError('WECHAT_SIGNATURE_INVALID', message, 401);
/** The platforms send a Unix time in seconds and a short alphanumeric nonce; anything else is not from them. */
const TIMESTAMP = /^\d{1,12}$/;
const NONCE = /^[A-Za-z0-9]{1,64}$/;

export class CallbackCrypto {
  private readonly now: () => number;

  constructor(private readonly options: CallbackCryptoOptions) {
    if (!options.token) throw new Error('callback token must not be empty');
    if (options.aesKey !== undefined && options.aesKey.length !== 43) throw new Error('EncodingAESKey must be 43 characters');
    this.now = options.now ?? (() => Date.now());
  }

  get windowSeconds(): number {
    return this.options.windowSeconds;
  }

  get canDecrypt(): boolean {
    return Boolean(this.options.aesKey);
  }

  /** The timestamp is a number within the window, the nonce well-formed. */
  checkFreshness(timestamp: string, nonce: string): void {
    if (!TIMESTAMP.test(timestamp)) throw signatureInvalid('timestamp is not a number');
    if (Math.abs(this.now() / 1000 - Number(timestamp)) > this.options.windowSeconds) {
      throw new AppError('WECHAT_TIMESTAMP_STALE', 'timestamp outside the accepted window', 401);
    }
    if (!NONCE.test(nonce)) throw signatureInvalid('nonce is malformed');
  }

  /** The signature over token, timestamp, nonce and `signed` (empty for the Official Account's plain mode). */
  checkSignature(signature: string, timestamp: string, nonce: string, signed: string): void {
    if (!safeEqual(getSignature(this.options.token, timestamp, nonce, signed), signature)) throw signatureInvalid('signature does not match');
  }

  /** Checks msg_signature over the ciphertext, then decrypts and checks the receive id; returns the plaintext. */
  open(query: SignedQuery, encrypted: string): string {
    const { msg_signature: msgSignature, timestamp, nonce } = query;
    if (!this.options.aesKey) throw signatureInvalid('encrypted message but no EncodingAESKey is configured');
    if (!msgSignature || !timestamp || !nonce) throw signatureInvalid('msg_signature, timestamp and nonce are required');
    if (!encrypted) throw signatureInvalid('nothing encrypted');
    this.checkFreshness(timestamp, nonce);
    if (!safeEqual(getSignature(this.options.token, timestamp, nonce, encrypted), msgSignature)) throw signatureInvalid('msg_signature does not match');
    let opened: { message: string; id: string };
    try {
      opened = decrypt(this.options.aesKey, encrypted);
    } catch {
      throw signatureInvalid('message cannot be decrypted');
    }
    if (!safeEqual(opened.id, this.options.receiveId)) throw signatureInvalid('message is for another receive id');
    return opened.message;
  }

  /** Encrypts and signs a message for the platform (a passive reply). */
  seal(message: string): { encrypt: string; signature: string; timestamp: string; nonce: string } {
    if (!this.options.aesKey) throw new Error('no EncodingAESKey');
    const timestamp = String(Math.floor(this.now() / 1000));
    const nonce = String(randomBytes(4).readUInt32BE());
    const sealed = encrypt(this.options.aesKey, message, this.options.receiveId);
    return { encrypt: sealed, signature: getSignature(this.options.token, timestamp, nonce, sealed), timestamp, nonce };
  }
}
