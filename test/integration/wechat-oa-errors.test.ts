/**
 * What the WeChat adapter does with the platform's error answers (PROTOCOLS.md,
 * "客服消息" and "全局返回码" docs): 45015 outside the window and 45047 too many
 * messages are believed — no more customer-service messages until the customer
 * writes, a template instead where one is configured, else CHANNEL_WINDOW_CLOSED
 * so the outbox keeps the notice; a rejected token is refreshed and the call
 * retried once, never in a loop; "system busy" (-1) is retried with growing
 * waits, a few times. The fake WeChat server answers with the injected codes.
 */
import type { TurnContext } from 'botbuilder';
import type { WeChatOaAdapter } from '../../adapters/wechat-oa/adapter';
import { AES_KEY, APP_ID, SECRET, TOKEN, contentWithTemplate, realisticOpenId, wechatEnv } from '../fakes/wechat-account';
import { FakeWeChatServer } from '../fakes/wechat-server';
import { SimulatedWeChatUser } from '../fakes/wechat-user';
import { startTestApp, waitFor, type TestApp } from '../support/harness';
import { TurnGate } from '../support/turn-gate';

const CUSTOM = '/cgi-bin/message/custom/send';

describe('WeChat OA error answers from the platform', () => {
  // One fake platform per app: each app keeps its own token, and a token fetched by one would invalidate the other's.
  const fake = new FakeWeChatServer(APP_ID, SECRET);
  const templateFake = new FakeWeChatServer(APP_ID, SECRET);
  const gate = new TurnGate();
  let replies: string[] = [];
  // Echo logic: a held turn answers late, through the customer-service API.
  const logic = async (context: TurnContext) => {
    if (context.activity.type !== 'message') return;
    await gate.pass();
    for (const text of replies.length > 0 ? replies : [`收到：${context.activity.text}`]) await context.sendActivity(text);
  };
  let without: TestApp; // no template configured
  let withTemplate: TestApp;
  beforeAll(async () => {
    await fake.start();
    await templateFake.start();
    without = await startTestApp({ env: wechatEnv(fake, { WECHAT_PASSIVE_BUDGET_MS: '500' }), turnLogic: logic });
    withTemplate = await startTestApp({ env: { ...wechatEnv(templateFake), CONTENT_DIR: contentWithTemplate() }, turnLogic: logic });
    // Each app fetches its access_token once here, so the tests count only the refreshes they cause.
    for (const t of [without, withTemplate]) await notify(t, (await customerWhoWrote(t)).options.openId);
  });
  afterAll(async () => {
    gate.open();
    await without.close();
    await withTemplate.close();
    await fake.stop();
    await templateFake.stop();
  });
  beforeEach(() => {
    fake.reset();
    templateFake.reset();
    gate.open();
    replies = [];
  });

  const note = { text: '您的投诉 TS-20261123-0001 已受理。', template: { name: 'ticketStatus', values: { ticketNumber: 'TS-20261123-0001', status: '已受理', summary: '您的投诉已受理' } } };
  const notify = (t: TestApp, customerId: string) => t.app.channels.get('wechat-oa')!.notify({ customerId }, note);
  const adapterOf = (t: TestApp) => t.app.channels.get('wechat-oa') as WeChatOaAdapter;
  const customer = (t: TestApp) => new SimulatedWeChatUser({ botUrl: t.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, openId: realisticOpenId() });
  /** A customer who has just written: our record says the window is open. */
  async function customerWhoWrote(t: TestApp) {
    const u = customer(t);
    expect((await u.send(u.text('你好'))).status).toBe(200);
    await adapterOf(t).drain();
    fakeOf(t).reset();
    return u;
  }
  const fakeOf = (t: TestApp) => (t === withTemplate ? templateFake : fake);
  const codes = (f = fake) => f.attempts.map((a) => `${a.path === CUSTOM ? 'custom' : 'template'}:${a.errcode}`);

  describe.each([
    [45015, 'outside the window'],
    [45047, 'too many messages'],
  ])('%i (%s) on a customer-service message', (errcode) => {
    it('is taken as a closed window: the outbox holds the notice for the customer\'s next message, and nothing more is tried until they write', async () => {
      const u = await customerWhoWrote(without);
      fake.failNextSends.push(errcode);
      const id = await without.app.outbox.enqueue({ number: 'TS-20261123-0001', change: 'status', channelId: 'wechat-oa', customerId: u.options.openId, ...note });
      await without.app.outbox.tick();
      const held = await waitFor(() => without.app.outbox.held.peek('wechat-oa', u.options.openId), (items) => items.some((n) => n.id === id));
      expect(held.find((n) => n.id === id)).toMatchObject({ number: 'TS-20261123-0001' });
      expect((await without.app.outbox.pending()).map((n) => n.id)).not.toContain(id);
      // The platform's word stands: the next notice does not knock again.
      await expect(notify(without, u.options.openId)).rejects.toMatchObject({ code: 'CHANNEL_WINDOW_CLOSED' });
      expect(codes()).toEqual([`custom:${errcode}`]);
      // The customer writes: the window and its allowance are back.
      await u.send(u.text('还在吗'));
      await adapterOf(without).drain();
      await expect(notify(without, u.options.openId)).resolves.toBe('message');
    });

    it('falls back to the template where one is configured, and keeps to it', async () => {
      const u = await customerWhoWrote(withTemplate);
      templateFake.failNextSends.push(errcode);
      await expect(notify(withTemplate, u.options.openId)).resolves.toBe('template');
      await expect(notify(withTemplate, u.options.openId)).resolves.toBe('template');
      expect(codes(templateFake)).toEqual([`custom:${errcode}`, 'template:0', 'template:0']);
      expect(templateFake.sent.map((m) => m.body.template_id)).toEqual(['TPL_STATUS_001', 'TPL_STATUS_001']);
    });

    it('stops a late turn\'s replies at the first refusal, without failing the turn', async () => {
      replies = ['第一段', '第二段', '第三段'];
      const u = customer(without);
      gate.hold();
      expect((await u.send(u.text('慢一点的问题'))).raw).toBe('success');
      fake.failNextSends.push(errcode);
      const logged = without.logs.length;
      gate.open();
      await adapterOf(without).drain();
      expect(codes()).toEqual([`custom:${errcode}`]); // neither the other replies nor an apology were tried
      const lines = without.logs.slice(logged).map((l) => JSON.parse(l) as { msg: string; code?: string });
      expect(lines.filter((l) => l.msg === 'turn failed')).toEqual([]);
      expect(lines.filter((l) => l.msg === 'WeChat send failed').map((l) => l.code)).toEqual([
        errcode === 45015 ? 'CHANNEL_WINDOW_CLOSED' : 'CHANNEL_QUOTA_EXCEEDED', 'CHANNEL_WINDOW_CLOSED', 'CHANNEL_WINDOW_CLOSED',
      ]);
    });
  });

  it('refreshes an expired access_token (42001) and delivers with the new one', async () => {
    const u = await customerWhoWrote(without);
    const issued = fake.tokensIssued;
    fake.failNextSends.push(42001);
    await expect(notify(without, u.options.openId)).resolves.toBe('message');
    expect(codes()).toEqual(['custom:42001', 'custom:0']);
    expect(fake.tokensIssued).toBe(issued + 1);
  });

  it('refreshes once when the token is refused twice in a row (40001, then 42001), then fails cleanly', async () => {
    const u = await customerWhoWrote(without);
    const issued = fake.tokensIssued;
    fake.failNextSends.push(40001, 42001, 40001);
    await expect(notify(without, u.options.openId)).rejects.toMatchObject({ code: 'CHANNEL_TOKEN_INVALID' });
    expect(codes()).toEqual(['custom:40001', 'custom:42001']); // one retry, no loop
    expect(fake.tokensIssued).toBe(issued + 1);
    expect(fake.failNextSends).toEqual([40001]);
    // Nothing is left broken: the next call goes through.
    fake.failNextSends.length = 0;
    await expect(notify(without, u.options.openId)).resolves.toBe('message');
  });

  it('backs off and retries when WeChat is busy (-1), waiting longer each time', async () => {
    const u = await customerWhoWrote(without);
    fake.failNextSends.push(-1, -1);
    await expect(notify(without, u.options.openId)).resolves.toBe('message');
    expect(codes()).toEqual(['custom:-1', 'custom:-1', 'custom:0']);
    const [a, b, c] = fake.attempts.map((x) => x.at);
    // Waits of 200 ms, then 400 ms, each with ±50% jitter.
    expect(b! - a!).toBeGreaterThanOrEqual(100);
    expect(c! - b!).toBeGreaterThanOrEqual(200);
  });

  it('gives up after three busy answers, and the outbox keeps the notice for later', async () => {
    const u = await customerWhoWrote(without);
    fake.failNextSends.push(-1, -1, -1, -1);
    const id = await without.app.outbox.enqueue({ number: 'TS-20261123-0002', change: 'status', channelId: 'wechat-oa', customerId: u.options.openId, ...note });
    await without.app.outbox.tick();
    const kept = await waitFor(() => without.app.outbox.pending(), (items) => items.some((n) => n.id === id && n.attempts === 1));
    expect(kept.find((n) => n.id === id)).toMatchObject({ lastError: 'CHANNEL_RATE_LIMITED' });
    expect(codes()).toEqual(['custom:-1', 'custom:-1', 'custom:-1']);
    expect(fake.failNextSends).toEqual([-1]);
  });
});
