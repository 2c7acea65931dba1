/**
 * The outbox on a real Redis with the real WeChat channel and the fake WeChat
 * server: a notice the closed window refuses is held and given first when the
 * customer writes again, quiet hours, dead letters, and one delivery across two instances.
 */
import { Writable } from 'node:stream';
import type { ChannelNotification, ProactiveChannel, Recipient } from '../../bot/channels';
import { loadContent } from '../../bot/content/loader';
import { createLogger } from '../../bot/log';
import { Outbox } from '../../bot/notify/outbox';
import { OutboxScheduler } from '../../bot/notify/scheduler';
import { Keys } from '../../bot/store/keys';
import { FakeWeChatServer } from '../fakes/wechat-server';
import { SimulatedWeChatUser } from '../fakes/wechat-user';
import { startTestApp, waitFor, type TestApp } from '../support/harness';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';

const APP_ID = 'wx00outboxtest001';
const SECRET = 'outbox-secret';
const TOKEN = 'outboxtoken';
const AES_KEY = 'OutboxKey0123456789abcdefghijklmnopqrstuvwx';

describe('outbox', () => {
  const fake = new FakeWeChatServer(APP_ID, SECRET);
  let clock = new Date('2026-11-23T10:00:00+08:00');
  let a: TestApp;
  let b: TestApp;
  const env = () => ({ WECHAT_OA_APP_ID: APP_ID, WECHAT_OA_APP_SECRET: SECRET, WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_AES_KEY: AES_KEY, WECHAT_API_BASE_URL: fake.url });

  beforeAll(async () => {
    await fake.start();
    // The every-minute tick stays off: these tests tick by hand and count what each tick did.
    a = await startTestApp({ env: env(), now: () => clock, scheduler: false });
    b = await startTestApp({ env: env(), now: () => clock, prefix: a.prefix, scheduler: false });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await fake.stop();
  });
  beforeEach(() => {
    fake.sent.length = 0;
    clock = new Date('2026-11-23T10:00:00+08:00');
  });

  const notice = (customerId: string, text: string) => ({ number: 'TS-20261123-0001', change: 'status', text, channelId: 'wechat-oa', customerId });
  const minutes = (n: number) => (clock = new Date(clock.getTime() + n * 60_000));

  it('holds a notice the window refuses, and gives it first when the customer writes again', async () => {
    await a.app.outbox.enqueue(notice('o_wait', '状态更新一'));
    await a.app.outbox.enqueue(notice('o_wait', '状态更新二'));
    expect(await a.app.outbox.tick()).toMatchObject({ ran: true, held: 2, retried: 0 });
    expect(fake.texts()).toEqual([]);
    expect(await a.app.outbox.pending()).toEqual([]);
    expect((await a.app.outbox.held.peek('wechat-oa', 'o_wait')).map((n) => n.text)).toEqual(['状态更新一', '状态更新二']);
    const u = new SimulatedWeChatUser({ botUrl: a.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, openId: 'o_wait' });
    // The customer writes (the window opens): the held notices come first, in order, then the answer.
    const r = await u.send(u.text('帮助'));
    const seen = [r.reply ?? '', ...fake.texts()].join('\n');
    expect(seen).toMatch(/^您有 2 条关于 TS-20261123-0001 的新进展：\s+状态更新一\s+状态更新二[\s\S]+/);
    expect(await a.app.outbox.held.peek('wechat-oa', 'o_wait')).toEqual([]);
    // Given once: the next message brings no repeat.
    const again = await u.send(u.text('帮助'));
    expect([r.reply ?? '', again.reply ?? '', ...fake.texts()].join('\n').match(/状态更新一/g)).toHaveLength(1);
  });

  it('sends nothing in quiet hours and catches up in the morning', async () => {
    clock = new Date('2026-11-23T23:30:00+08:00');
    const u = new SimulatedWeChatUser({ botUrl: a.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, openId: 'o_night' });
    await u.send(u.text('帮助'));
    await a.app.outbox.enqueue(notice('o_night', '夜间的状态更新'));
    expect(await a.app.outbox.tick()).toMatchObject({ ran: false });
    clock = new Date('2026-11-24T08:01:00+08:00');
    expect(await a.app.outbox.tick()).toMatchObject({ delivered: 1 });
    expect(fake.texts()).toEqual(['夜间的状态更新']);
  });

  it('gives up after the last attempt and keeps the notice for staff', async () => {
    // A channel this bot does not have fails every time (a held window would wait for the customer instead).
    const id = await a.app.outbox.enqueue({ ...notice('o_never', '无法送达'), channelId: 'no-such-channel' });
    for (let i = 0; i < 20; i++) {
      await a.app.outbox.tick();
      minutes(400);
      if (clock.getUTCHours() >= 14) clock = new Date(clock.getTime() + 10 * 3600_000); // 22:00 Shanghai or later: skip the night
    }
    expect((await a.app.outbox.dead()).map((n) => n.id)).toContain(id);
    expect((await a.app.outbox.pending()).map((n) => n.id)).not.toContain(id);
  });

  it('delivers a due notice once when two instances tick at the same moment', async () => {
    const u = new SimulatedWeChatUser({ botUrl: a.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, openId: 'o_twice' });
    await u.send(u.text('帮助'));
    for (let i = 0; i < 5; i++) await a.app.outbox.enqueue(notice('o_twice', `更新${i}`));
    await Promise.all([a.app.outbox.tick(), b.app.outbox.tick(), a.app.outbox.tick(), b.app.outbox.tick()]);
    expect(fake.texts().sort()).toEqual(['更新0', '更新1', '更新2', '更新3', '更新4']);
  });
});

describe('outbox scheduler', () => {
  const backend = openTestBackend();
  const keys = new Keys(uniquePrefix('scheduler'));
  const logs: string[] = [];
  const logger = createLogger({ level: 'info', hashKey: 'k', destination: new Writable({ write: (c, _e, done) => (logs.push(String(c)), done()) }) });
  const sent: Array<{ to: Recipient; what: ChannelNotification }> = [];
  let failNext = 0;
  const web: ProactiveChannel = {
    channelId: 'web-test',
    notify: async (to, what) => {
      sent.push({ to, what });
      return 'message';
    },
  };
  const policy = loadContent().complaints.notices;
  const daytime = () => new Date('2026-11-23T10:00:00+08:00');
  const outbox = new Outbox(backend, keys, new Map([[web.channelId, web]]), policy, logger, daytime);
  // Every second (node-cron's six-field form), so the test waits on a delivery rather than a minute.
  const scheduler = new OutboxScheduler(
    new Proxy(outbox, {
      get: (target, prop, receiver) =>
        prop === 'tick' && failNext > 0 ? () => (failNext--, Promise.reject(new Error('tick failed'))) : Reflect.get(target, prop, receiver),
    }),
    '* * * * * *',
    'Asia/Shanghai',
    logger,
  );
  afterAll(async () => {
    await scheduler.stop();
    await deleteKeys(backend.redis, keys.prefix);
    await backend.close();
  });

  it('ticks on its schedule, logs what a tick did and a tick that failed, and stops', async () => {
    failNext = 1;
    await outbox.enqueue({ number: 'TS-20261123-0009', change: 'status', text: '按时推送', channelId: 'web-test', customerId: 'dl_1', conversationId: 'c9' });
    scheduler.start();
    await waitFor(async () => sent.length, (n) => n === 1, 5000);
    expect(sent[0]).toEqual({ to: { customerId: 'dl_1', conversationId: 'c9' }, what: { text: '按时推送' } });
    // The delivery is seen before its tick has logged: wait for the tick's own line ("outbox tick failed" also holds "outbox tick").
    await waitFor(async () => logs.join(''), (l) => l.includes('"msg":"outbox tick"'), 5000);
    expect(logs.some((l) => l.includes('outbox tick failed'))).toBe(true);
    expect(JSON.parse(logs.find((l) => l.includes('"msg":"outbox tick"'))!)).toMatchObject({ delivered: 1, retried: 0, dead: 0 });
    await scheduler.stop();
    const ticks = logs.length;
    await outbox.enqueue({ number: 'TS-20261123-0010', change: 'status', text: '停了', channelId: 'web-test', customerId: 'dl_1' });
    // Nothing to wait for when nothing may happen: a live every-second schedule would tick within this time.
    await new Promise((r) => setTimeout(r, 1500));
    expect([sent.length, logs.length]).toEqual([1, ticks]);
  });
});
