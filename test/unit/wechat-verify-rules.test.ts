/**
 * The WeChat callback checks, rule by rule: which fields are required, the
 * timestamp window in both directions and at its edge, the shape of timestamp
 * and nonce, plain versus safe mode (chosen by configuration, never by the
 * query), the app id inside the plaintext, and sealed replies that open again.
 * Signatures and ciphertexts come from @wecom/crypto, the library WeChat's own
 * samples match (test/unit/wechat-protocol.test.ts checks it on their vectors).
 */
import { encrypt, getSignature } from '@wecom/crypto';
import { safeEqual, WeChatVerifier } from '../../adapters/wechat-oa/verify';

const TOKEN = 'verifyRulesToken';
const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const APP_ID = 'wx5823bf96d3bd56c7';
const NOW_S = 1_790_000_000;
const WINDOW = 300;

const plain = (now = NOW_S * 1000) => new WeChatVerifier({ token: TOKEN, appId: APP_ID, windowSeconds: WINDOW, now: () => now });
const safe = (now = NOW_S * 1000) => new WeChatVerifier({ token: TOKEN, appId: APP_ID, aesKey: AES_KEY, windowSeconds: WINDOW, now: () => now });

/** A correctly signed plain-mode query for `timestamp` and `nonce`. */
const signed = (timestamp = String(NOW_S), nonce = '1234567') => ({ signature: getSignature(TOKEN, timestamp, nonce, ''), timestamp, nonce });
/** A correctly signed safe-mode query over `encrypted`. */
const sealedQuery = (encrypted: string, timestamp = String(NOW_S), nonce = '7654321') => ({
  encrypt_type: 'aes',
  msg_signature: getSignature(TOKEN, timestamp, nonce, encrypted),
  timestamp,
  nonce,
});

const failsWith = (f: () => unknown, code: string, message: RegExp) =>
  expect(f).toThrow(expect.objectContaining({ code, httpStatus: 401, message: expect.stringMatching(message) }));

describe('safeEqual', () => {
  it('is true only for the same string, and false (never a throw) for different lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});

describe('the verifier set-up', () => {
  it('takes a 43-character EncodingAESKey only, and reports its mode and window', () => {
    expect(() => new WeChatVerifier({ token: TOKEN, appId: APP_ID, aesKey: AES_KEY.slice(0, 42), windowSeconds: 1 })).toThrow(/43/);
    expect(() => new WeChatVerifier({ token: TOKEN, appId: APP_ID, aesKey: `${AES_KEY}x`, windowSeconds: 1 })).toThrow(/43/);
    expect(safe().safeMode).toBe(true);
    expect(plain().safeMode).toBe(false);
    expect(plain().windowSeconds).toBe(WINDOW);
  });

  it('uses the real clock when none is given', () => {
    const v = new WeChatVerifier({ token: TOKEN, appId: APP_ID, aesKey: AES_KEY, windowSeconds: WINDOW });
    const { timestamp } = v.seal('<xml/>');
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const now = String(Math.floor(Date.now() / 1000));
    expect(() => v.verifySignature(signed(now))).not.toThrow();
  });
});

describe('plain-mode signature', () => {
  it('accepts a correct signature', () => {
    expect(() => plain().verifySignature(signed())).not.toThrow();
  });

  it('requires signature, timestamp and nonce', () => {
    const q = signed();
    failsWith(() => plain().verifySignature({ ...q, signature: undefined }), 'WECHAT_SIGNATURE_INVALID', /required/);
    failsWith(() => plain().verifySignature({ ...q, timestamp: undefined }), 'WECHAT_SIGNATURE_INVALID', /required/);
    failsWith(() => plain().verifySignature({ ...q, nonce: undefined }), 'WECHAT_SIGNATURE_INVALID', /required/);
  });

  it('refuses a wrong signature', () => {
    failsWith(() => plain().verifySignature({ ...signed(), signature: getSignature('other', String(NOW_S), '1234567', '') }), 'WECHAT_SIGNATURE_INVALID', /does not match/);
  });

  it('accepts a timestamp up to the window either side of now, and refuses one second more', () => {
    for (const t of [NOW_S - WINDOW, NOW_S + WINDOW]) expect(() => plain().verifySignature(signed(String(t)))).not.toThrow();
    for (const t of [NOW_S - WINDOW - 1, NOW_S + WINDOW + 1]) {
      failsWith(() => plain().verifySignature(signed(String(t))), 'WECHAT_TIMESTAMP_STALE', /window/);
    }
    // Fractions of a second count: 300.5 s late is outside.
    failsWith(() => plain(NOW_S * 1000 + (WINDOW * 1000 + 500)).verifySignature(signed()), 'WECHAT_TIMESTAMP_STALE', /window/);
  });

  it('refuses a timestamp that is not 1–12 digits, and a nonce that is not 1–64 letters and digits', () => {
    for (const t of ['abc', `${NOW_S}x`, `x${NOW_S}`, '', '1234567890123', '-1', '1e9']) {
      const q = { ...signed(), timestamp: t, signature: getSignature(TOKEN, t, '1234567', '') };
      if (t === '') failsWith(() => plain().verifySignature(q), 'WECHAT_SIGNATURE_INVALID', /required/);
      else failsWith(() => plain().verifySignature(q), 'WECHAT_SIGNATURE_INVALID', /timestamp is not a number/);
    }
    for (const n of ['ab-c', '!abc', 'abc!', 'a'.repeat(65), '12 34']) {
      failsWith(() => plain().verifySignature(signed(String(NOW_S), n)), 'WECHAT_SIGNATURE_INVALID', /nonce is malformed/);
    }
    expect(() => plain().verifySignature(signed(String(NOW_S), 'a'.repeat(64)))).not.toThrow();
    expect(() => plain().verifySignature(signed(String(NOW_S), 'Z'))).not.toThrow();
    // The shortest and longest timestamps WeChat could send are numbers like any other.
    const far = new WeChatVerifier({ token: TOKEN, appId: APP_ID, windowSeconds: 10 ** 13, now: () => 0 });
    expect(() => far.verifySignature(signed('0'))).not.toThrow();
    expect(() => far.verifySignature(signed('999999999999'))).not.toThrow();
  });
});

describe('message queries', () => {
  it('in plain mode checks the whole signature before the body is read', () => {
    expect(() => plain().checkMessageQuery(signed())).not.toThrow();
    failsWith(() => plain().checkMessageQuery({ ...signed(), signature: 'x'.repeat(40) }), 'WECHAT_SIGNATURE_INVALID', /does not match/);
  });

  it('in safe mode accepts only queries that say the message is encrypted', () => {
    const q = sealedQuery('irrelevant');
    expect(() => safe().checkMessageQuery(q)).not.toThrow();
    failsWith(() => safe().checkMessageQuery({ ...q, encrypt_type: undefined }), 'WECHAT_PLAINTEXT_REFUSED', /only encrypted/);
    failsWith(() => safe().checkMessageQuery({ ...q, encrypt_type: 'raw' }), 'WECHAT_PLAINTEXT_REFUSED', /only encrypted/);
    failsWith(() => safe().checkMessageQuery({ ...q, msg_signature: undefined }), 'WECHAT_PLAINTEXT_REFUSED', /only encrypted/);
    failsWith(() => safe().checkMessageQuery({ ...q, msg_signature: '' }), 'WECHAT_PLAINTEXT_REFUSED', /only encrypted/);
    // A plain signature alone is no way in.
    failsWith(() => safe().checkMessageQuery(signed()), 'WECHAT_PLAINTEXT_REFUSED', /only encrypted/);
  });
});

describe('opening messages', () => {
  const message = '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Content><![CDATA[你好]]></Content></xml>';

  it('in plain mode returns the body as it is', () => {
    expect(plain().openMessage(signed(), message)).toBe(message);
  });

  it('in safe mode returns only the decrypted message, ignoring plain fields beside Encrypt', () => {
    const encrypted = encrypt(AES_KEY, message, APP_ID);
    const body = `<xml><Content><![CDATA[plain field]]></Content><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
    expect(safe().openMessage(sealedQuery(encrypted), body)).toBe(message);
  });

  it('in safe mode refuses a body without Encrypt, or with an empty one', () => {
    failsWith(() => safe().openMessage(sealedQuery(''), message), 'WECHAT_PLAINTEXT_REFUSED', /without Encrypt/);
    failsWith(() => safe().openMessage(sealedQuery(''), '<xml><Encrypt></Encrypt></xml>'), 'WECHAT_PLAINTEXT_REFUSED', /without Encrypt/);
  });

  it('checks msg_signature over the ciphertext, the fields it needs, the time and the nonce', () => {
    const encrypted = encrypt(AES_KEY, message, APP_ID);
    const q = sealedQuery(encrypted);
    expect(safe().openEncrypted(q, encrypted)).toBe(message);
    for (const missing of ['msg_signature', 'timestamp', 'nonce'] as const) {
      failsWith(() => safe().openEncrypted({ ...q, [missing]: undefined }, encrypted), 'WECHAT_SIGNATURE_INVALID', /required/);
    }
    failsWith(() => safe().openEncrypted({ ...q, msg_signature: getSignature(TOKEN, q.timestamp, q.nonce, '') }, encrypted), 'WECHAT_SIGNATURE_INVALID', /msg_signature does not match/);
    failsWith(() => safe(NOW_S * 1000 + (WINDOW + 1) * 1000).openEncrypted(q, encrypted), 'WECHAT_TIMESTAMP_STALE', /window/);
    const badNonce = sealedQuery(encrypted, String(NOW_S), 'no-pe');
    failsWith(() => safe().openEncrypted(badNonce, encrypted), 'WECHAT_SIGNATURE_INVALID', /nonce is malformed/);
    const badTime = sealedQuery(encrypted, 'soon');
    failsWith(() => safe().openEncrypted(badTime, encrypted), 'WECHAT_SIGNATURE_INVALID', /timestamp is not a number/);
  });

  it('refuses a ciphertext that is signed but does not decrypt, and one for another app id', () => {
    const garbage = Buffer.alloc(20, 7).toString('base64');
    failsWith(() => safe().openEncrypted(sealedQuery(garbage), garbage), 'WECHAT_SIGNATURE_INVALID', /cannot be decrypted/);
    const forOther = encrypt(AES_KEY, message, 'wx_another_app_00');
    failsWith(() => safe().openEncrypted(sealedQuery(forOther), forOther), 'WECHAT_SIGNATURE_INVALID', /another receive id/);
  });

  it('refuses an encrypted message when no EncodingAESKey is configured', () => {
    const encrypted = encrypt(AES_KEY, message, APP_ID);
    failsWith(() => plain().openEncrypted(sealedQuery(encrypted), encrypted), 'WECHAT_SIGNATURE_INVALID', /no EncodingAESKey/);
  });
});

describe('sealed replies', () => {
  it('carry the time in seconds, a numeric nonce and a signature that opens again to the reply', () => {
    const v = safe(NOW_S * 1000 + 999);
    const reply = '<xml><Content><![CDATA[收到]]></Content></xml>';
    const sealed = v.seal(reply);
    expect(sealed.timestamp).toBe(String(NOW_S));
    expect(sealed.nonce).toMatch(/^\d{1,10}$/);
    expect(sealed.signature).toBe(getSignature(TOKEN, sealed.timestamp, sealed.nonce, sealed.encrypt));
    expect(v.openEncrypted({ msg_signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce }, sealed.encrypt)).toBe(reply);
  });

  it('cannot be made without an EncodingAESKey', () => {
    expect(() => plain().seal('<xml/>')).toThrow(/no EncodingAESKey/);
  });
});
