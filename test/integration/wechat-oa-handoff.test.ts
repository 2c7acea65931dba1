/**
 * The live handoff over WeChat (issue 10), with the fake WeChat server on
 * loopback: the customer asks for a person in the Official Account, staff take
 * the chat, and staff replies go out as customer-service messages inside the
 * 48-hour window; the customer's messages while with staff reach the desk and
 * get no bot reply; handing back tells the customer.
 */
import { randomUUID } from 'node:crypto';
import { AES_KEY, APP_ID, SECRET, TOKEN, wechatEnv } from '../fakes/wechat-account';
import { FakeWeChatServer } from '../fakes/wechat-server';
import { SimulatedWeChatUser } from '../fakes/wechat-user';
import { startTestApp, waitFor, workingDayClock, type TestApp } from '../support/harness';
import { uniquePrefix } from '../support/redis';


describe('live handoff over WeChat', () => {
  const fake = new FakeWeChatServer(APP_ID, SECRET);
  let t: TestApp;
  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({ env: wechatEnv(fake), now: workingDayClock() });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('staff replies reach the customer as customer-service messages, and the customer reaches staff', async () => {
    const staff = `staff-${randomUUID()}`;
    await t.app.handoff.presence.heartbeat(staff, 60_000);
    const openId = `o${uniquePrefix('u').slice(7, 15)}`;
    const u = new SimulatedWeChatUser({ botUrl: t.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, safeMode: true, openId });
    await u.send(u.event('subscribe'));
    const queued = (await u.send(u.text('转人工'))).reply ?? '';
    expect(queued).toMatch(/已为您转接人工客服/);
    const [chat] = (await t.app.handoff.waiting()).filter((c) => c.customerId === openId);
    expect(chat).toBeDefined();

    expect(await t.app.handoff.claim(chat!.key, staff)).toBe('claimed');
    await t.app.handoff.reply(chat!.key, staff, '您好，我是客服小李，请问卡片尾号是多少？');
    const sentTo = () => fake.sent.filter((m) => m.body.touser === openId && m.body.msgtype === 'text').map((m) => m.body.text.content as string);
    await waitFor(async () => sentTo(), (s) => s.some((x) => x.includes('客服小李')));
    expect(sentTo()[0]).toMatch(/工作人员已接入/);

    // The customer's answer goes to the desk; WeChat gets no bot reply for it.
    const answer = await u.send(u.text('尾号是1234'));
    expect(answer.reply).toBeUndefined();
    const lines = await t.app.handoff.transcript(chat!.key);
    expect(lines.at(-1)).toMatchObject({ from: 'customer', text: '尾号是1234' });

    await t.app.handoff.end(chat!.key, staff, 'bot');
    const back = await waitFor(async () => sentTo(), (s) => s.some((x) => /交回智能客服/.test(x)));
    // The menu comes with it as a numbered list (WeChat has no buttons), and a number picks from it.
    const menu = back.find((x) => /交回智能客服/.test(x))!;
    const progress = /(\d)\.\s*查询投诉进度/.exec(menu)?.[1];
    expect(progress).toBeDefined();
    // Back with the bot.
    expect((await u.send(u.text(progress!))).reply ?? '').toMatch(/您目前没有投诉记录/);
  }, 30_000);
});
