/**
 * The WeChat callback as an attacker and an unlucky operator see it (issue 8):
 * safe mode cannot be downgraded to plain mode, a captured signature cannot be
 * replayed with another body, one customer's MsgId never answers another, and
 * with Redis down the customer is asked to resend instead of seeing an error.
 * A simulated WeChat posts to the real app over HTTP; real Redis throughout
 * (for the outage: a real client pointed at a closed port, or disconnected).
 */
import { Writable } from 'node:stream';
import { buildWeChatXml } from '../../adapters/tencent/xml';
import { createApp, type App } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/log';
import { RedisBackend } from '../../bot/store/redis-backend';
import { FakeWeChatServer } from '../fakes/wechat-server';
import { SimulatedWeChatUser } from '../fakes/wechat-user';
import { daytimeClock, startTestApp, type TestApp } from '../support/harness';
import { uniquePrefix } from '../support/redis';
import { TestRedisServer } from '../support/redis-server';

const APP_ID = 'wx5e1ec7ed0a11ce00';
const SECRET = 'hardening-app-secret';
const TOKEN = 'hardeningtoken2026';
const AES_KEY = 'HardeningKey0123456789abcdefghijklmnopqrstu';

const wechatEnv = (fake: FakeWeChatServer, safe: boolean): Record<string, string> => ({
  WECHAT_OA_APP_ID: APP_ID, WECHAT_OA_APP_SECRET: SECRET, WECHAT_OA_TOKEN: TOKEN, WECHAT_API_BASE_URL: fake.url,
  ...(safe ? { WECHAT_OA_AES_KEY: AES_KEY } : {}),
});

async function turnsOn(url: string): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  return [...metrics.matchAll(/bot_turns_total\{channel="wechat-oa",[^}]*\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
}

const codeOf = (raw: string): string | undefined => {
  try {
    return (JSON.parse(raw) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
};

const newOpenId = () => `o${uniquePrefix('u').slice(7, 15)}hardening`;

describe('WeChat safe mode cannot be downgraded, signatures cannot be replayed', () => {
  const fake = new FakeWeChatServer(APP_ID, SECRET);
  let safe: TestApp;
  let plain: TestApp;
  beforeAll(async () => {
    await fake.start();
    safe = await startTestApp({ env: wechatEnv(fake, true) });
    plain = await startTestApp({ env: wechatEnv(fake, false) });
  });
  afterAll(async () => {
    await safe.close();
    await plain.close();
    await fake.stop();
  });
  /** A customer as WeChat presents them; `safeMode` is how the platform sends, `app` the bot it reaches. */
  const user = (app: TestApp, safeMode: boolean, openId = newOpenId()) =>
    new SimulatedWeChatUser({ botUrl: app.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, safeMode, openId });

  it('refuses a plain-mode POST with a valid plain signature when an AES key is configured, runs no turn, logs no personal data', async () => {
    const attacker = user(safe, false);
    const before = await turnsOn(safe.url);
    const r = await attacker.send(attacker.text('撤销投诉'));
    expect(r.status).toBe(401);
    expect(codeOf(r.raw)).toBe('WECHAT_PLAINTEXT_REFUSED');
    expect(r.reply).toBeUndefined();
    expect(await turnsOn(safe.url)).toBe(before);
    const log = safe.logs.join('');
    expect(log).toContain('WECHAT_PLAINTEXT_REFUSED');
    expect(log).not.toContain(attacker.options.openId);
  });

  it('refuses encrypt_type=aes without an Encrypt field (the plain signature passed off as msg_signature)', async () => {
    const attacker = user(safe, false);
    const { query, body } = attacker.sign(attacker.text('撤销投诉'));
    // With an empty Encrypt, msg_signature equals the plain signature: it must not open the door.
    query.set('encrypt_type', 'aes');
    query.set('msg_signature', query.get('signature')!);
    const before = await turnsOn(safe.url);
    const r = await attacker.post(query, body);
    expect(r.status).toBe(401);
    expect(codeOf(r.raw)).toBe('WECHAT_PLAINTEXT_REFUSED');
    expect(await turnsOn(safe.url)).toBe(before);
  });

  it('refuses the attack from the issue: a captured safe-mode signature replayed with a plain body of the attacker\'s choice', async () => {
    const victim = user(safe, true);
    const captured = victim.sign(victim.text('帮助'));
    expect((await victim.post(captured.query, captured.body)).status).toBe(200);
    // The attacker keeps timestamp, nonce and signature and drops encrypt_type and msg_signature.
    const query = new URLSearchParams(captured.query);
    query.delete('encrypt_type');
    query.delete('msg_signature');
    const before = await turnsOn(safe.url);
    const r = await victim.post(query, buildWeChatXml(victim.text('撤销投诉')));
    expect(r.status).toBe(401);
    expect(codeOf(r.raw)).toBe('WECHAT_PLAINTEXT_REFUSED');
    expect(await turnsOn(safe.url)).toBe(before);
  });

  it('refuses a captured safe-mode request replayed with another body around the same Encrypt (WECHAT_REPLAYED)', async () => {
    const victim = user(safe, true);
    const captured = victim.sign(victim.text('帮助'));
    expect((await victim.post(captured.query, captured.body)).status).toBe(200);
    const encrypted = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(captured.body)![1]!;
    const other = buildWeChatXml({ ...victim.text('撤销投诉'), Encrypt: encrypted });
    const r = await victim.post(captured.query, other);
    expect(r.status).toBe(401);
    expect(codeOf(r.raw)).toBe('WECHAT_REPLAYED');
    expect(r.reply).toBeUndefined();
  });

  it('refuses another Encrypt under a captured msg_signature (the attacker cannot re-sign)', async () => {
    const victim = user(safe, true);
    const captured = victim.sign(victim.text('帮助'));
    const forged = victim.sign(victim.text('撤销投诉'));
    const r = await victim.post(captured.query, forged.body);
    expect(r.status).toBe(401);
    expect(codeOf(r.raw)).toBe('WECHAT_SIGNATURE_INVALID');
  });

  it('refuses, in plain mode, a signature replayed with another body (WECHAT_REPLAYED), and runs no turn', async () => {
    const victim = user(plain, false);
    const captured = victim.sign(victim.text('帮助'));
    expect((await victim.post(captured.query, captured.body)).status).toBe(200);
    const before = await turnsOn(plain.url);
    const r = await victim.post(captured.query, buildWeChatXml(victim.text('撤销投诉')));
    expect(r.status).toBe(401);
    expect(codeOf(r.raw)).toBe('WECHAT_REPLAYED');
    expect(await turnsOn(plain.url)).toBe(before);
    expect(plain.logs.join('')).not.toContain(victim.options.openId);
  });

  it('refuses, in plain mode, the signature of a URL verification (GET) replayed as a message', async () => {
    const victim = user(plain, false);
    const captured = victim.sign(victim.text('撤销投诉'));
    const verification = new URLSearchParams({ signature: captured.query.get('signature')!, timestamp: captured.query.get('timestamp')!, nonce: captured.query.get('nonce')!, echostr: 'e123' });
    const get = await fetch(`${plain.url}/wechat/oa?${verification}`);
    expect(await get.text()).toBe('e123');
    const before = await turnsOn(plain.url);
    const r = await victim.post(captured.query, captured.body);
    expect(r.status).toBe(401);
    expect(codeOf(r.raw)).toBe('WECHAT_REPLAYED');
    expect(await turnsOn(plain.url)).toBe(before);
  });

  it('handles compatible mode as encrypted: the decrypted fields count, the plain ones are ignored', async () => {
    const u = user(safe, true);
    const r = await u.send(u.text('帮助'), { compatible: true, plainFields: { ...u.text('撤销投诉'), FromUserName: 'o_somebody_else' } });
    expect(r.status).toBe(200);
    expect(r.reply).toMatch(/您随时可以发送/); // the help text, addressed to u (openReply checks ToUserName)
  });

  it.each([['safe', true], ['plain', false]])('answers WeChat\'s own retry (same request, same body) in %s mode from the reply memory, with one turn', async (_mode, safeMode) => {
    const app = safeMode ? safe : plain;
    const u = user(app, safeMode as boolean);
    const request = u.sign(u.text('帮助'));
    const before = await turnsOn(app.url);
    const first = await u.post(request.query, request.body);
    const retry = await u.post(request.query, request.body);
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(first.reply).toMatch(/您随时可以发送/);
    expect(retry.reply).toBe(first.reply);
    expect(await turnsOn(app.url)).toBe(before + 1);
  });

  it.each([['safe', true], ['plain', false]])('gives two customers with the same MsgId each their own turn and reply (%s mode)', async (_mode, safeMode) => {
    const app = safeMode ? safe : plain;
    const a = user(app, safeMode as boolean);
    const b = user(app, safeMode as boolean);
    const msgId = `66${Date.now()}${Math.floor(Math.random() * 1000)}`;
    const before = await turnsOn(app.url);
    const ra = await a.send(a.text('帮助', msgId));
    const rb = await b.send(b.text('切换语言', msgId));
    expect(ra.reply).toMatch(/您随时可以发送/);
    expect(rb.reply).toMatch(/请选择您希望使用的语言/);
    expect(await turnsOn(app.url)).toBe(before + 2);
  });
});

/** The real app with its own logger, on a backend the test controls. */
async function startAppOn(backend: RedisBackend, env: Record<string, string>): Promise<{ app: App; url: string; logs: string[] }> {
  const logs: string[] = [];
  const logger = createLogger({
    level: 'info',
    hashKey: 'test-hash-key',
    destination: new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) }),
  });
  const config = loadConfig({
    NODE_ENV: 'development', REDIS_KEY_PREFIX: uniquePrefix('wxdown'), DIRECT_LINE_SECRET: 'test-secret-0123456789-0123456789-abcdef', LOG_LEVEL: 'info', ...env,
  });
  const app = await createApp({ config, backend, logger, now: daytimeClock() });
  return { app, url: await app.listen(0, '127.0.0.1'), logs };
}

describe('WeChat when Redis is unavailable', () => {
  const fake = new FakeWeChatServer(APP_ID, SECRET);
  let down: { app: App; url: string; logs: string[] };
  let deadBackend: RedisBackend;
  beforeAll(async () => {
    await fake.start();
    // Nothing listens on port 1: every command fails, as when the Redis server is gone.
    deadBackend = RedisBackend.connect('redis://127.0.0.1:1');
    down = await startAppOn(deadBackend, wechatEnv(fake, true));
  });
  afterAll(async () => {
    await down.app.close();
    deadBackend.redis.disconnect();
    await fake.stop();
  });
  const customer = () => new SimulatedWeChatUser({ botUrl: down.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, safeMode: true, openId: newOpenId() });

  it.each([
    ['zh-CN when the text is simplified Chinese', '我昨天的转账没有到账，电话13812345678', /^抱歉，系统繁忙，您的消息这次没有收到，请稍后再发一次/],
    ['zh-TW when the text is traditional Chinese', '我昨天的轉帳沒有到賬，請幫我查詢', /^抱歉，系統繁忙，您的訊息這次沒有收到，請稍後再發一次/],
    ['English when the text is English', 'My transfer from yesterday never arrived', /^Sorry, our system is busy/],
    ['zh-CN when the text does not tell', '1', /^抱歉，系统繁忙/],
  ])('answers 200 with a polite, sealed "please resend" passive reply in %s', async (_name, text, expected) => {
    const u = customer();
    const started = Date.now();
    const r = await u.send(u.text(text));
    expect(r.status).toBe(200);
    expect(r.reply).toMatch(expected); // openReply verified the seal and the addressee
    expect(Date.now() - started).toBeLessThan(4500); // inside WeChat's 5 s
    expect(await turnsOn(down.url)).toBe(0);
    const log = down.logs.join('');
    expect(log).toContain('STORE_UNAVAILABLE');
    expect(log).not.toContain(u.options.openId);
    expect(log).not.toContain('13812345678');
    expect(log).not.toContain('转账');
  });

  it('answers a follow (an event, no text) in zh-CN', async () => {
    const u = customer();
    const r = await u.send(u.event('subscribe'));
    expect(r.status).toBe(200);
    expect(r.reply).toMatch(/^抱歉，系统繁忙/);
  });

  it('still checks signatures and refuses plain mode first: those need no Redis', async () => {
    const u = customer();
    const forged = await u.send(u.text('帮助'), { forgeSignature: true });
    expect(forged.status).toBe(401);
    const downgraded = new SimulatedWeChatUser({ ...u.options, safeMode: false });
    const plainPost = await downgraded.send(downgraded.text('帮助'));
    expect(plainPost.status).toBe(401);
    expect(codeOf(plainPost.raw)).toBe('WECHAT_PLAINTEXT_REFUSED');
  });
});

describe('WeChat when the Redis client is stopped', () => {
  const fake = new FakeWeChatServer(APP_ID, SECRET);
  let t: TestApp;
  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({ env: wechatEnv(fake, false) });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('answers a plain-mode customer with the polite reply in plain XML, then works again once Redis is back', async () => {
    const u = new SimulatedWeChatUser({ botUrl: t.url, token: TOKEN, appId: APP_ID, safeMode: false, openId: newOpenId() });
    t.backend.redis.disconnect();
    try {
      const r = await u.send(u.text('帮助'));
      expect(r.status).toBe(200);
      expect(r.raw).toMatch(/^<xml>/);
      expect(r.reply).toMatch(/^抱歉，系统繁忙/);
    } finally {
      await t.backend.redis.connect();
    }
    const again = await u.send(u.text('帮助'));
    expect(again.reply).toMatch(/您随时可以发送/);
  });
});

describe('WeChat when Redis freezes', () => {
  const fake = new FakeWeChatServer(APP_ID, SECRET);
  let redis: TestRedisServer;
  let slowBackend: RedisBackend;
  let frozen: { app: App; url: string; logs: string[] };
  beforeAll(async () => {
    await fake.start();
    redis = await TestRedisServer.start();
    // A command timeout longer than WeChat waits (a misconfiguration, or a store that hangs some other way).
    slowBackend = RedisBackend.connect(redis.url, { commandTimeoutMs: 10_000 });
    frozen = await startAppOn(slowBackend, wechatEnv(fake, true));
  });
  afterAll(async () => {
    redis.thaw();
    await frozen.app.close();
    await slowBackend.close();
    await redis.destroy();
    await fake.stop();
  });

  it('still answers the polite passive reply inside WeChat\'s 5 s, and runs no turn', async () => {
    const u = new SimulatedWeChatUser({ botUrl: frozen.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, safeMode: true, openId: newOpenId() });
    expect((await u.send(u.text('帮助'))).reply).toMatch(/您随时可以发送/);
    redis.freeze();
    const started = Date.now();
    const r = await u.send(u.text('帮助'));
    expect(r.status).toBe(200);
    expect(r.reply).toMatch(/^抱歉，系统繁忙/);
    expect(Date.now() - started).toBeLessThan(4500);
    redis.thaw();
    expect(await turnsOn(frozen.url)).toBe(1);
  });
});
