/**
 * The WeChat Official Account channel end to end: a simulated WeChat posts
 * signed (and in safe mode encrypted) XML to the real app over HTTP; the bot's
 * API calls go to a fake WeChat server on loopback. Real Redis throughout.
 * Proactive notifications and the 48-hour window, and the platform's error
 * codes, have their own files (wechat-oa-window.test.ts, wechat-oa-errors.test.ts).
 */
import type { TurnContext } from 'botbuilder';
import { getSignature } from '@wecom/crypto';
import type { WeChatOaAdapter } from '../../adapters/wechat-oa/adapter';
import { AES_KEY, APP_ID, SECRET, TOKEN, realisticOpenId, wechatEnv } from '../fakes/wechat-account';
import { FakeWeChatServer } from '../fakes/wechat-server';
import { SimulatedWeChatUser } from '../fakes/wechat-user';
import { startTestApp, waitFor, type TestApp } from '../support/harness';
import { uniquePrefix } from '../support/redis';
import { TurnGate } from '../support/turn-gate';

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
    expect(welcome.reply).toMatch(/1\. 我要投诉\n2\. 查询投诉进度\n3\. 撤销投诉\n4\. 转人工服务\n5\. 咨询问题\n6\. 切换语言\n7\. 使用帮助\n（回复数字即可选择）/);
    const language = await u.send(u.text('6'));
    expect(language.reply).toMatch(/请选择您希望使用的语言/);
    expect(language.reply).toMatch(/3\. English/);
    const english = await u.send(u.text('3')); // the third language, by its number
    expect(english.reply).toMatch(/continue in English/);
    expect(english.reply).toMatch(/1\. Make a complaint\n2\. Check my complaint/);
  });

  it('answers a question with numbered choices and a numbered "did this help?" (WeChat has no buttons)', async () => {
    const u = user(true);
    await u.send(u.event('subscribe'));
    const offered = (await u.send(u.text('我想问下理财的事'))).reply ?? '';
    expect(offered).toMatch(/您想问的是下面哪一个？/);
    // The entries' questions, numbered, then "都不是".
    const lines = [...offered.matchAll(/^(\d)\. (.+)$/gm)].map((m) => ({ n: m[1]!, label: m[2]! }));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)!.label).toBe('都不是');
    const found = t.app.faq.knowledge.lookup('我想问下理财的事', 'zh-CN');
    const second = found.kind === 'choices' ? found.options[1]! : undefined;
    expect(lines[1]!.label).toBe(second?.question);
    // "2" picks the second entry: its answer, then "did this help?" as a numbered list.
    const answered = (await u.send(u.text('2'))).reply ?? '';
    expect(answered).toContain(t.app.faq.knowledge.answer(second!.id, 'zh-CN')!.text.slice(0, 20));
    expect(answered).toMatch(/这个回答对您有帮助吗？[^]*1\. 有帮助\n2\. 没有解决/);
    expect((await u.send(u.text('1'))).reply ?? '').toMatch(/很高兴能帮到您/);
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

describe('WeChat OA: a turn that fails', () => {
  const fake = new FakeWeChatServer(APP_ID, SECRET);
  let t: TestApp;
  // A fault deep inside a turn, of the kind that carries what it was working on: the customer's words and id.
  const logic = async (context: TurnContext) => {
    if (context.activity.type !== 'message') return;
    throw new Error(`cannot file "${context.activity.text}" for ${context.activity.from.id}`);
  };
  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({ env: wechatEnv(fake), turnLogic: logic });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('logs the failed turn, but never the customer\'s phone number or openid', async () => {
    const openId = realisticOpenId();
    const phone = '13912345678';
    const u = new SimulatedWeChatUser({ botUrl: t.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, openId });
    const r = await u.send(u.text(`我的卡昨天被盗刷了两笔，请尽快回电 ${phone}`));
    // The customer gets the apology with a reference; the log has the turn under that reference.
    const ref = /参考编号 ([0-9a-f]{8})/.exec(r.reply ?? '')?.[1];
    expect(ref).toBeDefined();
    const lines = t.logs.map((l) => JSON.parse(l) as Record<string, any>);
    const failed = lines.find((l) => l.msg === 'turn failed' && l.ref === ref);
    expect(failed).toMatchObject({ channel: 'wechat-oa', code: expect.any(String) });
    const turnLines = lines.filter((l) => l.turnId === failed!.turnId);
    expect(turnLines.length).toBeGreaterThan(0);
    for (const line of turnLines) {
      expect(JSON.stringify(line)).not.toContain(phone);
      expect(JSON.stringify(line)).not.toContain(openId);
    }
    const log = t.logs.join('');
    expect(log).not.toContain(phone);
    expect(log).not.toContain(openId);
  });
});

describe('WeChat OA replies that do not fit the passive reply', () => {
  const fake = new FakeWeChatServer(APP_ID, SECRET);
  let t: TestApp;
  let longReply = false;
  // A held turn is a turn slower than the passive budget, for as long as the test wants.
  const gate = new TurnGate();
  const logic = async (context: TurnContext) => {
    if (context.activity.type !== 'message') return;
    await gate.pass();
    await context.sendActivity(longReply ? Array.from({ length: 200 }, (_, i) => `第${i}条说明`).join('\n') : `收到：${context.activity.text}`);
  };
  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({ env: wechatEnv(fake, { WECHAT_PASSIVE_BUDGET_MS: '500' }), turnLogic: logic });
  });
  afterAll(async () => {
    gate.open();
    await t.close();
    await fake.stop();
  });
  beforeEach(() => {
    fake.reset();
    gate.open();
    longReply = false;
  });
  const user = () => new SimulatedWeChatUser({ botUrl: t.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, safeMode: true, openId: realisticOpenId() });
  const adapter = () => t.app.channels.get('wechat-oa') as WeChatOaAdapter;

  it('sends a slow turn\'s reply through the customer-service API exactly once, also when WeChat retries meanwhile', async () => {
    gate.hold();
    const u = user();
    const msg = u.text('慢一点的问题');
    const arrived = gate.arrived;
    const first = u.send(msg);
    await waitFor(async () => gate.arrived, (n) => n === arrived + 1); // the turn is running (and held)
    const retry = await u.send(msg);
    expect(retry.raw).toBe('success'); // nothing to say within the budget: its reply will come by the API
    expect((await first).raw).toBe('success');
    expect(fake.texts()).toEqual([]);
    gate.open();
    await adapter().drain(); // the turn and its sends are over
    const third = await u.send(msg); // a late retry after the turn finished
    expect(third.raw).toBe('success');
    expect(gate.arrived).toBe(arrived + 1); // one turn for three deliveries
    expect(fake.texts()).toEqual(['收到：慢一点的问题']);
    expect(fake.sent[0]!.body.touser).toBe(u.options.openId);
  });

  it('sends what does not fit one passive reply through the API', async () => {
    longReply = true;
    const u = user();
    const r = await u.send(u.text('长回复'));
    expect(Buffer.byteLength(r.reply!)).toBeLessThanOrEqual(2048);
    await adapter().drain();
    expect(fake.texts().length).toBeGreaterThan(0);
    expect([r.reply, ...fake.texts()].join('\n')).toBe(Array.from({ length: 200 }, (_, i) => `第${i}条说明`).join('\n'));
  });

  it('refreshes an invalidated access_token once and retries, sharing tokens through Redis', async () => {
    const u = user();
    gate.hold();
    expect((await u.send(u.text('第一条'))).raw).toBe('success');
    gate.open();
    await adapter().drain();
    expect(fake.texts()).toEqual(['收到：第一条']);
    const issued = fake.tokensIssued;
    fake.invalidateTokens();
    gate.hold();
    expect((await u.send(u.text('第二条'))).raw).toBe('success');
    gate.open();
    await adapter().drain();
    expect(fake.texts()).toEqual(['收到：第一条', '收到：第二条']);
    expect(fake.tokensIssued).toBe(issued + 1);
  });

  it('sends nothing once the service-window allowance is used up', async () => {
    const u = user();
    gate.hold();
    expect((await u.send(u.text('晚到的回复'))).raw).toBe('success');
    // While the turn runs, five messages go out since the customer wrote (status notices).
    const notice = { text: '您的投诉已受理。' };
    for (let i = 0; i < 5; i++) await expect(adapter().notify({ customerId: u.options.openId }, notice)).resolves.toBe('message');
    gate.open();
    await adapter().drain();
    expect(fake.texts()).toEqual(Array(5).fill(notice.text)); // the late reply was not sent
    expect(t.logs.join('')).toMatch(/"code":"CHANNEL_WINDOW_CLOSED"[^\n]*WeChat send failed|WeChat send failed[^\n]*"code":"CHANNEL_WINDOW_CLOSED"/);
  });

  it('sends again after the customer writes again (the window reopens)', async () => {
    const u = user();
    await u.send(u.text('第一条'));
    for (let i = 0; i < 5; i++) await adapter().notify({ customerId: u.options.openId }, { text: `通知${i}` });
    fake.reset();
    gate.hold();
    expect((await u.send(u.text('新消息'))).raw).toBe('success');
    gate.open();
    await adapter().drain();
    expect(fake.texts()).toEqual(['收到：新消息']);
  });
});
