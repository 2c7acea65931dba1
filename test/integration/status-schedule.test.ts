/**
 * The status schedule (issue 13) on a real Redis, with a controlled clock and real Direct Line customers: a
 * complaint made, accepted, extended and answered, ticked before and after each scheduled time — each progress
 * update, the survey and the automatic close delivered exactly once, quiet hours kept, the working-day interval
 * across Golden Week, survey answers read in the chat, an appeal cancelling the close, staff reminders and
 * escalations once, and two instances ticking over 200 due items deliver 200.
 */
import { promisedDate } from '../../bot/tickets/clocks';
import type { NewComplaint } from '../../bot/tickets/service';
import { activities, postMessage, startConversation, startTestApp, waitFor, type TestApp } from '../support/harness';

const HOUR = 3_600_000;
let clock = Date.parse('2026-11-23T10:00:00+08:00'); // a Monday
const now = () => new Date(clock);
const at = (iso: string) => (clock = Date.parse(iso));

const resolution = {
  findings: 'ATM 吐钞故障，款项已退回。',
  accountability: '维护商已按合同处理。',
  correctiveAction: '增加巡检。',
  customerSatisfied: 'unknown' as const,
  handledAt: new Date(clock).toISOString(),
  handler: { name: '王芳', contact: '021-5888 8888' },
};

interface Customer {
  conv: { conversationId: string; token: string };
  id: string;
}

describe('the status schedule', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now, scheduler: false });
  });
  afterAll(() => t.close());

  /** A web customer with a real conversation (their id is what Direct Line gives them). */
  async function customer(): Promise<Customer> {
    const conv = await startConversation(t.url);
    await postMessage(t.url, conv, '你好');
    const set = await waitFor(() => activities(t.url, conv), (s) => s.activities.some((a) => a.from?.role === 'bot'));
    return { conv, id: set.activities.find((a) => a.from?.role !== 'bot').from.id };
  }
  const complaint = (c: Customer): NewComplaint => ({
    customer: { channelId: 'directline', id: c.id, anonymous: false, locale: 'zh-CN' },
    conversationRef: { conversation: { id: c.conv.conversationId } },
    details: { category: 'business_error', description: 'ATM 取款没出钞但扣款了', wish: '退款' },
    consent: { personalData: { given: true, at: now().toISOString(), retentionDays: 1825 } },
    lawfulBasis: { description: 'legal_obligation' },
    customerTexts: [],
  });
  /** One tick as the every-minute cron runs it: the schedule, then delivery. */
  const tick = async () => {
    const planned = await t.app.notices.schedule.tick();
    await t.app.outbox.tick();
    return planned;
  };
  const botSaid = async (c: Customer) => (await activities(t.url, c.conv)).activities.filter((a) => a.from?.role === 'bot').map((a) => String(a.text ?? ''));
  const count = async (c: Customer, re: RegExp) => (await botSaid(c)).filter((s) => re.test(s)).length;

  it('a complaint made, accepted, extended and answered: each update, the survey and the close exactly once, on working days, never at night', async () => {
    at('2026-11-23T10:00:00+08:00');
    const c = await customer();
    const ticket = await t.app.tickets.create(complaint(c));
    const progress = /我们仍在处理，目前由.+负责/;

    at('2026-11-24T10:00:00+08:00');
    await t.app.tickets.transition(ticket.number, 'accepted', 'staff:wang');
    await tick();
    expect(await count(c, /目前状态为“已受理”/)).toBe(1);
    expect(await count(c, progress)).toBe(0);

    // Two working days after the complaint: Wednesday 10:00. A minute before, nothing; at the time, once.
    at('2026-11-25T09:59:00+08:00');
    await tick();
    expect(await count(c, progress)).toBe(0);
    at('2026-11-25T10:00:00+08:00');
    expect((await tick()).ran).toBeGreaterThanOrEqual(1);
    await tick();
    await tick();
    expect(await count(c, progress)).toBe(1);
    expect((await botSaid(c)).find((s) => progress.test(s))).toMatch(new RegExp(`关于您的投诉 ${ticket.number}：我们仍在处理，目前由运营管理部门负责，状态为“已受理”，会在 .+ 前答复您`));

    // The next one two working days later: Friday 10:00 — over the weekend to Tuesday after that.
    at('2026-11-27T10:00:00+08:00');
    await tick();
    expect(await count(c, progress)).toBe(2);

    // Extended: the customer is told; the updates go on.
    await t.app.tickets.extend(ticket.number, 'staff:lead', '需要调取银联的交易记录');
    await tick();
    expect(await count(c, /处理时限延长至/)).toBe(1);

    // Answered: no more progress updates; the survey 24 hours later, once.
    at('2026-11-30T15:00:00+08:00');
    await t.app.tickets.transition(ticket.number, 'assigned', 'staff:wang');
    await t.app.tickets.transition(ticket.number, 'in_progress', 'staff:wang');
    await t.app.tickets.transition(ticket.number, 'resolved', 'staff:wang', undefined, { ...resolution, handledAt: now().toISOString() });
    const progressSoFar = await count(c, progress);
    at('2026-12-01T14:59:00+08:00');
    await tick();
    expect(await count(c, /想请您为这次处理打个分/)).toBe(0);
    at('2026-12-01T15:00:00+08:00');
    await tick();
    await tick();
    expect(await count(c, /想请您为这次处理打个分/)).toBe(1);
    const survey = (await activities(t.url, c.conv)).activities.find((a) => /想请您为这次处理打个分/.test(a.text ?? ''));
    expect(survey.suggestedActions.actions.map((a: { title: string }) => a.title)).toEqual(['1 非常不满意', '2 不满意', '3 一般', '4 满意', '5 非常满意']);
    expect(await count(c, progress)).toBe(progressSoFar);

    // The customer answers "5" in the chat: stored, thanked, counted.
    await postMessage(t.url, c.conv, '5');
    await waitFor(() => count(c, /谢谢您的评价/), (n) => n === 1);
    expect((await t.app.tickets.get(ticket.number)).survey).toMatchObject({ score: 5 });
    const month = await t.app.notices.surveys.figures('2026-12');
    expect(month).toMatchObject({ responses: 1, satisfied: 1, rate: 1 });

    // No appeal within 30 calendar days of the answer: closed at the end of that day, and the customer told — at 08:00, not at night.
    at('2026-12-30T23:59:00+08:00');
    await tick();
    expect((await t.app.tickets.get(ticket.number)).status).toBe('resolved');
    at('2026-12-31T00:00:00+08:00');
    await tick();
    expect((await t.app.tickets.get(ticket.number)).status).toBe('closed');
    expect(await count(c, /这件投诉已结案/)).toBe(0); // quiet hours: the notice waits for the morning
    at('2026-12-31T08:00:00+08:00');
    await tick();
    await tick();
    expect(await count(c, new RegExp(`关于您的投诉 ${ticket.number}：答复后 30 天内没有收到您的复核申请，这件投诉已结案`))).toBe(1);
    expect((await t.app.tickets.get(ticket.number)).audit.at(-1)).toMatchObject({ by: 'system', to: 'closed' });
  }, 120_000);

  it('an appeal within the period cancels the automatic close; a survey answered with a comment keeps it', async () => {
    at('2026-11-23T10:00:00+08:00');
    const c = await customer();
    const ticket = await t.app.tickets.create(complaint(c));
    for (const to of ['accepted', 'assigned', 'in_progress'] as const) await t.app.tickets.transition(ticket.number, to, 'staff:wang');
    await t.app.tickets.transition(ticket.number, 'resolved', 'staff:wang', undefined, { ...resolution, handledAt: now().toISOString() });
    expect(await t.app.notices.schedule.plannedAt(ticket.number, 'autoClose')).toBe(Date.parse('2026-12-23T23:59:59+08:00'));
    at('2026-11-24T10:00:00+08:00');
    await tick();
    await postMessage(t.url, c.conv, '2 处理太慢了，打了三次电话');
    await waitFor(() => count(c, /很抱歉这次没能让您满意/), (n) => n === 1);
    expect((await t.app.tickets.get(ticket.number)).survey).toMatchObject({ score: 2, comment: '处理太慢了，打了三次电话' });
    // Anything else the customer writes goes to the bot as usual.
    await postMessage(t.url, c.conv, '帮助');
    await waitFor(() => botSaid(c), (s) => s.length > 0 && !/谢谢您/.test(s.at(-1)!));

    at('2026-12-10T10:00:00+08:00');
    await t.app.tickets.transition(ticket.number, 'reopened', 'staff:lead', '客户申请复核');
    expect(await t.app.notices.schedule.plannedAt(ticket.number, 'autoClose')).toBeUndefined();
    at('2026-12-24T10:00:00+08:00');
    await tick();
    expect((await t.app.tickets.get(ticket.number)).status).toBe('reopened');
  }, 60_000);

  it('a survey waits for the next message only: written past, a later "1" picks the menu, not a score', async () => {
    at('2026-11-23T10:00:00+08:00');
    const c = await customer();
    const ticket = await t.app.tickets.create(complaint(c));
    for (const to of ['accepted', 'assigned', 'in_progress'] as const) await t.app.tickets.transition(ticket.number, to, 'staff:wang');
    await t.app.tickets.transition(ticket.number, 'resolved', 'staff:wang', undefined, { ...resolution, handledAt: now().toISOString() });
    at('2026-11-24T10:00:00+08:00');
    await tick();
    await waitFor(() => count(c, /想请您为这次处理打个分/), (n) => n === 1);
    await postMessage(t.url, c.conv, '帮助');
    await waitFor(() => botSaid(c), (s) => s.length > 3);
    const before = (await botSaid(c)).length;
    await postMessage(t.url, c.conv, '1');
    await waitFor(() => botSaid(c), (s) => s.length > before);
    expect(await count(c, /谢谢您告诉我们|谢谢您的评价/)).toBe(0);
    expect((await t.app.tickets.get(ticket.number)).survey).toBeUndefined();
  }, 60_000);

  it('counts working days with the Chinese calendar: two working days from 30 September is 9 October', async () => {
    at('2026-09-30T10:00:00+08:00');
    const c = await customer();
    const ticket = await t.app.tickets.create(complaint(c));
    expect(await t.app.notices.schedule.plannedAt(ticket.number, 'progress')).toBe(Date.parse('2026-10-09T10:00:00+08:00'));
    at('2026-10-08T10:00:00+08:00');
    await tick();
    expect(await count(c, /我们仍在处理/)).toBe(0);
    at('2026-10-09T10:00:00+08:00');
    await tick();
    expect(await count(c, /我们仍在处理/)).toBe(1);
  }, 60_000);

  it('a crash between sending and recording runs the item again but sends nothing twice', async () => {
    at('2026-11-23T10:00:00+08:00');
    const c = await customer();
    const ticket = await t.app.tickets.create(complaint(c));
    const due = (await t.app.notices.schedule.plannedAt(ticket.number, 'progress'))!;
    clock = due;
    await tick();
    expect(await count(c, /我们仍在处理/)).toBe(1);
    // As if the instance died after queueing the notice: the item is still due and not marked done.
    const member = `${ticket.number}|progress`;
    await t.backend.redis.zadd(t.app.keys.scheduleDue(), String(due), member);
    await t.backend.redis.del(t.app.keys.scheduleDone(member, due));
    expect((await tick()).ran).toBe(1);
    await tick();
    expect(await count(c, /我们仍在处理/)).toBe(1);
  }, 60_000);

  it('reminds the team before the promised date and escalates once it is missed, each once; a promised date that moves moves them', async () => {
    at('2026-11-23T10:00:00+08:00');
    const c = await customer();
    const first = await t.app.tickets.create(complaint(c));
    const before = await t.app.notices.schedule.plannedAt(first.number, 'remind');
    expect(before).toBe(Date.parse(promisedDate(first.clocks)) - 24 * HOUR);
    // New facts from the customer restart the clocks: the promised date, and what hangs on it, move.
    at('2026-11-24T10:00:00+08:00');
    const ticket = await t.app.tickets.addDetails(first.number, 'customer', '补充：当时的交易流水号是 123');
    expect(Date.parse(promisedDate(ticket.clocks))).toBeGreaterThan(Date.parse(promisedDate(first.clocks)));
    expect(await t.app.notices.schedule.plannedAt(ticket.number, 'remind')).toBe(Date.parse(promisedDate(ticket.clocks)) - 24 * HOUR);
    clock = before!;
    await tick();
    expect((await t.app.notices.alerts.recent()).filter((a) => a.number === ticket.number)).toEqual([]);
    const promised = Date.parse(promisedDate(ticket.clocks));
    clock = promised - 24 * HOUR;
    await tick();
    await tick();
    clock = promised + 60_000;
    await tick();
    await tick();
    const alerts = (await t.app.notices.alerts.recent()).filter((a) => a.number === ticket.number);
    expect(alerts.map((a) => a.kind).sort()).toEqual(['escalate', 'remind']);
    expect(alerts.find((a) => a.kind === 'remind')).toMatchObject({ department: ticket.department, promised: promisedDate(ticket.clocks) });
  }, 60_000);
});

describe('the status schedule on two instances', () => {
  let a: TestApp;
  let b: TestApp;
  const sent: string[] = [];
  beforeAll(async () => {
    a = await startTestApp({ now, scheduler: false });
    b = await startTestApp({ now, scheduler: false, prefix: a.prefix });
    // A channel that records what reaches it, on both instances (the one customers of this test use).
    for (const app of [a, b]) app.app.channels.set('recording', { channelId: 'recording', notify: async (_to, what) => {
      sent.push(what.text);
      return 'message';
    } });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('two schedulers ticking together over 200 due progress updates deliver exactly 200', async () => {
    at('2026-11-23T10:00:00+08:00');
    const made = await Promise.all(Array.from({ length: 200 }, (_, i) => a.app.tickets.create({
      customer: { channelId: 'recording', id: `r-${i}`, anonymous: true, locale: 'zh-CN' },
      conversationRef: { conversation: { id: `r-${i}` } },
      details: { category: 'fees', description: '年费扣了两次', wish: '退一次' },
      consent: { personalData: { given: false, at: now().toISOString(), retentionDays: 1825 } },
      lawfulBasis: {},
      customerTexts: [],
    })));
    at('2026-11-25T10:00:00+08:00');
    const runs = await Promise.all([a, b, a, b].map((x) => x.app.notices.schedule.tick()));
    // Each item ran on exactly one instance.
    expect(runs.reduce((n, r) => n + r.ran, 0)).toBe(200);
    for (let i = 0; i < 4; i++) await Promise.all([a.app.outbox.tick(), b.app.outbox.tick()]);
    const updates = sent.filter((s) => /我们仍在处理/.test(s));
    expect(updates).toHaveLength(200);
    expect(new Set(updates.map((s) => /TS-\d{8}-\d{4}/.exec(s)![0]))).toEqual(new Set(made.map((t) => t.number)));
  }, 120_000);
});
