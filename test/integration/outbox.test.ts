/**
 * The outbox on a real Redis with the real WeChat channel and the fake WeChat
 * server: retries when the window is closed, delivery once the customer writes
 * again, quiet hours, dead letters, and one delivery across two instances.
 */
import { FakeWeChatServer } from '../fakes/wechat-server';
import { SimulatedWeChatUser } from '../fakes/wechat-user';
import { startTestApp, type TestApp } from '../support/harness';

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
    a = await startTestApp({ env: env(), now: () => clock });
    b = await startTestApp({ env: env(), now: () => clock, prefix: a.prefix });
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

  it('retries a notice the window refuses, and delivers it after the customer writes again', async () => {
    await a.app.outbox.enqueue(notice('o_wait', '状态更新一'));
    expect(await a.app.outbox.tick()).toMatchObject({ ran: true, retried: 1 });
    expect(fake.sent).toEqual([]);
    const u = new SimulatedWeChatUser({ botUrl: a.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, openId: 'o_wait' });
    await u.send(u.text('帮助')); // the window opens
    expect(await a.app.outbox.tick()).toMatchObject({ delivered: 0 }); // not due yet: the retry waits 5 minutes
    minutes(6);
    expect(await a.app.outbox.tick()).toMatchObject({ delivered: 1 });
    expect(fake.texts()).toEqual(['状态更新一']);
    expect(await a.app.outbox.pending()).toEqual([]);
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
    const id = await a.app.outbox.enqueue(notice('o_never', '无法送达'));
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
