/**
 * Staff alerts through the WeCom internal application (message/send on the
 * fake WeCom server, real app, real Redis): an urgent chat waiting, a reminder
 * to the complaint's team, an escalation to supervisors, a surge said once per
 * period however many chats join; the policy file's groups and words; and the
 * configuration that turns it on (all or nothing).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../bot/config';
import type { TestApp } from '../support/harness';
import { startTestApp, workingDayClock } from '../support/harness';
import { copyContent, problemsOf } from '../support/content';
import { newComplaint } from '../support/complaints';
import { AGENT_ID, AGENT_SECRET, CORP_ID, fakeWeCom, until } from '../fakes/wecom-account';

const fake = fakeWeCom();
let t: TestApp;

function contentWithGroups(): string {
  const dir = copyContent('staff-alerts-');
  const file = path.join(dir, 'policy', 'staff-alerts.json');
  const policy = JSON.parse(readFileSync(file, 'utf8'));
  policy.groups = { supervisors: ['wangwu', 'zhaoliu'], customer_service: ['lisi'], operations: ['zhangsan', 'wangwu'] };
  policy.surge = { waitingChats: 3, everyMinutes: 30 };
  writeFileSync(file, JSON.stringify(policy));
  return dir;
}

const alerts = () => fake.sent.filter((m) => m.path === '/cgi-bin/message/send').map((m) => ({ to: m.body.touser as string, text: m.body.text.content as string, agentid: m.body.agentid }));

beforeAll(async () => {
  await fake.start();
  t = await startTestApp({
    env: { WECOM_CORP_ID: CORP_ID, WECOM_AGENT_ID: AGENT_ID, WECOM_AGENT_SECRET: AGENT_SECRET, WECOM_API_BASE_URL: fake.url, HANDOFF_HOURS: 'always', CONTENT_DIR: contentWithGroups() },
    now: workingDayClock(),
  });
  await t.app.handoff.presence.heartbeat('staff:on-duty', 600_000);
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});
beforeEach(() => {
  fake.sent.length = 0;
});

const request = (n: number, level: 'general' | 'urgent') =>
  t.app.handoff.request({ channelId: 'directline', conversationId: `alerts-${n}-${Date.now()}`, customerId: `c${n}`, locale: 'zh-CN', level, reasons: level === 'urgent' ? ['threatMedia'] : ['asksPerson'] });

describe('staff alerts in WeCom', () => {
  it('tells supervisors and the service team of an urgent chat waiting, in the policy\'s words, and not of a general one', async () => {
    await request(1, 'general');
    await request(2, 'urgent');
    await until(() => alerts().length === 1, 'the urgent alert');
    await new Promise((r) => setTimeout(r, 200));
    expect(alerts()).toEqual([{ to: 'wangwu|zhaoliu|lisi', agentid: Number(AGENT_ID), text: expect.stringMatching(/^【紧急】有客户正在等待人工接入（threatMedia），前面还有 \d+ 位/) }]);
  });

  it('reminds the complaint\'s own team and escalates to supervisors, once per complaint and date', async () => {
    const base = { number: 'TS-20261201-0042', department: 'operations', promised: '2026-12-15T15:59:59.999Z', at: new Date().toISOString() };
    expect(await t.app.notices.alerts.add({ ...base, kind: 'remind' }, 'remind:TS-20261201-0042:a')).toBe(true);
    expect(await t.app.notices.alerts.add({ ...base, kind: 'remind' }, 'remind:TS-20261201-0042:a')).toBe(false);
    await t.app.notices.alerts.add({ ...base, kind: 'escalate' }, 'escalate:TS-20261201-0042:a');
    await until(() => alerts().length === 2, 'two alerts');
    await new Promise((r) => setTimeout(r, 200));
    expect(alerts()).toEqual([
      { to: 'zhangsan|wangwu', agentid: Number(AGENT_ID), text: '【到期提醒】投诉 TS-20261201-0042 的承诺答复日期是 2026-12-15，请及时答复客户。' },
      { to: 'wangwu|zhaoliu', agentid: Number(AGENT_ID), text: '【已超期】投诉 TS-20261201-0042 已超过承诺答复日期 2026-12-15，请督办。' },
    ]);
    // A team the policy has no group for: nobody to remind, nothing sent.
    await t.app.notices.alerts.add({ ...base, department: 'card_center', kind: 'remind' }, 'remind:other');
    await new Promise((r) => setTimeout(r, 200));
    expect(alerts()).toHaveLength(2);
  });

  it('says a surge once per period however many chats join the queue', async () => {
    for (let i = 10; i < 16; i++) await request(i, 'general');
    await until(() => alerts().some((a) => a.text.startsWith('【排队激增】')), 'the surge alert');
    await new Promise((r) => setTimeout(r, 300));
    const surges = alerts().filter((a) => a.text.startsWith('【排队激增】'));
    expect(surges).toHaveLength(1);
    expect(surges[0]).toMatchObject({ to: 'wangwu|zhaoliu', text: expect.stringMatching(/现在有 [3-9] 位客户在等待人工/) });
  });

  it('tells supervisors of a category of complaints surging today, once however many checks run', async () => {
    for (let i = 0; i < 5; i++) {
      await t.app.tickets.create(newComplaint(`surge${i}`, { category: 'fees', description: '年费被重复扣了' }));
    }
    await Promise.all([t.app.console!.surgeWatch.check(), t.app.console!.surgeWatch.check()]);
    await t.app.console!.surgeWatch.check();
    await until(() => alerts().length === 1, 'the surge alert');
    await new Promise((r) => setTimeout(r, 200));
    expect(alerts()).toEqual([{ to: 'wangwu|zhaoliu', agentid: Number(AGENT_ID), text: '【投诉激增】今天“收费”类投诉已有 5 件，近期日均 0 件，请关注原因。' }]);
  });

  it('goes on when WeCom refuses the alert: the chat is still queued', async () => {
    fake.invalidateTokens();
    const outcome = await request(30, 'urgent');
    expect(outcome.queued).toBe(true);
    await until(() => alerts().length === 1, 'the alert after a token refresh');
  });
});

describe('configuration', () => {
  const base = { NODE_ENV: 'development', DIRECT_LINE_SECRET: 'x'.repeat(32) };
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig({ ...base, ...env });
      return [];
    } catch (error) {
      return (error as { problems: string[] }).problems;
    }
  };

  it('turns each WeCom set on only whole, and names what a partial one lacks', () => {
    expect(problems({ WECOM_CORP_ID: CORP_ID, WECOM_AGENT_ID: AGENT_ID, WECOM_AGENT_SECRET: AGENT_SECRET })).toEqual([]);
    expect(problems({ WECOM_CORP_ID: CORP_ID })).toEqual([]);
    expect(problems({ WECOM_AGENT_ID: AGENT_ID })).toEqual([expect.stringMatching(/^WECOM_CORP_ID: WeCom staff alerts need .*: missing WECOM_CORP_ID, WECOM_AGENT_SECRET$/)]);
    expect(problems({ WECOM_CORP_ID: CORP_ID, WECOM_KF_SECRET: 's', WECOM_KF_TOKEN: 'tok123' })).toEqual([expect.stringMatching(/customer-service channel needs .*: missing WECOM_KF_AES_KEY$/)]);
    expect(problems({ WECOM_KF_AES_KEY: 'short' })[0]).toMatch(/WECOM_KF_AES_KEY: 43 letters or digits/);
    expect(problems({ WECOM_AGENT_ID: 'abc', WECOM_AGENT_SECRET: 's', WECOM_CORP_ID: CORP_ID })[0]).toMatch(/WECOM_AGENT_ID: the application's numeric AgentId/);
  });

  it('refuses a staff-alerts policy that names a group it does not define, saying where', () => {
    const dir = copyContent('staff-alerts-bad-');
    const file = path.join(dir, 'policy', 'staff-alerts.json');
    const policy = JSON.parse(readFileSync(file, 'utf8'));
    policy.events.escalate = ['managers'];
    writeFileSync(file, JSON.stringify(policy));
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/staff-alerts\.json.*events\.escalate.*"managers" is not in groups/)]);
  });
});
