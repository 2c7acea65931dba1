/**
 * Proactive notifications on the WeChat Official Account and the rules that
 * decide how they go: the 48-hour customer-service window, measured on the
 * app's clock (the test moves it, nothing is deleted behind the app's back),
 * its 5-message allowance, and the template message outside it. A simulated
 * WeChat posts to the real app over HTTP; the API calls go to a fake WeChat
 * server on loopback. Real Redis throughout.
 */
import type { TestApp } from '../support/harness';
import { WINDOW_MS } from '../../adapters/tencent/service-window';
import { AES_KEY, APP_ID, SECRET, TOKEN, contentWithTemplate, movableClock, realisticOpenId, wechatEnv } from '../fakes/wechat-account';
import { FakeWeChatServer } from '../fakes/wechat-server';
import { SimulatedWeChatUser } from '../fakes/wechat-user';
import { startTestApp, waitFor } from '../support/harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('WeChat OA proactive notifications', () => {
  const fake = new FakeWeChatServer(APP_ID, SECRET);
  const clock = movableClock();
  let withTemplate: TestApp;
  let without: TestApp;
  beforeAll(async () => {
    await fake.start();
    withTemplate = await startTestApp({ env: { ...wechatEnv(fake), CONTENT_DIR: contentWithTemplate() }, now: clock.now });
    without = await startTestApp({ env: wechatEnv(fake), now: clock.now });
  });
  afterAll(async () => {
    await withTemplate.close();
    await without.close();
    await fake.stop();
  });
  beforeEach(() => {
    fake.reset();
    clock.reset();
  });

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

  const notify = (t: TestApp, customerId: string) => t.app.channels.get('wechat-oa')!.notify({ customerId }, note);
  /** A customer who has just written to the bot through `t`. */
  async function customerWhoWrote(t: TestApp) {
    const u = new SimulatedWeChatUser({ botUrl: t.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, openId: realisticOpenId() });
    expect((await u.send(u.text('帮助'))).status).toBe(200);
    return u;
  }

  it('keeps the window open 47 h 59 min after the customer wrote, and closed at 48 h 01 min, on the app\'s clock', async () => {
    const u = await customerWhoWrote(without);
    clock.advance(47 * HOUR + 59 * MINUTE);
    await expect(notify(without, u.options.openId)).resolves.toBe('message');
    clock.advance(2 * MINUTE);
    await expect(notify(without, u.options.openId)).rejects.toMatchObject({ code: 'CHANNEL_WINDOW_CLOSED' });
    expect(fake.texts()).toEqual([note.text]);
    // The customer writes again: the window opens again from that moment.
    await u.send(u.text('帮助'));
    clock.advance(47 * HOUR + 59 * MINUTE);
    await expect(notify(without, u.options.openId)).resolves.toBe('message');
    expect(fake.texts()).toEqual([note.text, note.text]);
  });

  it('sends the template at 48 h 01 min where a customer-service message went at 47 h 59 min', async () => {
    const u = await customerWhoWrote(withTemplate);
    clock.advance(47 * HOUR + 59 * MINUTE);
    await expect(notify(withTemplate, u.options.openId)).resolves.toBe('message');
    clock.advance(2 * MINUTE);
    await expect(notify(withTemplate, u.options.openId)).resolves.toBe('template');
    expect(fake.sent.map((m) => m.path)).toEqual(['/cgi-bin/message/custom/send', '/cgi-bin/message/template/send']);
  });

  it('allows five messages per customer message within the window, then none until the customer writes again', async () => {
    const u = await customerWhoWrote(without);
    for (let i = 0; i < 5; i++) {
      clock.advance(9 * HOUR); // spread over the window: 9 h … 45 h after the customer wrote
      await expect(notify(without, u.options.openId)).resolves.toBe('message');
    }
    clock.advance(2 * HOUR); // 47 h: the window is still open, the allowance is not
    await expect(notify(without, u.options.openId)).rejects.toMatchObject({ code: 'CHANNEL_WINDOW_CLOSED' });
    expect(fake.texts()).toHaveLength(5);
    await u.send(u.text('帮助'));
    await expect(notify(without, u.options.openId)).resolves.toBe('message');
    expect(fake.texts()).toHaveLength(6);
  });

  it('sends the template once the allowance is used up', async () => {
    const u = await customerWhoWrote(withTemplate);
    for (let i = 0; i < 5; i++) await expect(notify(withTemplate, u.options.openId)).resolves.toBe('message');
    await expect(notify(withTemplate, u.options.openId)).resolves.toBe('template');
    expect(fake.sent.map((m) => m.path)).toEqual([...Array(5).fill('/cgi-bin/message/custom/send'), '/cgi-bin/message/template/send']);
  });

  it('outside the window, an answer goes as a short template and the answer itself waits for the customer\'s next message', async () => {
    const openId = realisticOpenId();
    const u = new SimulatedWeChatUser({ botUrl: withTemplate.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, openId });
    await u.send(u.text('昨天被多扣了100元手续费，要求退还，电话13812345678'));
    await u.send(u.text('同意'));
    const number = /TS-\d{8}-\d{4}/.exec((await u.send(u.text('确认提交'))).reply ?? '')![0];
    for (const to of ['accepted', 'assigned', 'in_progress'] as const) await withTemplate.app.tickets.transition(number, to, 'staff:1');
    clock.advance(WINDOW_MS + MINUTE);
    fake.reset();
    await withTemplate.app.tickets.transition(number, 'resolved', 'staff:1', undefined, {
      findings: '手续费为系统重复收取，已退回100元。', accountability: '收费参数已更正。', correctiveAction: '上线前增加收费核对。',
      customerSatisfied: 'unknown', handledAt: clock.now().toISOString(), handler: { name: '王芳', contact: '021-5888 8888' },
    });
    const template = await waitFor(async () => fake.sent.filter((m) => m.path === '/cgi-bin/message/template/send'), (sent) => sent.length > 0);
    const fields = JSON.stringify(template[0]!.body);
    expect(fields).toContain(`您的投诉 ${number} 已有答复`);
    expect(fields).not.toContain('调查结果');
    const next = await u.send(u.text('你好'));
    expect([next.reply ?? '', ...fake.texts()].join('\n')).toMatch(new RegExp(`您有 1 条关于 ${number} 的新进展：\\s+关于您的投诉 ${number}，答复如下：\\s+调查结果：手续费为系统重复收取`));
    expect(await withTemplate.app.outbox.held.peek('wechat-oa', openId)).toEqual([]);
  });

  it('tells a WeChat customer of a status change, or holds the notice for their next message when the window is closed', async () => {
    const openId = realisticOpenId();
    const u = new SimulatedWeChatUser({ botUrl: without.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, openId });
    await u.send(u.text('昨天被多扣了100元手续费，要求退还，电话13812345678'));
    await u.send(u.text('同意'));
    const number = /TS-\d{8}-\d{4}/.exec((await u.send(u.text('确认提交'))).reply ?? '')![0];
    fake.reset();
    await without.app.tickets.transition(number, 'accepted', 'staff:1');
    // Delivered by the transition's own tick (or, if the every-minute tick held the lock just then, by that one).
    await waitFor(async () => fake.texts(), (texts) => texts.length > 0);
    expect(fake.texts()).toEqual([expect.stringContaining(`关于您的投诉 ${number}：目前状态为“已受理”`)]);
    // 48 hours and a minute pass on the app's clock since the customer last wrote: the next notice waits in the outbox.
    clock.advance(WINDOW_MS + MINUTE);
    await without.app.tickets.transition(number, 'assigned', 'staff:1');
    const held = await waitFor(() => without.app.outbox.held.peek('wechat-oa', openId), (items) => items.some((n) => n.number === number));
    expect(held).toContainEqual(expect.objectContaining({ number, change: 'status', text: expect.stringContaining('已转交处理部门') }));
    expect(fake.texts()).toHaveLength(1);
    // The customer writes again: the held notice comes first.
    const next = await u.send(u.text('帮助'));
    expect([next.reply ?? '', ...fake.texts()].join('\n')).toMatch(new RegExp(`您有 1 条关于 ${number} 的新进展：\\s+关于您的投诉 ${number}：目前状态为“已转交处理部门”`));
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
      fake.reset();
      const issued = fake.tokensIssued;
      await Promise.all(users.map((id, i) => (i % 2 ? other : without).app.channels.get('wechat-oa')!.notify({ customerId: id }, note)));
      expect(fake.tokensIssued).toBe(issued + 1);
      expect(fake.sent.map((m) => m.body.touser).sort()).toEqual(users);
    } finally {
      await other.close();
    }
  });
});
