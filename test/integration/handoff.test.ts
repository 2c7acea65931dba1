/**
 * The live handoff, customer side (issue 10): "talk to a person" queues the
 * chat when staff are on duty, the customer's messages go to the desk and not
 * to the dialogs, staff replies reach the customer through the web channel,
 * claiming is atomic, and the chat comes back to the bot at the menu. Two bot
 * instances share one Redis: customer on one, staff on the other.
 */
import { randomUUID } from 'node:crypto';
import { postMessage, startTestApp, waitFor, workingDayClock, type TestApp } from '../support/harness';
import { ScriptedCustomer, texts } from '../support/conversation';


const botTexts = async (c: ScriptedCustomer) =>
  (await c.transcript())
    .filter((a: any) => a.from.role === 'bot')
    .map((a: any) => a.text as string)
    .join('\n');

describe('live handoff, customer side', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp({ now: workingDayClock() });
    // A second instance on the same state: the staff member's desk runs here.
    b = await startTestApp({ now: workingDayClock(), prefix: a.prefix });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  async function customer(): Promise<ScriptedCustomer> {
    const c = await ScriptedCustomer.start(a, 'zh-CN');
    await c.greeting();
    return c;
  }
  const keyOf = (c: ScriptedCustomer) => `directline:${c.conv.conversationId}`;

  it('queues the chat, relays both ways across instances, and hands back to the menu', async () => {
    const staff = `staff-${randomUUID()}`;
    await b.app.handoff.presence.heartbeat(staff, 60_000);
    const c = await customer();
    const queued = texts(await c.say('我要找人工'));
    expect(queued).toMatch(/已为您转接人工客服，您前面还有 \d+ 位，预计等待约 \d+ 分钟/);
    const key = keyOf(c);
    expect((await b.app.handoff.waiting()).map((w) => w.key)).toContain(key);

    // While waiting, messages go to the desk; the customer is told once that it was passed on.
    expect(texts(await c.say('我的卡被吞了，很着急'))).toMatch(/已转给工作人员/);
    const lines = await b.app.handoff.transcript(key);
    expect(lines.map((l) => l.text)).toEqual(expect.arrayContaining(['我要找人工', '我的卡被吞了，很着急']));

    expect(await b.app.handoff.claim(key, staff)).toBe('claimed');
    await waitFor(() => botTexts(c), (t) => /工作人员已接入/.test(t));
    await b.app.handoff.reply(key, staff, '您好，我是客服小王，马上帮您处理吞卡的问题。');
    await waitFor(() => botTexts(c), (t) => /我是客服小王/.test(t));
    // The time to a person's first reply is measured on the instance the staff member works on.
    expect(await b.app.metrics.registry.getSingleMetricAsString('bot_handoff_first_reply_seconds')).toMatch(/bot_handoff_first_reply_seconds_count 1/);

    // A message to the person is not read by the dialogs: no bot reply, and it reaches the transcript in order.
    const posted = await postMessage(a.url, c.conv, '好的，卡是在天河支行的ATM吞的');
    expect(posted.status).toBe(200);
    const after = await waitFor(() => b.app.handoff.transcript(key), (l) => l.some((x) => x.text.includes('天河支行')));
    const order = after.map((l) => l.from);
    expect(order.slice(-3)).toEqual(['bot', 'staff', 'customer']);

    await b.app.handoff.end(key, staff, 'bot');
    await waitFor(() => botTexts(c), (t) => /交回智能客服/.test(t));
    // Back with the bot: the next message is read afresh at the menu.
    expect(texts(await c.say('查询进度'))).toMatch(/您目前没有投诉记录/);
  }, 30_000);

  it('exactly one of 50 simultaneous claims succeeds', async () => {
    const staff = `staff-${randomUUID()}`;
    await a.app.handoff.presence.heartbeat(staff, 60_000);
    const c = await customer();
    await c.say('转人工');
    const key = keyOf(c);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).app.handoff.claim(key, `staff-${i}`)));
    expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r !== 'claimed').every((r) => r === 'taken')).toBe(true);
    const chat = await a.app.handoff.get(key);
    expect(chat?.status).toBe('with_staff');
    expect(results[Number(chat?.claimedBy?.slice(6))]).toBe('claimed');
    // A chat that ended cannot be claimed.
    await a.app.handoff.end(key, chat!.claimedBy!, 'staff');
    expect(await b.app.handoff.claim(key, 'late')).toBe('ended');
  });

  it('"取消" while waiting stops the wait and shows the menu; nobody can claim it after', async () => {
    await a.app.handoff.presence.heartbeat(`staff-${randomUUID()}`, 60_000);
    const c = await customer();
    await c.say('人工');
    const replies = texts(await c.say('取消'));
    expect(replies).toMatch(/已结束等待人工服务/);
    expect(replies).toMatch(/请问有什么可以帮您/);
    expect(await a.app.handoff.claim(keyOf(c), 'someone')).toBe('ended');
    expect(await a.app.metrics.registry.getSingleMetricAsString('bot_handoff_abandoned_total')).toMatch(/bot_handoff_abandoned_total 1/);
  });

  it('a staff reply to a chat they do not hold is refused, and nothing reaches the customer', async () => {
    await a.app.handoff.presence.heartbeat(`staff-${randomUUID()}`, 60_000);
    const c = await customer();
    await c.say('人工');
    await expect(a.app.handoff.reply(keyOf(c), 'not-mine', '你好')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await botTexts(c)).not.toMatch(/你好$/m);
  });
});

describe('triage sends an upset customer to a person', () => {
  const ANGRY = '你们银行简直太过分了！！！莫名其妙扣我钱，气死我了，再不处理我就去银保监会投诉！';
  it('queues the chat at once, acknowledging the feeling first, with the reasons and level for staff', async () => {
    const t = await startTestApp({ now: workingDayClock() });
    try {
      await t.app.handoff.presence.heartbeat(`staff-${randomUUID()}`, 60_000);
      const c = await ScriptedCustomer.start(t, 'zh-CN');
      await c.greeting();
      const replies = texts(await c.say(ANGRY));
      expect(replies).toMatch(/^非常理解您现在的心情/);
      expect(replies).toMatch(/已为您转接人工客服/);
      expect(replies).not.toMatch(/很抱歉遇到这样的事/); // the intake did not answer it
      const [chat] = await t.app.handoff.waiting();
      expect(chat?.reasons).toEqual(expect.arrayContaining(['anger']));
      expect(['important', 'urgent', 'major']).toContain(chat?.level);
    } finally {
      await t.close();
    }
  });

  it('a complaint merged into an earlier one on the same matter is a repeat: after the receipt, a person takes over', async () => {
    const t = await startTestApp({ now: workingDayClock() });
    try {
      await t.app.handoff.presence.heartbeat(`staff-${randomUUID()}`, 60_000);
      const c = await ScriptedCustomer.start(t, 'zh-CN');
      await c.greeting();
      await c.say('昨天被扣了300元年费，要求退还，电话13812345678');
      await c.say('同意');
      const first = /TS-\d{8}-\d{4,}/.exec(texts(await c.say('确认提交')))?.[0];
      expect(first).toBeDefined();
      expect(await t.app.handoff.waiting()).toEqual([]); // a first, calm complaint stays with the bot
      // Calm words (no "again", nothing angry): only the same matter makes it a repeat.
      await c.say('今天信用卡年费被扣了300元，希望退还，电话13812345678');
      await c.say('同意');
      expect(texts(await c.say('确认提交'))).toMatch(/同类投诉/);
      expect(await t.app.handoff.waiting()).toEqual([]);
      const merged = texts(await c.say('是的'));
      // The receipt first (nothing told twice), then the person.
      expect(merged).toMatch(new RegExp(`已补充到投诉.*${first}[\\s\\S]*已为您转接人工客服`));
      const [chat] = await t.app.handoff.waiting();
      expect(chat?.reasons).toContain('repeat');
      expect(chat?.level).not.toBe('general');
    } finally {
      await t.close();
    }
  }, 30_000);

  it('with nobody on the desk, offers a call-back once and still takes the complaint', async () => {
    const t = await startTestApp({ now: workingDayClock() });
    try {
      const c = await ScriptedCustomer.start(t, 'zh-CN');
      await c.greeting();
      const first = texts(await c.say(ANGRY));
      expect(first).toMatch(/暂时没有工作人员在线.*回复“人工”/s);
      expect(first).toMatch(/很抱歉遇到这样的事|什么时候|哪一类/); // the intake goes on with the story
      const second = texts(await c.say('真的气死我了！！！'));
      expect(second).not.toMatch(/暂时没有工作人员在线/);
    } finally {
      await t.close();
    }
  });
});

describe('when nobody can take the chat', () => {
  it('says honestly that nobody is on duty and arranges a call-back', async () => {
    const t = await startTestApp({ now: workingDayClock() });
    try {
      const c = await ScriptedCustomer.start(t, 'zh-CN');
      await c.greeting();
      const replies = texts(await c.say('人工'));
      expect(replies).toMatch(/暂时没有工作人员在线/);
      expect(replies).toMatch(/请留下您的电话号码/);
    } finally {
      await t.close();
    }
  });

  it('outside office hours, says when staff answer, even if someone left the desk open', async () => {
    const t = await startTestApp({ now: workingDayClock(21) });
    try {
      await t.app.handoff.presence.heartbeat('night-owl', 60_000);
      const c = await ScriptedCustomer.start(t, 'zh-CN');
      await c.greeting();
      expect(texts(await c.say('人工'))).toMatch(/非工作时间（人工服务时间为工作日 09:00–17:30）/);
    } finally {
      await t.close();
    }
  });
});
