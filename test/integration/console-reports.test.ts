/**
 * The supervisors' reports over a seeded set of complaints with known answers
 * (issue 15), on a real Redis through the real app and HTTP: volume by day,
 * category, level and channel; the share answered by the promised date on
 * each clock; satisfaction against the target; conversations and FAQ outcomes
 * counted from real turns; waits and call-backs; the surge rule and its alert
 * told once; CSV export in the supervisor's language with formula cells
 * defused; ranges and roles refused.
 */
import { newComplaint } from '../support/complaints';
import { ScriptedCustomer } from '../support/conversation';
import { DeskStaff } from '../support/desk-staff';
import { startTestApp, waitFor, type TestApp } from '../support/harness';

/** 10:00 in Shanghai on a day of November or December 2026. */
const at = (day: string, hour = 10) => Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`);
const TODAY = '2026-12-01';

const answer = () => ({
  findings: 'The transfer was held by a clearing fault.',
  accountability: 'The clearing team reviewed the batch.',
  correctiveAction: 'Monitoring was added.',
  customerSatisfied: 'unknown' as const,
  handledAt: new Date().toISOString(),
  handler: { name: '王芳', contact: '021-12345678' },
});


describe('reports in the console', () => {
  let t: TestApp;
  let clock = at('2026-11-03');
  let boss: DeskStaff;
  let agent: DeskStaff;

  const move = async (number: string, when: string, to: 'accepted' | 'assigned' | 'in_progress' | 'resolved') => {
    clock = at(when);
    await t.app.tickets.transition(number, to, 'staff:wang', undefined, to === 'resolved' ? answer() : undefined);
  };

  beforeAll(async () => {
    t = await startTestApp({ now: () => new Date(clock), scheduler: false, env: { TRUST_PROXY: '1', HANDOFF_HOURS: 'always' } });
    const { tickets } = t.app;
    // Baseline: one fees complaint a day for the 28 days before today.
    for (let d = 3; d <= 30; d++) {
      clock = at(`2026-11-${String(d).padStart(2, '0')}`);
      await tickets.create(newComplaint(`base${d}`, { category: 'fees' }));
    }
    // 20 November: answered in time on both clocks; answered after the internal target but within the regulatory
    // limit; still open after the internal target (the regulatory date, 5 December, not reached yet).
    clock = at('2026-11-20');
    const early = await tickets.create(newComplaint('early', { category: 'business_error' }));
    const late = await tickets.create(newComplaint('late', { category: 'equipment', channelId: 'wechat-oa' }));
    await tickets.create(newComplaint('open', { category: 'waiting', channelId: 'wecom-kf' }));
    for (const step of ['accepted', 'assigned', 'in_progress'] as const) await move(early.number, '2026-11-21', step);
    await move(early.number, '2026-11-22', 'resolved');
    for (const step of ['accepted', 'assigned', 'in_progress'] as const) await move(late.number, '2026-11-26', step);
    await move(late.number, '2026-11-28', 'resolved');
    await tickets.recordSurvey(early.number, 5);
    await tickets.recordSurvey(late.number, 2);
    // Today: six fees complaints (a surge against one a day) and two others.
    clock = at(TODAY, 9);
    for (let i = 0; i < 6; i++) await tickets.create(newComplaint(`today${i}`, { category: 'fees' }));
    for (let i = 0; i < 2; i++) await tickets.create(newComplaint(`other${i}`, { category: 'business_error' }));
    clock = at(TODAY, 11);

    await t.app.desk!.staff.add({ username: 'chen.sup', name: '陈静', role: 'supervisor', teams: [], password: 'Desk-pass-2024' });
    await t.app.desk!.staff.add({ username: 'wang.ops', name: '王芳', role: 'agent', teams: ['operations'], password: 'Desk-pass-2024' });
    boss = await DeskStaff.login(t.url, 'chen.sup');
    agent = await DeskStaff.login(t.url, 'wang.ops');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('counts the complaints of a day by category, level and channel, and each clock as the rules say', async () => {
    const r = await boss.call('GET', '/desk/api/reports?from=2026-11-20&to=2026-11-20');
    expect(r.status).toBe(200);
    const c = r.body.complaints;
    expect(c.total).toBe(4);
    expect(c.byDay).toEqual({ '2026-11-20': 4 });
    expect(c.byCategory).toEqual({ fees: 1, business_error: 1, equipment: 1, waiting: 1 });
    expect(c.byChannel).toEqual({ directline: 2, 'wechat-oa': 1, 'wecom-kf': 1 });
    expect(Object.values(c.byLevel as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(4);
    // Internal target (3 working days: 25 November): one on time, one answered late, two still open after it.
    expect(c.clocks.internal).toEqual({ onTime: 1, late: 3, openLate: 2, share: 0.25 });
    // Regulatory limit (15 calendar days: 5 December): both answers in time; the open ones are not due yet.
    expect(c.clocks.regulatory).toEqual({ onTime: 2, late: 0, openLate: 0, share: 1 });
    expect(c.satisfaction).toEqual({ answers: 2, satisfied: 1, rate: 0.5, target: 0.85 });
  });

  it('covers the policy\'s default range and refuses bad ranges and agents', async () => {
    const r = await boss.call('GET', '/desk/api/reports');
    expect(r.status).toBe(200);
    expect(r.body.days).toHaveLength(30);
    expect(r.body.to).toBe(TODAY);
    expect(r.body.from).toBe('2026-11-02');
    expect(r.body.complaints.total).toBe(28 + 3 + 8); // one a day 3–30 Nov, 20 Nov's three, today's eight
    expect((await boss.call('GET', '/desk/api/reports?from=2026-12-01&to=2026-11-01')).status).toBe(400);
    expect((await boss.call('GET', '/desk/api/reports?from=2026-01-01&to=2026-12-01')).status).toBe(400);
    expect((await boss.call('GET', '/desk/api/reports?from=2026-13-01&to=2026-12-01')).status).toBe(400);
    expect((await agent.call('GET', '/desk/api/reports')).status).toBe(403);
    expect((await agent.call('GET', '/desk/api/reports/daily.csv')).status).toBe(403);
  });

  it('flags today\'s surge in fees and tells supervisors once, whatever the number of checks', async () => {
    const r = await boss.call('GET', `/desk/api/reports?from=${TODAY}&to=${TODAY}`);
    expect(r.body.surges).toEqual([{ category: 'fees', today: 6, baseline: 1 }]);
    await t.app.console!.surgeWatch.check();
    await t.app.console!.surgeWatch.check();
    expect(await t.backend.get(t.app.keys.reportSurgeTold(TODAY, 'fees'))).toBe('6');
    expect(await t.backend.get(t.app.keys.reportSurgeTold(TODAY, 'business_error'))).toBeNull();
    expect(t.logs.join('').match(/"msg":"complaint surge"/g)).toHaveLength(1);
  });

  it('counts conversations and FAQ outcomes from real turns, waits and call-backs, and exports CSV without formulas', async () => {
    const c = await ScriptedCustomer.start(t, 'zh-CN');
    await c.greeting();
    await c.say('开户需要带什么证件');
    await c.say('咨询问题');
    await c.say('=HYPERLINK("http://evil.example","点我")你们食堂的红烧肉好吃吗');
    t.app.counters.waited(45);
    t.app.counters.waited(200);
    t.app.counters.waited(4000);
    const due = await t.app.callbacks.request({ channelId: 'directline', customerId: 'cb1', phone: '13812345678', locale: 'zh-CN' });
    expect(due.getTime()).toBeGreaterThan(clock);
    const [item] = await t.app.callbacks.queue.open();
    expect((await t.app.callbacks.queue.claim(item!.id, 'wang.ops')).ok).toBe(true);
    await t.app.callbacks.queue.record(item!.id, 'wang.ops', 'reached');
    await t.app.counters.drained();
    await t.app.faq.stats.drained();

    const r = await waitFor(() => boss.call('GET', `/desk/api/reports?from=${TODAY}&to=${TODAY}`), (x) => x.body.faq.none >= 1);
    expect(r.body.conversations.total).toBe(1);
    expect(r.body.conversations.byChannel.directline).toBe(1);
    expect(r.body.faq).toEqual(expect.objectContaining({ answer: 1, none: 1, answeredShare: 0.5 }));
    // 45 s, 200 s and 4000 s: within a minute, three to five minutes, over half an hour.
    expect(r.body.handoff.waits).toEqual({ 1: 1, 3: 0, 5: 1, 10: 0, 30: 0, longer: 1 });
    expect(r.body.handoff.withinFiveMinutes).toBeCloseTo(2 / 3);
    expect(r.body.callbacks).toEqual({ called: 1, onTime: 1, share: 1, overdueOpen: 0 });

    const csv = await fetch(`${t.url}/desk/api/reports/unanswered.csv?from=${TODAY}&to=${TODAY}`, { headers: { Cookie: boss.cookie, 'X-Forwarded-For': boss.address } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    expect(text.startsWith('问题（已隐去个人信息）,次数,最近一次')).toBe(true); // fetch drops the BOM when decoding
    expect(text).toMatch(/\n"'=HYPERLINK\(""http:/);
    const categories = await (await fetch(`${t.url}/desk/api/reports/categories.csv?from=2026-11-20&to=2026-11-20&lang=en`, { headers: { Cookie: boss.cookie, 'X-Forwarded-For': boss.address } })).text();
    expect(categories.split('\r\n').slice(0, 2)).toEqual(['Category,Count', expect.stringMatching(/^[A-Z][\w ]+,1$/)]);
    expect(text).not.toMatch(/13812345678/);
    expect((await boss.call('GET', '/desk/api/reports/nothing.csv')).status).toBe(404);
  });
});
