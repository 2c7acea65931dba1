/** Parts of the web channel's hardening without a server: configuration, client addresses, JSON depth, watermarks, page headers, the credential throttle's arithmetic. */
import { loadConfig } from '../../bot/config';
import { clientAddress, limitKey, truncatedAddress } from '../../bot/http/client-address';
import { jsonDepthExceeds } from '../../bot/http/body';
import { pageHeaders } from '../../bot/http/security-headers';
import { parseWatermark } from '../../adapters/directline/watermark';
import { CredentialThrottle } from '../../adapters/directline/auth-throttle';
import { MemoryBackend } from '../../bot/store/memory-backend';
import { Keys } from '../../bot/store/keys';
import type { IncomingMessage } from 'node:http';

const production = { NODE_ENV: 'production', REDIS_URL: 'redis://127.0.0.1:6379', DIRECT_LINE_SECRET: 'x'.repeat(40), LOG_HASH_KEY: 'k' };

describe('configuration of the web channel', () => {
  it('requires PUBLIC_URL in production, as an http(s) origin without a path', () => {
    expect(() => loadConfig(production)).toThrow(/PUBLIC_URL: required when NODE_ENV=production/);
    expect(() => loadConfig({ ...production, PUBLIC_URL: 'https://chat.example-bank.cn/chat' })).toThrow(/PUBLIC_URL: an http\(s\) origin/);
    expect(() => loadConfig({ PUBLIC_URL: 'javascript:alert(1)' })).toThrow(/PUBLIC_URL/);
    expect(loadConfig({ ...production, PUBLIC_URL: 'https://chat.example-bank.cn' }).PUBLIC_URL).toBe('https://chat.example-bank.cn');
  });

  it('has safe defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      TRUST_PROXY: 0, DIRECT_LINE_AUTH_FAILURES_PER_MINUTE: 20, DIRECT_LINE_STREAM_MAX_PAYLOAD_BYTES: 4096,
      DIRECT_LINE_STREAMS_PER_CONVERSATION: 4, DIRECT_LINE_STREAMS_PER_ADDRESS: 50, WEBCHAT_FRAME_ANCESTORS: "'self'",
    });
  });

  it.each([["'none'"], ["'self' https://www.example-bank.cn"], ['https://*.example-bank.cn:8443']])('accepts frame ancestors %s', (v) => {
    expect(loadConfig({ WEBCHAT_FRAME_ANCESTORS: v }).WEBCHAT_FRAME_ANCESTORS).toBe(v);
  });

  it('accepts self and none without quotes (as a .env parser may leave them)', () => {
    expect(loadConfig({ WEBCHAT_FRAME_ANCESTORS: 'self https://www.example-bank.cn' }).WEBCHAT_FRAME_ANCESTORS).toBe("'self' https://www.example-bank.cn");
    expect(loadConfig({ WEBCHAT_FRAME_ANCESTORS: 'none' }).WEBCHAT_FRAME_ANCESTORS).toBe("'none'");
  });

  it.each([['*'], ['https:'], ["'self' 'none'"], ["https://x.cn; script-src *"], ['javascript:x'], ['']])('refuses frame ancestors %p', (v) => {
    expect(() => loadConfig({ WEBCHAT_FRAME_ANCESTORS: v })).toThrow(/WEBCHAT_FRAME_ANCESTORS/);
  });
});

const req = (remote: string, xff?: string) => ({ socket: { remoteAddress: remote }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

describe('client addresses', () => {
  it('uses the TCP peer unless proxies are trusted', () => {
    expect(clientAddress(req('::ffff:10.0.0.1', '1.2.3.4'), 0)).toBe('10.0.0.1');
    expect(clientAddress(req('10.0.0.1', 'spoofed, 1.2.3.4'), 1)).toBe('1.2.3.4');
    expect(clientAddress(req('10.0.0.1', 'spoofed, 1.2.3.4, 10.0.0.9'), 2)).toBe('1.2.3.4');
    // Garbage in the trusted position, or no header: the peer.
    expect(clientAddress(req('10.0.0.1', 'not-an-ip'), 1)).toBe('10.0.0.1');
    expect(clientAddress(req('10.0.0.1'), 1)).toBe('10.0.0.1');
  });

  it('limits IPv6 by /64 and truncates addresses for logs', () => {
    expect(limitKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limitKey('2001:db8:1:2:bbbb::2')).toBe(limitKey('2001:db8:1:2:aaaa::1'));
    expect(limitKey('203.0.113.5')).toBe('203.0.113.5');
    expect(truncatedAddress('203.0.113.5')).toBe('203.0.113.0/24');
    expect(truncatedAddress('2001:db8:1:2::1')).toBe('2001:db8:1::/48');
    expect(truncatedAddress('unknown')).toBe('unknown');
  });
});

describe('JSON depth and watermarks', () => {
  it('measures nesting outside strings only', () => {
    expect(jsonDepthExceeds(Buffer.from('[[[]]]'), 3)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from('[[[[]]]]'), 3)).toBe(true);
    expect(jsonDepthExceeds(Buffer.from('{"a":"[[[[[[\\"[[[["}'), 1)).toBe(false);
  });

  it.each([[undefined, 0], ['', 0], ['0', 0], ['42', 42], ['999999999999999', 999999999999999]])('reads watermark %p as %p', (raw, n) => {
    expect(parseWatermark(raw)).toBe(n);
  });

  it.each([['1e20'], ['-1'], ['1.5'], ['abc'], ['0x10'], ['1000000000000000'], [['1', '2']]])('refuses watermark %p', (raw) => {
    expect(() => parseWatermark(raw)).toThrow(/watermark/);
  });
});

describe('page headers', () => {
  it('uses the nonce, the frame ancestors, and adds HSTS only over https', () => {
    const h = pageHeaders({ frameAncestors: "'self'", connectSources: ['wss://chat.example-bank.cn'], https: true }, 'abc');
    expect(h['Content-Security-Policy']).toMatch(/script-src 'self' 'nonce-abc'/);
    expect(h['Content-Security-Policy']).not.toMatch(/unsafe/);
    expect(h['Content-Security-Policy']).toMatch(/connect-src 'self' wss:\/\/chat\.example-bank\.cn/);
    expect(h['Content-Security-Policy']).toMatch(/frame-ancestors 'self'/);
    expect(h['X-Frame-Options']).toBe('SAMEORIGIN');
    expect(h['Strict-Transport-Security']).toMatch(/max-age=\d+/);
    const listed = pageHeaders({ frameAncestors: "'self' https://www.example-bank.cn", connectSources: [], https: false }, 'n');
    expect(listed['X-Frame-Options']).toBeUndefined();
    expect(listed['Strict-Transport-Security']).toBeUndefined();
    expect(pageHeaders({ frameAncestors: "'none'", connectSources: [], https: false }, 'n')['X-Frame-Options']).toBe('DENY');
  });
});

describe('credential throttle', () => {
  const logger = { info: () => undefined, warn: () => undefined } as never;

  it('blocks for the rest of the clock minute after the allowance, per address', async () => {
    let now = Date.UTC(2026, 0, 1, 10, 0, 15);
    const throttle = new CredentialThrottle({ backend: new MemoryBackend(), keys: new Keys('t:'), failuresPerMinute: 3, logger, now: () => now });
    for (let i = 0; i < 3; i++) expect(await throttle.failed('203.0.113.1', 'FORBIDDEN', 'rest')).toBeUndefined();
    expect(await throttle.blocked('203.0.113.1')).toBe(45);
    expect(await throttle.blocked('203.0.113.2')).toBeUndefined();
    expect(await throttle.failed('203.0.113.1', 'FORBIDDEN', 'rest')).toBe(45);
    now += 45_000; // the next minute
    expect(await throttle.blocked('203.0.113.1')).toBeUndefined();
  });

  it('counts in memory while the store does not answer', async () => {
    const backend = new MemoryBackend();
    const broken = Object.assign(Object.create(backend), {
      get: () => Promise.reject(new Error('down')),
      incr: () => Promise.reject(new Error('down')),
    });
    const throttle = new CredentialThrottle({ backend: broken, keys: new Keys('t:'), failuresPerMinute: 2, logger });
    expect(await throttle.failed('2001:db8::1', 'FORBIDDEN', 'stream')).toBeUndefined();
    expect(await throttle.failed('2001:db8::2', 'FORBIDDEN', 'stream')).toBeUndefined(); // same /64
    expect(await throttle.blocked('2001:db8::3')).toEqual(expect.any(Number));
  });
});
