/**
 * The staff desk over real HTTP on a real Redis with real Direct Line customers: sign-in and its limits,
 * sessions, CSRF, the chat actions and their refusals, the forbidden-phrase check, 50 simultaneous claims,
 * and two instances on one Redis over SSE. Until bot/app.ts mounts the desk, the test mounts it itself.
 */
import { HandoffService, type HandoffRequest } from '../../bot/handoff/handoff-service';
import { mountDesk, type DeskFeature } from '../../bot/desk/mount';
import type { MountContext } from '../../bot/mount';
import { activities, daytimeClock, startConversation, startTestApp, waitFor, type TestApp } from '../support/harness';

const PASSWORD = 'Desk-pass-2024';
const clock = daytimeClock();
let skew = 0;
const now = () => new Date(clock().getTime() + skew);

interface Desk { t: TestApp; url: string; handoff: HandoffService; desk: DeskFeature; close(): Promise<void> }

async function startDesk(prefix?: string): Promise<Desk> {
  // TRUST_PROXY=1: each test speaks from its own address (X-Forwarded-For), so address limits never mix.
  const t = await startTestApp({ prefix, now, env: { TRUST_PROXY: '1' }, desk: false });
  const { app } = t;
  const handoff = new HandoffService({
    backend: app.backend, keys: app.keys, translator: app.translator, channel: (id) => app.channels.get(id),
    inOfficeHours: () => true, minutesPerChat: 5, transcriptTtlMs: 86_400_000, now,
  });
  // A smaller address allowance than production's, so the test reaches it quickly.
  const content = { ...app.content, desk: { ...app.content.desk, login: { ...app.content.desk.login, failuresPerAddress: 8 } } };
  const ctx = { config: app.config, logger: app.logger, backend: app.backend, keys: app.keys, server: app.server, content, translator: app.translator, now, channels: app.channels } as unknown as MountContext;
  const desk = mountDesk(ctx, handoff, { heartbeatMs: 300 });
  return { t, url: t.url, handoff, desk, close: async () => { await desk.stop?.(); await t.close(); } };
}

let addresses = 0;
class Staff {
  cookie = '';
  csrf = '';
  readonly address = `198.51.100.${++addresses}`;
  constructor(readonly url: string) {}

  static async as(url: string, username: string): Promise<Staff> {
    const staff = new Staff(url);
    return (await staff.login(username)) && staff;
  }

  async login(username: string, password = PASSWORD) {
    const res = await fetch(`${this.url}/desk/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': this.address }, body: JSON.stringify({ username, password }) });
    const body = (await res.json()) as any;
    const setCookie = res.headers.get('set-cookie');
    if (res.ok) [this.cookie, this.csrf] = [setCookie!.split(';')[0]!, body.csrf];
    return { status: res.status, body, setCookie, retryAfter: Number(res.headers.get('retry-after')) };
  }

  async call(method: string, path: string, body?: unknown, opts: { csrf?: string | null; headers?: Record<string, string> } = {}) {
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    const headers: Record<string, string> = { 'X-Forwarded-For': this.address, Cookie: this.cookie, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(csrf ? { 'X-CSRF-Token': csrf } : {}), ...opts.headers };
    const res = await fetch(`${this.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
  }

  act(key: string, action: 'claim' | 'reply' | 'transfer' | 'end', body: unknown = {}, opts?: { csrf?: string | null; headers?: Record<string, string> }) {
    return this.call('POST', `/desk/api/chats/${encodeURIComponent(key)}/${action}`, body, opts);
  }

  /** The live stream, read as the browser would; resolves once the desk says `ready`. */
  async stream() {
    const abort = new AbortController();
    const res = await fetch(`${this.url}/desk/events`, { headers: { Cookie: this.cookie, 'X-Forwarded-For': this.address }, signal: abort.signal });
    const events: { event: string; data: any }[] = [];
    void (async () => {
      let buffer = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += Buffer.from(chunk).toString('utf8');
        for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
          const [block, rest] = [buffer.slice(0, i), buffer.slice(i + 2)];
          buffer = rest;
          const event = /^event: (.*)$/m.exec(block)?.[1];
          if (event) events.push({ event, data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') });
        }
      }
    })().catch(() => undefined);
    const find = async (pred: (e: { event: string; data: any }) => boolean, ms = 5000) => (await waitFor(async () => events.find(pred), Boolean, ms))!;
    await find((e) => e.event === 'ready');
    return { status: res.status, type: res.headers.get('content-type'), events, find, close: () => abort.abort() };
  }
}

const addStaff = (d: Desk, rows: [string, string, 'agent' | 'supervisor', string?][]) =>
  Promise.all(rows.map(([username, name, role, team]) => d.desk.staff.add({ username, name, role, teams: team ? [team] : [], password: PASSWORD })));

async function queueChat(d: Desk, extra: Partial<HandoffRequest> = {}) {
  const conv = await startConversation(d.url);
  await d.handoff.presence.heartbeat('on-duty-probe', 60_000);
  const outcome = await d.handoff.request({ channelId: 'directline', conversationId: conv.conversationId, customerId: 'dl_customer', locale: 'zh-CN', level: 'urgent', reasons: ['anger'], ...extra });
  if (!outcome.queued) throw new Error(`not queued: ${outcome.reason}`);
  return { key: outcome.chat.key, conv };
}

const customerSees = (d: Desk, conv: { conversationId: string; token: string }, text: string | RegExp) =>
  waitFor(() => activities(d.url, conv), (s) => s.activities.some((a) => a.from?.role === 'bot' && (typeof text === 'string' ? a.text === text : text.test(a.text ?? ''))));

describe('staff desk (HTTP, Redis, Direct Line customers)', () => {
  let d: Desk;
  beforeAll(async () => {
    d = await startDesk();
    await addStaff(d, [['wangfang', '王芳', 'agent', 'card_center'], ['zhaolei', '赵磊', 'agent'], ['lihua', '李华', 'supervisor'], ['xiaoming', '小明', 'agent']]);
  }, 60_000);
  afterAll(() => d.close());
  afterEach(() => void (skew = 0));

  it('refuses a wrong password and signs in with the right one (HttpOnly, SameSite=Strict cookie with an expiry)', async () => {
    const s = new Staff(d.url);
    const wrong = await s.login('wangfang', 'not-the-password-1');
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'LOGIN_FAILED' } }, setCookie: null });
    expect((await s.login('nobody-here')).body.error.code).toBe('LOGIN_FAILED');
    const ok = await s.login('wangfang');
    expect(ok.status).toBe(200);
    expect(ok.body.me).toEqual({ username: 'wangfang', name: '王芳', role: 'agent', teams: ['card_center'] });
    expect(ok.setCookie).toMatch(/^desk_session=[A-Za-z0-9_-]{43}; Path=\/desk; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect((await s.call('GET', '/desk/api/me')).body.me.username).toBe('wangfang');
    expect((await new Staff(d.url).call('GET', '/desk/api/queue')).body.error.code).toBe('UNAUTHORIZED');
  }, 60_000);

  it('blocks an account after 5 wrong passwords (the right one too), and an address after its allowance', async () => {
    const s = new Staff(d.url);
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await s.login('xiaoming', `wrong-password-${i}`)).body.error.code);
    expect(codes).toEqual(['LOGIN_FAILED', 'LOGIN_FAILED', 'LOGIN_FAILED', 'LOGIN_FAILED', 'RATE_LIMITED']);
    const right = await s.login('xiaoming');
    expect(right.status).toBe(429);
    expect(right.retryAfter).toBeGreaterThan(0);
    expect(right.retryAfter).toBeLessThanOrEqual(15 * 60);
    // From another address the account is still blocked (the count is the account's) …
    expect((await new Staff(d.url).login('xiaoming')).status).toBe(429);
    // … and one address spraying many accounts is blocked after its allowance (8 here), even for a real account.
    const sprayer = new Staff(d.url);
    const spray = await Promise.all(Array.from({ length: 8 }, (_, i) => sprayer.login(`guess${i}`, 'Guess-1234567')));
    expect(spray.filter((r) => r.status === 429)).toHaveLength(1);
    expect((await sprayer.login('lihua')).status).toBe(429);
  }, 60_000);

  it('ends sessions that are idle, too old, logged out, or whose password changed; an open stream is told', async () => {
    const s = await Staff.as(d.url, 'wangfang');
    const live = await s.stream();
    expect(live.type).toMatch(/^text\/event-stream/);
    skew += 20 * 60_000;
    expect((await s.call('GET', '/desk/api/queue')).status).toBe(200);
    skew += 31 * 60_000; // no activity for 31 minutes: idle (30)
    expect((await s.call('GET', '/desk/api/queue')).body.error.code).toBe('SESSION_EXPIRED');
    await live.find((e) => e.event === 'expired');
    live.close();

    const busy = await Staff.as(d.url, 'wangfang');
    for (let step = 0; step < 28; step++) {
      skew += 25 * 60_000;
      expect((await busy.call('GET', '/desk/api/queue')).status).toBe(200);
    }
    skew += 25 * 60_000; // active all along, but 12 h 5 min old: absolute limit (12 h)
    expect((await busy.call('GET', '/desk/api/me')).body.error.code).toBe('SESSION_EXPIRED');

    skew = 0;
    const out = await Staff.as(d.url, 'wangfang');
    expect((await out.call('POST', '/desk/api/logout', {})).status).toBe(200);
    expect((await out.call('GET', '/desk/api/me')).body.error.code).toBe('SESSION_EXPIRED');

    const other = await Staff.as(d.url, 'lihua');
    await d.desk.staff.setPassword('lihua', 'Another-pass-2025');
    expect((await other.call('GET', '/desk/api/me')).body.error.code).toBe('SESSION_EXPIRED');
    await d.desk.staff.setPassword('lihua', PASSWORD);
  }, 60_000);

  it('refuses a change without the CSRF token, with a wrong one, or from another site; nothing changes', async () => {
    const { key } = await queueChat(d);
    const s = await Staff.as(d.url, 'wangfang');
    const refused = [
      await s.act(key, 'claim', {}, { csrf: null }),
      await s.act(key, 'claim', {}, { csrf: 'x'.repeat(32) }),
      await s.act(key, 'claim', {}, { headers: { Origin: 'https://evil.example' } }),
      await s.act(key, 'claim', {}, { headers: { 'Sec-Fetch-Site': 'cross-site' } }),
    ];
    expect(refused.map((r) => [r.status, r.body.error.code])).toEqual(Array(4).fill([403, 'CSRF_INVALID']));
    expect((await d.handoff.get(key))?.status).toBe('waiting');
    expect((await s.act(key, 'claim')).status).toBe(200);
  }, 60_000);

  it('claims, replies, transfers and hands back through HTTP; the customer sees it all; the audit log has it', async () => {
    const { key, conv } = await queueChat(d, { ticketNumber: 'TS-20250101-0001' });
    const [a, b, boss] = await Promise.all([Staff.as(d.url, 'wangfang'), Staff.as(d.url, 'zhaolei'), Staff.as(d.url, 'lihua')]);
    const queue = await a.call('GET', '/desk/api/queue');
    const row = queue.body.waiting.find((c: any) => c.key === key);
    expect(row).toMatchObject({ level: 'urgent', reasons: ['anger'], ticketNumber: 'TS-20250101-0001', customer: expect.stringMatching(/^[0-9A-F]{6}$/) });
    expect(row.customerId).toBeUndefined();

    const claimed = await a.act(key, 'claim');
    expect(claimed.status).toBe(200);
    expect(claimed.body.chat).toMatchObject({ status: 'with_staff', claimedBy: 'wangfang' });
    expect(claimed.body.canned.length).toBeGreaterThan(3);
    await customerSees(d, conv, '工作人员已接入，您可以直接在这里说了。');
    expect((await a.act(key, 'reply', { text: '您好，我来帮您处理。' })).status).toBe(200);
    await customerSees(d, conv, '您好，我来帮您处理。');
    expect((await b.act(key, 'reply', { text: '插话' })).body.error.code).toBe('NOT_YOUR_CHAT');

    const bLive = await b.stream(); // on duty: a colleague can only be given a chat while their desk is open
    expect((await a.call('GET', '/desk/api/colleagues')).body.colleagues.map((c: any) => c.username)).toContain('zhaolei');
    expect((await a.act(key, 'transfer', { to: 'nobody' })).body.error.code).toBe('COLLEAGUE_UNAVAILABLE');
    expect((await a.act(key, 'transfer', { to: 'zhaolei' })).status).toBe(200);
    expect((await a.act(key, 'reply', { text: '还在吗' })).body.error.code).toBe('NOT_YOUR_CHAT');
    expect((await b.act(key, 'reply', { text: '我是赵磊，接着为您处理。' })).status).toBe(200);
    await customerSees(d, conv, '我是赵磊，接着为您处理。');
    expect((await b.act(key, 'end', { how: 'bot' })).status).toBe(200);
    await customerSees(d, conv, /交回智能客服/);
    expect((await d.handoff.get(key))).toMatchObject({ status: 'ended', endedHow: 'bot', endedBy: 'zhaolei' });
    bLive.close();

    expect((await a.call('GET', '/desk/api/audit')).body.error.code).toBe('FORBIDDEN');
    const audit = await boss.call('GET', '/desk/api/audit');
    const onChat = audit.body.entries.filter((e: any) => e.chat === key).map((e: any) => `${e.staff}:${e.action}`).reverse();
    expect(onChat).toEqual(['wangfang:claim', 'wangfang:reply', 'wangfang:transfer', 'zhaolei:reply', 'zhaolei:hand_back']);
    expect(audit.body.entries.some((e: any) => e.action === 'login_failed' && e.staff === 'xiaoming')).toBe(true);
    expect(JSON.stringify(audit.body)).not.toContain('我来帮您处理');
  }, 60_000);

  it('refuses clearly to claim a chat already claimed or ended, or one that does not exist', async () => {
    const { key } = await queueChat(d);
    const [a, b] = await Promise.all([Staff.as(d.url, 'wangfang'), Staff.as(d.url, 'zhaolei')]);
    expect((await a.act(key, 'claim')).status).toBe(200);
    expect(await b.act(key, 'claim')).toEqual({ status: 409, body: { error: { code: 'CHAT_TAKEN', message: expect.any(String), by: 'wangfang', name: '王芳' } } });
    expect((await a.act(key, 'end', { how: 'staff' })).status).toBe(200);
    expect((await b.act(key, 'claim')).body.error.code).toBe('CHAT_ENDED');
    expect((await a.act(key, 'end', { how: 'staff' })).body.error.code).toBe('CHAT_ENDED');
    expect((await a.act('directline:no-such-chat', 'claim')).status).toBe(404);
  }, 60_000);

  it('a supervisor ends a colleague\'s chat or a waiting one directly; an agent may not; the audit says whose it was', async () => {
    const [agent, other, boss] = await Promise.all([Staff.as(d.url, 'wangfang'), Staff.as(d.url, 'zhaolei'), Staff.as(d.url, 'lihua')]);
    const held = await queueChat(d);
    const waiting = await queueChat(d);
    expect((await agent.act(held.key, 'claim')).status).toBe(200);

    expect((await other.act(held.key, 'end', { how: 'staff' })).body.error.code).toBe('NOT_YOUR_CHAT');
    expect((await other.act(waiting.key, 'end', { how: 'bot' })).body.error.code).toBe('NOT_YOUR_CHAT');
    expect((await d.handoff.get(held.key))?.status).toBe('with_staff');
    expect((await d.handoff.get(waiting.key))?.status).toBe('waiting');

    expect((await boss.act(held.key, 'end', { how: 'staff' })).status).toBe(200);
    await customerSees(d, held.conv, /本次人工服务已结束/);
    expect(await d.handoff.get(held.key)).toMatchObject({ status: 'ended', endedBy: 'lihua', endedHow: 'staff' });
    expect((await agent.act(held.key, 'reply', { text: '还在吗' })).body.error.code).toBe('CHAT_ENDED');

    expect((await boss.act(waiting.key, 'end', { how: 'bot' })).status).toBe(200);
    await customerSees(d, waiting.conv, /交回智能客服/);
    expect(await d.handoff.get(waiting.key)).toMatchObject({ status: 'ended', endedBy: 'lihua', endedHow: 'bot' });
    expect((await d.handoff.waiting()).map((c) => c.key)).not.toContain(waiting.key);
    expect((await boss.act(waiting.key, 'end', { how: 'bot' })).body.error.code).toBe('CHAT_ENDED');

    const audit = (await boss.call('GET', '/desk/api/audit')).body.entries as any[];
    expect(audit.find((e) => e.chat === held.key && e.action === 'end')).toMatchObject({ staff: 'lihua', of: 'wangfang' });
    expect(audit.find((e) => e.chat === waiting.key && e.action === 'hand_back')).toMatchObject({ staff: 'lihua', of: 'queue' });
  }, 60_000);

  it('refuses a reply with a forbidden phrase, suggests better wording, and sends nothing', async () => {
    const { key, conv } = await queueChat(d);
    const s = await Staff.as(d.url, 'wangfang');
    await s.act(key, 'claim');
    const before = (await d.handoff.transcript(key)).length;
    const seen = (await activities(d.url, conv)).activities.length;
    const refused = await s.act(key, 'reply', { text: '这个我不知道，你自己去看吧' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('FORBIDDEN_PHRASE');
    expect(refused.body.error.hits).toEqual([
      { phrase: '我不知道', suggestion: '这个问题我马上帮您核实，请您稍等片刻。' },
      { phrase: '自己去看', suggestion: '我一步一步带您操作，您看这样可以吗？' },
    ]);
    expect((await s.act(key, 'reply', { text: '我 不知道' })).body.error.code).toBe('FORBIDDEN_PHRASE');
    expect((await s.act(key, 'reply', { text: '喂，在吗' })).body.error.hits[0].phrase).toBe('喂');
    expect((await d.handoff.transcript(key)).length).toBe(before);
    expect((await activities(d.url, conv)).activities.length).toBe(seen);
  }, 60_000);

  it('lets exactly one of 50 simultaneous claims of one chat through HTTP succeed', async () => {
    const { key } = await queueChat(d);
    const staff = await Promise.all(['wangfang', 'zhaolei', 'lihua'].map((u) => Staff.as(d.url, u)));
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => staff[i % 3]!.act(key, 'claim')));
    const won = results.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.error.code === 'CHAT_TAKEN')).toHaveLength(49);
    expect((await d.handoff.get(key))?.claimedBy).toBe(won[0]!.body.chat.claimedBy);
  }, 60_000);

  it('serves the page with a strict CSP, and its files', async () => {
    const res = await fetch(`${d.url}/desk`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await res.text()).toContain('登录坐席工作台');
    expect((await fetch(`${d.url}/desk/assets/main.js`)).headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${d.url}/desk/assets/..%2Fmount.ts`)).status).toBe(404);
  });
});

describe('two desk instances on one Redis', () => {
  let a: Desk;
  let b: Desk;
  beforeAll(async () => {
    a = await startDesk();
    b = await startDesk(a.t.prefix);
    await addStaff(a, [['ana', '安娜', 'agent'], ['boss', '主管', 'supervisor'], ['ben', '本', 'agent']]);
  }, 60_000);
  afterAll(async () => Promise.all([b.close(), a.close()]));

  it('see each other\'s events over SSE: queued, claimed, messages (texts only to those who may read them)', async () => {
    const [ana, boss, ben] = await Promise.all([Staff.as(a.url, 'ana'), Staff.as(a.url, 'boss'), Staff.as(b.url, 'ben')]);
    const [anaLive, bossLive, benLive] = await Promise.all([ana.stream(), boss.stream(), ben.stream()]);
    const { key } = await queueChat(a);
    await benLive.find((e) => e.event === 'handoff' && e.data.type === 'queued' && e.data.key === key);
    expect((await ben.act(key, 'claim')).status).toBe(200);
    await anaLive.find((e) => e.data?.type === 'claimed' && e.data.key === key);
    expect((await ben.act(key, 'reply', { text: '您好，我是本。' })).status).toBe(200);
    const toBoss = await bossLive.find((e) => e.data?.type === 'message' && e.data.entry?.text === '您好，我是本。');
    expect(toBoss.data.entry.staffId).toBe('ben');
    // Ana (an agent, not on this chat) hears that the chat moved, never what was said: both go out in the same fan-out as Boss's.
    const toAna = anaLive.events.filter((e) => e.data?.type === 'message' && e.data.key === key);
    expect(toAna.length).toBeGreaterThan(0);
    expect(toAna.every((e) => e.data.entry === undefined)).toBe(true);
    for (const l of [anaLive, bossLive, benLive]) l.close();
  }, 60_000);
});
