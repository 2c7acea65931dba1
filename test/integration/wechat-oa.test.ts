/**
 * The WeChat Official Account channel end to end: a simulated WeChat posts
 * signed (and in safe mode encrypted) XML to the real app over HTTP; the bot's
 * API calls go to a fake WeChat server on loopback. Real Redis throughout.
 */
import type { TurnContext } from 'botbuilder';
import { getSignature } from '@wecom/crypto';
import { FakeWeChatServer } from '../fakes/wechat-server';
import { SimulatedWeChatUser } from '../fakes/wechat-user';
import { startTestApp, waitFor, type TestApp } from '../support/harness';
import { uniquePrefix } from '../support/redis';

const APP_ID = 'wx1234567890abcdef';
const SECRET = 'test-app-secret';
const TOKEN = 'cfdtoken2026';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

function wechatEnv(fake: FakeWeChatServer, extra: Record<string, string> = {}) {
  return { WECHAT_OA_APP_ID: APP_ID, WECHAT_OA_APP_SECRET: SECRET, WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_AES_KEY: AES_KEY, WECHAT_API_BASE_URL: fake.url, ...extra };
}

/** An account in plain mode (明文模式): no EncodingAESKey configured. */
function plainEnv(fake: FakeWeChatServer) {
  const { WECHAT_OA_AES_KEY: _key, ...env } = wechatEnv(fake);
  return env;
}

async function turnsOn(t: TestApp): Promise<number> {
  const metrics = await (await fetch(`${t.url}/metrics`)).text();
  return [...metrics.matchAll(/bot_turns_total\{channel="wechat-oa",[^}]*\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
}

describe('WeChat OA with the real bot', () => {
  const fake = new FakeWeChatServer(APP_ID, SECRET);
  let t: TestApp; // safe mode: an EncodingAESKey is configured
  let plain: TestApp; // plain mode: no key
  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({ env: wechatEnv(fake) });
    plain = await startTestApp({ env: plainEnv(fake) });
  });
  afterAll(async () => {
    await t.close();
    await plain.close();
    await fake.stop();
  });
  // The mode is the account's configuration: plain-mode users talk to the plain-mode bot.
  const user = (safeMode: boolean, openId = `o${uniquePrefix('u').slice(7, 15)}`) =>
    new SimulatedWeChatUser({ botUrl: safeMode ? t.url : plain.url, token: TOKEN, appId: APP_ID, aesKey: safeMode ? AES_KEY : undefined, safeMode, openId });
  const appOf = (safeMode: boolean) => (safeMode ? t : plain);

  it.each([['safe', true], ['plain', false]])('answers the URL verification with the echostr in %s mode, and refuses a forged one', async (_mode, safe) => {
    // The Official Account's GET check is the plain signature in every mode (接入指南).
    const base = appOf(safe as boolean).url;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const ok = await fetch(`${base}/wechat/oa?signature=${getSignature(TOKEN, timestamp, '42', '')}&timestamp=${timestamp}&nonce=42&echostr=hello123`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('hello123');
    const forged = await fetch(`${base}/wechat/oa?signature=${'0'.repeat(40)}&timestamp=${timestamp}&nonce=42&echostr=hello123`);
    expect(forged.status).toBe(401);
  });

  it('greets a new follower in safe mode and holds a conversation with numbered menus', async () => {
    const u = user(true);
    const welcome = await u.send(u.event('subscribe'));
    expect(welcome.status).toBe(200);
    expect(welcome.reply).toMatch(/您好！我是银行的在线客服助手/);
    expect(welcome.reply).toMatch(/1\. 我要投诉\n2\. 查询投诉进度\n3\. 撤销投诉\n4\. 转人工服务\n5\. 切换语言\n6\. 使用帮助\n（回复数字即可选择）/);
    const language = await u.send(u.text('5'));
    expect(language.reply).toMatch(/请选择您希望使用的语言/);
    expect(language.reply).toMatch(/3\. English/);
    const english = await u.send(u.text('3')); // the third language, by its number
    expect(english.reply).toMatch(/continue in English/);
    expect(english.reply).toMatch(/1\. Make a complaint\n2\. Check my complaint/);
  });

  it('takes a whole complaint in safe mode, then shows its progress', async () => {
    const u = user(true);
    await u.send(u.event('subscribe'));
    const first = await u.send(u.text('我昨天下午在陆家嘴支行ATM取款5000元，钱没出来但卡里扣了，希望尽快退款，电话13812345678'));
    expect(first.reply).toMatch(/您同意吗？\n1\. 同意\n2\. 不同意/);
    const summary = await u.send(u.text('1')); // "1. 同意"
    expect(summary.reply).toMatch(/请确认您的投诉信息[\s\S]*金额：¥5,000.00[\s\S]*138\*\*\*\*5678/);
    const done = await u.send(u.text('1')); // "1. 确认提交" by its number
    const number = /TS-\d{8}-\d{4}/.exec(done.reply ?? '')?.[0];
    expect(number).toBeDefined();
    const ticket = await t.app.tickets.get(number!);
    expect(ticket.customer).toMatchObject({ channelId: 'wechat-oa', id: u.options.openId, phone: '13812345678' });
    const progress = await u.send(u.text('查询投诉进度'));
    expect(progress.reply).toContain(number!);
  });

  it('keeps pictures as evidence: on the open complaint, or starting one', async () => {
    const u = user(false);
    const picture = (id: string) => u.envelope({ MsgType: 'image', PicUrl: `http://mmbiz.example/${id}.jpg`, MediaId: id, MsgId: `880000000000${id}` });
    const start = await u.send(picture('1'));
    expect(start.reply).toMatch(/我来帮您登记投诉/);
    await u.send(u.text('昨天在天河支行ATM取款，机器吞卡了，希望马上退卡'));
    await u.send(u.text('13812345678'));
    await u.send(u.text('同意'));
    const done = await u.send(u.text('确认提交'));
    const number = /TS-\d{8}-\d{4}/.exec(done.reply ?? '')![0];
    expect((await plain.app.tickets.get(number)).evidence.map((e) => e.url)).toEqual(['http://mmbiz.example/1.jpg']);
    const later = await u.send(picture('2'));
    expect(later.reply).toContain(`图片已作为证据添加到投诉 ${number}`);
    const ticket = await plain.app.tickets.get(number);
    expect(ticket.evidence.map((e) => e.url)).toEqual(['http://mmbiz.example/1.jpg', 'http://mmbiz.example/2.jpg']);
    expect(ticket.audit.at(-1)).toMatchObject({ action: 'evidence', by: 'customer' });
  });

  it('never writes the customer\'s phone number or openid to the log', async () => {
    const u = user(true);
    await u.send(u.text('我昨天被扣了两次款，每次300元，要求退款，电话13812345678'));
    await u.send(u.text('同意'));
    await u.send(u.text('确认提交'));
    const log = t.logs.join('');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain('13812345678');
    expect(log).not.toContain(u.options.openId);
  });

  it('answers a plain-mode text message with one passive reply', async () => {
    const u = user(false);
    const before = await turnsOn(plain);
    const r = await u.send(u.text('帮助'));
    expect(r.reply).toMatch(/您随时可以发送/);
    expect(await turnsOn(plain)).toBe(before + 1);
  });

  it('maps a menu click to the menu entry', async () => {
    const u = user(false);
    const r = await u.send(u.event('CLICK', 'menu:help'));
    expect(r.reply).toMatch(/您随时可以发送/);
  });

  it('replays of a message (WeChat retries) get the same reply and run no second turn', async () => {
    const u = user(false);
    const msg = u.text('帮助');
    const first = await u.send(msg);
    const before = await turnsOn(plain);
    const again = await u.send(msg);
    expect(again.reply).toBe(first.reply);
    expect(await turnsOn(plain)).toBe(before);
  });

  it.each([
    ['a forged signature', { forgeSignature: true }, false, 401],
    ['a forged signature in safe mode', { forgeSignature: true }, true, 401],
    ['a stale timestamp', { timestamp: Math.floor(Date.now() / 1000) - 3600 }, false, 401],
    ['malformed XML', { rawBody: '<xml><Content>hi</xml' }, false, 400],
    ['XML with a DOCTYPE', { rawBody: '<!DOCTYPE xml [<!ENTITY x "y">]><xml><ToUserName>a</ToUserName></xml>' }, false, 400],
    ['an oversized body', { rawBody: `<xml><Content>${'长'.repeat(20000)}</Content></xml>` }, false, 413],
    ['XML missing required fields', { rawBody: '<xml><Content>hi</Content></xml>' }, false, 400],
  ])('refuses %s without running a turn', async (_name, tweak, safe, status) => {
    const u = user(safe as boolean);
    const before = await turnsOn(appOf(safe as boolean));
    const r = await u.send(u.text('帮助'), tweak as never);
    expect(r.status).toBe(status);
    expect(r.reply).toBeUndefined();
    expect(await turnsOn(appOf(safe as boolean))).toBe(before);
  });

  it('answers an unsupported message type politely, without a turn', async () => {
    const u = user(false);
    const before = await turnsOn(plain);
    const r = await u.send(u.envelope({ MsgType: 'video', MediaId: 'abc', ThumbMediaId: 't', MsgId: '77000000000001' }));
    expect(r.reply).toMatch(/这类消息我暂时无法查看/);
    expect(await turnsOn(plain)).toBe(before);
  });

  it('asks a voice message without recognition to be typed', async () => {
    const u = user(false);
    const r = await u.send(u.envelope({ MsgType: 'voice', MediaId: 'v', Format: 'amr', MsgId: '77000000000002' }));
    expect(r.reply).toMatch(/用文字描述/);
  });
});

describe('WeChat OA replies that do not fit the passive reply', () => {
  const fake = new FakeWeChatServer(APP_ID, SECRET);
  let t: TestApp;
  let turnDelayMs = 0;
  let longReply = false;
  const logic = async (context: TurnContext) => {
    if (context.activity.type !== 'message') return;
    await new Promise((r) => setTimeout(r, turnDelayMs));
    await context.sendActivity(longReply ? Array.from({ length: 200 }, (_, i) => `第${i}条说明`).join('\n') : `收到：${context.activity.text}`);
  };
  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({ env: wechatEnv(fake, { WECHAT_PASSIVE_BUDGET_MS: '500' }), turnLogic: logic });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  beforeEach(() => {
    fake.sent.length = 0;
    turnDelayMs = 0;
    longReply = false;
  });
  const user = () => new SimulatedWeChatUser({ botUrl: t.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, safeMode: true, openId: `o${Math.random().toString(36).slice(2, 12)}` });

  it('sends a slow turn\'s reply through the customer-service API exactly once, also when WeChat retries meanwhile', async () => {
    turnDelayMs = 1200;
    const u = user();
    const msg = u.text('慢一点的问题');
    const [first, retry] = await Promise.all([u.send(msg), new Promise((r) => setTimeout(r, 100)).then(() => u.send(msg))]);
    expect(first.raw).toBe('success');
    expect(retry.raw).toBe('success');
    await waitFor(async () => fake.texts(), (x) => x.length >= 1, 5000);
    await new Promise((r) => setTimeout(r, 800));
    const third = await u.send(msg); // a late retry after the turn finished
    expect(third.raw).toBe('success');
    expect(fake.texts()).toEqual(['收到：慢一点的问题']);
    expect(fake.sent[0]!.body.touser).toBe(u.options.openId);
  });

  it('sends what does not fit one passive reply through the API', async () => {
    longReply = true;
    const u = user();
    const r = await u.send(u.text('长回复'));
    expect(Buffer.byteLength(r.reply!)).toBeLessThanOrEqual(2048);
    await waitFor(async () => fake.texts(), (x) => x.length >= 1);
    expect([r.reply, ...fake.texts()].join('\n')).toBe(Array.from({ length: 200 }, (_, i) => `第${i}条说明`).join('\n'));
  });

  it('refreshes an invalidated access_token once and retries, sharing tokens through Redis', async () => {
    turnDelayMs = 700;
    const u = user();
    await u.send(u.text('第一条'));
    await waitFor(async () => fake.texts(), (x) => x.length === 1, 5000);
    const issued = fake.tokensIssued;
    fake.invalidateTokens();
    await u.send(u.text('第二条'));
    await waitFor(async () => fake.texts(), (x) => x.length === 2, 5000);
    expect(fake.tokensIssued).toBe(issued + 1);
  });

  it('sends nothing once the service-window allowance is used up', async () => {
    turnDelayMs = 900;
    const u = user();
    const key = t.app.keys.serviceWindowSends('wechat-oa', u.options.openId);
    const answer = u.send(u.text('晚到的回复'));
    // While the turn runs, five messages have already been sent since the customer wrote.
    await new Promise((r) => setTimeout(r, 200));
    await t.backend.set(key, '5', { ttlMs: 60_000 });
    expect((await answer).raw).toBe('success');
    await new Promise((r) => setTimeout(r, 1200));
    expect(fake.texts()).toEqual([]);
  });

  it('sends again after the customer writes again (the window reopens)', async () => {
    const u = user();
    await t.backend.set(t.app.keys.serviceWindowSends('wechat-oa', u.options.openId), '5', { ttlMs: 60_000 });
    turnDelayMs = 700;
    await u.send(u.text('新消息'));
    await waitFor(async () => fake.texts(), (x) => x.length === 1, 5000);
    expect(fake.texts()).toEqual(['收到：新消息']);
  });
});

describe('WeChat OA proactive notifications', () => {
  const fake = new FakeWeChatServer(APP_ID, SECRET);
  let withTemplate: TestApp;
  let without: TestApp;
  let contentDir: string;
  beforeAll(async () => {
    await fake.start();
    const { cpSync, mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { DEFAULT_CONTENT_DIR } = await import('../../bot/content/loader');
    contentDir = mkdtempSync(path.join(tmpdir(), 'content-'));
    cpSync(DEFAULT_CONTENT_DIR, contentDir, { recursive: true });
    const file = path.join(contentDir, 'policy', 'wechat-templates.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.templates.ticketStatus.templateId = 'TPL_STATUS_001';
    writeFileSync(file, JSON.stringify(json));
    withTemplate = await startTestApp({ env: { ...wechatEnv(fake), CONTENT_DIR: contentDir } });
    without = await startTestApp({ env: wechatEnv(fake) });
  });
  afterAll(async () => {
    await withTemplate.close();
    await without.close();
    await fake.stop();
  });
  beforeEach(() => (fake.sent.length = 0));

  const note = { text: '您的投诉 TS-20261123-0001 已受理。', template: { name: 'ticketStatus', values: { ticketNumber: 'TS-20261123-0001', status: '已受理', summary: '您的投诉已受理' } } };

  it('sends a customer-service message inside the window', async () => {
    const u = new SimulatedWeChatUser({ botUrl: without.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, openId: 'o_inside_window' });
    await u.send(u.text('帮助'));
    await expect(without.app.channels.get('wechat-oa')!.notify({ customerId: 'o_inside_window' }, note)).resolves.toBe('message');
    expect(fake.texts()).toEqual([note.text]);
  });

  it('reports "cannot send now" outside the window when no template is configured', async () => {
    await expect(without.app.channels.get('wechat-oa')!.notify({ customerId: 'o_never_wrote' }, note)).rejects.toMatchObject({ code: 'CHANNEL_WINDOW_CLOSED' });
    expect(fake.sent).toEqual([]);
  });

  it('sends the configured template outside the window, fields filled from the notification', async () => {
    await expect(withTemplate.app.channels.get('wechat-oa')!.notify({ customerId: 'o_never_wrote' }, note)).resolves.toBe('template');
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]!.body).toMatchObject({
      touser: 'o_never_wrote', template_id: 'TPL_STATUS_001',
      data: { first: { value: '您的投诉已受理' }, keyword1: { value: 'TS-20261123-0001' }, keyword2: { value: '已受理' }, keyword3: { value: '' } },
    });
  });

  it('tells a WeChat customer of a status change, or queues the notice when the window is closed', async () => {
    const u = new SimulatedWeChatUser({ botUrl: without.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, openId: 'o_status' });
    await u.send(u.text('昨天被多扣了100元手续费，要求退还，电话13812345678'));
    await u.send(u.text('同意'));
    const number = /TS-\d{8}-\d{4}/.exec((await u.send(u.text('确认提交'))).reply ?? '')![0];
    fake.sent.length = 0;
    await without.app.tickets.transition(number, 'accepted', 'staff:1');
    expect(fake.texts()).toEqual([expect.stringContaining(`关于您的投诉 ${number}：目前状态为“已受理”`)]);
    // The window closes (48 hours pass): the next notice waits in the outbox.
    await without.backend.del(without.app.keys.serviceWindow('wechat-oa', 'o_status'));
    await without.app.tickets.transition(number, 'assigned', 'staff:1');
    expect(fake.texts()).toHaveLength(1);
    expect(await without.app.outbox.pending()).toContainEqual(expect.objectContaining({ number, change: 'status', attempts: 1, lastError: 'CHANNEL_WINDOW_CLOSED' }));
  });

  it('shares one access_token between two instances: one refresh under the lock, both use it', async () => {
    const other = await startTestApp({ env: wechatEnv(fake), prefix: without.prefix });
    try {
      const users = ['o_a', 'o_b', 'o_c', 'o_d'];
      for (const id of users) {
        const u = new SimulatedWeChatUser({ botUrl: without.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, openId: id });
        await u.send(u.text('帮助'));
      }
      // No token cached: both instances need one at the same moment.
      await without.backend.del(without.app.keys.channelToken('wechat-oa', APP_ID));
      fake.sent.length = 0;
      const issued = fake.tokensIssued;
      await Promise.all(users.map((id, i) => (i % 2 ? other : without).app.channels.get('wechat-oa')!.notify({ customerId: id }, note)));
      expect(fake.tokensIssued).toBe(issued + 1);
      expect(fake.sent.map((m) => m.body.touser).sort()).toEqual(users);
    } finally {
      await other.close();
    }
  });
});
