/**
 * Staff work complaints through the desk API (issue 12, first part), over real
 * HTTP on a real Redis: the team's list soonest-due first with its filters,
 * one complaint masked, every move and refusal (role, state machine, a
 * stale version, withdrawal is the customer's), recusal answered 404, an
 * appeal never back to a former handler, 50 simultaneous moves leaving one
 * consistent record, and no access without a session.
 */
import { startTestApp, workingDayClock, type TestApp } from '../support/harness';
import type { NewComplaint } from '../../bot/tickets/service';
import { DESK_PASSWORD as PASSWORD, DeskStaff } from '../support/desk-staff';

const resolution = () => ({
  findings: 'The transfer was held by a clearing fault; the money arrived the next day.',
  accountability: 'The clearing team reviewed the batch job.',
  correctiveAction: 'Monitoring added to the batch job.',
  customerSatisfied: 'yes',
  handledAt: new Date().toISOString(),
  handler: { name: 'Li Wei', contact: '021-12345678' },
});

function complaint(id: string, details: Partial<NewComplaint['details']> = {}, phone = '13812345678'): NewComplaint {
  const at = new Date().toISOString();
  return {
    customer: { channelId: 'directline', id, anonymous: false, phone, locale: 'zh-CN' },
    conversationRef: { conversation: { id } },
    details: { category: 'business_error', description: '转账没到账', wish: '退款', ...details },
    consent: { personalData: { given: true, at, retentionDays: 1825 } },
    lawfulBasis: { description: 'legal_obligation', phone: 'consent' },
    customerTexts: [],
  };
}

class Staff extends DeskStaff {
  list(query = '') {
    return this.call('GET', `/desk/api/complaints${query}`);
  }
  open(number: string) {
    return this.call('GET', `/desk/api/complaints/${number}`);
  }
  async move(number: string, to: string, extra: Record<string, unknown> = {}) {
    const version = extra.version ?? (await this.open(number)).body?.version ?? 'none';
    return this.call('POST', `/desk/api/complaints/${number}/move`, { to, version, ...extra });
  }
}

describe('complaints in the desk API', () => {
  let t: TestApp;
  let ops: Staff; // agent of operations
  let ops2: Staff; // another agent of operations
  let risk: Staff; // agent of risk_control only
  let boss: Staff; // supervisor
  let named: Staff; // agent of branch_service, named in a complaint
  beforeAll(async () => {
    t = await startTestApp({ now: workingDayClock(), env: { TRUST_PROXY: '1' } });
    const staff = t.app.desk!.staff;
    await staff.add({ username: 'wang.ops', name: '王芳', role: 'agent', teams: ['operations'], password: PASSWORD });
    await staff.add({ username: 'zhao.ops', name: '赵磊', role: 'agent', teams: ['operations'], password: PASSWORD });
    await staff.add({ username: 'li.risk', name: '李强', role: 'agent', teams: ['risk_control'], password: PASSWORD });
    await staff.add({ username: 'chen.sup', name: '陈静', role: 'supervisor', teams: [], password: PASSWORD });
    await staff.add({ username: 'zhou.branch', name: '周敏', role: 'agent', teams: ['branch_service'], password: PASSWORD });
    [ops, ops2, risk, boss, named] = (await Promise.all(['wang.ops', 'zhao.ops', 'li.risk', 'chen.sup', 'zhou.branch'].map((u) => Staff.login(t.url, u)))) as [Staff, Staff, Staff, Staff, Staff];
  });
  afterAll(() => t.close());

  it('answers 401 without a session, and refuses a change without the CSRF token', async () => {
    expect((await fetch(`${t.url}/desk/api/complaints`)).status).toBe(401);
    const c = await t.app.tickets.create(complaint('auth'));
    const res = await fetch(`${t.url}/desk/api/complaints/${c.number}/move`, { method: 'POST', headers: { Cookie: ops.cookie, 'Content-Type': 'application/json', 'X-Forwarded-For': ops.address }, body: JSON.stringify({ to: 'accepted', version: c.updatedAt }) });
    expect(res.status).toBe(403);
    expect((await t.app.tickets.get(c.number)).status).toBe('received');
  });

  it('refuses malformed, oversized and unexpected bodies on every complaint change, and changes nothing', async () => {
    const c = await t.app.tickets.create(complaint('hostile'));
    const raw = (action: string, body: string) =>
      fetch(`${t.url}/desk/api/complaints/${c.number}/${action}`, { method: 'POST', headers: { Cookie: boss.cookie, 'X-CSRF-Token': boss.csrf, 'Content-Type': 'application/json', 'X-Forwarded-For': boss.address }, body });
    for (const action of ['move', 'team', 'merge', 'note', 'extend', 'pause', 'answer-preview', 'reveal']) {
      const broken = await raw(action, '{"to": "accepted", ');
      expect([action, broken.status]).toEqual([action, 400]);
      const huge = await raw(action, JSON.stringify({ text: 'x'.repeat(2_000_000), version: c.updatedAt }));
      expect([action, huge.status]).toEqual([action, 413]);
    }
    for (const action of ['move', 'team', 'merge', 'note', 'extend']) {
      const extra = await raw(action, JSON.stringify({ to: 'accepted', team: 'customer_service', into: c.number, text: 'x', reason: '原因原因', version: c.updatedAt, admin: true }));
      expect([action, extra.status]).toEqual([action, 400]);
    }
    const after = await t.app.tickets.get(c.number);
    expect(after.updatedAt).toBe(c.updatedAt);
    expect(after.audit).toHaveLength(1);
  });

  it('lists the team\'s open complaints soonest promised first, filters them, and finds one by number or phone tail', async () => {
    const fee = await t.app.tickets.create(complaint('list-1', { category: 'fees' }, '13900001111'));
    const fraud = await t.app.tickets.create(complaint('list-2', { category: 'fraud' }));
    const list = await ops.list('?limit=200');
    expect(list.status).toBe(200);
    const numbers = list.body.complaints.map((c: any) => c.number);
    expect(numbers).toContain(fee.number);
    // Another team's complaint is not in an agent's list.
    expect(numbers).not.toContain(fraud.number);
    const promised = list.body.complaints.map((c: any) => c.promised);
    expect([...promised].sort()).toEqual(promised);
    for (const c of list.body.complaints) expect(c).toMatchObject({ department: 'operations', overdue: expect.any(Boolean), dueToday: expect.any(Boolean) });
    // Masked: only the last four digits of the phone, never the channel identity.
    expect(JSON.stringify(list.body)).not.toMatch(/13900001111|list-1/);
    expect((await ops.list('?phoneTail=1111')).body.complaints.map((c: any) => c.number)).toEqual([fee.number]);
    expect((await ops.list('?category=fees&limit=200')).body.complaints.every((c: any) => c.category === 'fees')).toBe(true);
    expect((await ops.list(`?number=${fee.number.toLowerCase()}`)).body.complaints.map((c: any) => c.number)).toEqual([fee.number]);
    // The supervisor sees every team; the risk agent sees the fraud complaint.
    expect((await boss.list('?limit=200')).body.complaints.map((c: any) => c.number)).toEqual(expect.arrayContaining([fee.number, fraud.number]));
    expect((await risk.list('?limit=200')).body.complaints.map((c: any) => c.number)).toContain(fraud.number);
    expect((await ops.list('?status=nonsense')).status).toBe(400);
  });

  it('one complaint: the record masked, both clocks, the audit trail and its version; another team\'s is 404', async () => {
    const c = await t.app.tickets.create(complaint('detail'));
    const res = await ops.open(c.number);
    expect(res.status).toBe(200);
    expect(res.body.ticket.customer.phone).toBe('*******5678');
    expect(JSON.stringify(res.body)).not.toMatch(/13812345678|"detail"|conversationRef/);
    expect(res.body.ticket.clocks).toMatchObject({ internalDue: expect.any(String), regulatoryDue: expect.any(String) });
    expect(res.body.version).toBe(c.updatedAt);
    expect(res.body.ticket.audit[0]).toMatchObject({ action: 'created' });
    expect((await risk.open(c.number)).status).toBe(404);
    expect((await ops.open('TS-20200101-0001')).status).toBe(404);
    expect((await ops.open('not-a-number')).status).toBe(404);
  });

  it('walks a complaint through every step an agent may take, each in the ticket\'s trail and the desk\'s audit log', async () => {
    const c = await t.app.tickets.create(complaint('walk'));
    for (const to of ['accepted', 'assigned', 'in_progress'] as const) {
      const res = await ops.move(c.number, to);
      expect([to, res.status, res.body?.status]).toEqual([to, 200, to]);
    }
    // Answering needs the six elements of an answer.
    const bare = await ops.move(c.number, 'resolved');
    expect(bare.status).toBe(400);
    expect(bare.body.error.message).toMatch(/six elements/);
    const answered = await ops.move(c.number, 'resolved', { resolution: resolution() });
    expect(answered.status).toBe(200);
    // Closing is a supervisor's.
    expect((await ops.move(c.number, 'closed')).status).toBe(403);
    expect((await boss.move(c.number, 'closed')).body.status).toBe('closed');
    const ticket = await t.app.tickets.get(c.number);
    expect(ticket.audit.map((a) => a.to).filter(Boolean)).toEqual(['received', 'accepted', 'assigned', 'in_progress', 'resolved', 'closed']);
    expect(ticket.audit.at(-1)!.by).toBe('staff:chen.sup');
    expect(ticket.handlers).toEqual(['staff:wang.ops']);
    const audit = await t.app.desk!.audit.read(t.app.desk!.audit.today(), 0, 500);
    expect(audit.entries.filter((e) => e.complaint === c.number).map((e) => e.status).reverse()).toEqual(['accepted', 'assigned', 'in_progress', 'resolved', 'closed']);
    // Closed: no longer in the open list.
    expect((await ops.list('?limit=200')).body.complaints.map((x: any) => x.number)).not.toContain(c.number);
  });

  it('tells the page which steps the caller may take, whom a supervisor may assign, and names for accounts', async () => {
    const c = await t.app.tickets.create(complaint('page-moves', { category: 'service_attitude', staff: '赵磊' }));
    expect(c.department).toBe('branch_service');
    const atNew = (await boss.open(c.number)).body;
    expect(atNew.moves).toEqual(['accepted']);
    expect(atNew.canReveal).toBe(true);
    expect(atNew.names['zhou.branch']).toBe('周敏');
    // Supervisors get the team's people who may take it: not someone named in the complaint, not another team.
    const ops1 = await t.app.tickets.create(complaint('page-moves-2'));
    expect((await boss.move(ops1.number, 'accepted')).status).toBe(200);
    const forBoss = (await boss.open(ops1.number)).body;
    expect(forBoss.moves).toEqual(['assigned']);
    expect(forBoss.assignees.map((a: any) => a.username).sort()).toEqual(['chen.sup', 'wang.ops', 'zhao.ops']);
    const forAgent = (await ops.open(ops1.number)).body;
    expect(forAgent.assignees).toEqual([]);
    expect(forAgent.canReveal).toBe(false);
    const taken = await ops.move(ops1.number, 'assigned');
    // The owner is not offered to take it again.
    expect(taken.body.moves).toEqual(['in_progress']);
    expect((await ops2.open(ops1.number)).body.moves).toEqual(['assigned', 'in_progress']);
    expect(taken.body.canReveal).toBe(true);
    // An agent is never offered a supervisor's step.
    expect((await ops.move(ops1.number, 'in_progress')).body.moves).toEqual(['resolved']);
    // The preview is the answer in the customer's words, with its elements; a half-filled answer is refused with what is missing.
    const { handledAt: _h, ...typed } = resolution();
    const preview = await ops.call('POST', `/desk/api/complaints/${ops1.number}/answer-preview`, { resolution: typed });
    expect(preview.status).toBe(200);
    expect(preview.body.locale).toBe('zh-CN');
    expect(preview.body.text).toMatch(new RegExp(`^关于您的投诉 ${ops1.number}，答复如下：\\n调查结果：The transfer was held[^\\n]*\\n处理情况：The clearing team[^\\n]*\\n改进措施：Monitoring added[^\\n]*\\n经办人：Li Wei，联系方式：021-12345678\\n答复时间：`));
    const half = await ops.call('POST', `/desk/api/complaints/${ops1.number}/answer-preview`, { resolution: { findings: 'x' } });
    expect(half.status).toBe(400);
    expect(half.body.error.message).toMatch(/accountability.*correctiveAction/);
    expect((await t.app.tickets.get(ops1.number)).status).toBe('in_progress');
    const answered = await ops.move(ops1.number, 'resolved', { resolution: { ...resolution(), handledAt: '2001-01-01T00:00:00.000Z' } });
    // The customer's notice is the answer itself, not only the new status.
    const sent = [...(await t.app.outbox.pending()), ...(await t.app.outbox.dead()), ...(await t.app.outbox.held.peek('directline', 'page-moves-2'))]
      .filter((n) => n.number === ops1.number && n.change === 'status').at(-1);
    expect(sent?.text).toMatch(/答复如下：\n调查结果：The transfer was held/);
    expect(answered.body.moves).toEqual([]);
    // The answer's time is the server's, not what the browser sent.
    expect(Date.parse(answered.body.ticket.resolution.handledAt)).toBeGreaterThan(Date.parse('2020-01-01'));
    expect((await boss.open(ops1.number)).body.moves).toEqual(['closed', 'reopened']);
  });

  it('reveals the full phone number only to the owner or a supervisor, and writes the look to the audit log first', async () => {
    const c = await t.app.tickets.create(complaint('reveal', {}, '13700009876'));
    const reveal = (s: Staff) => s.call('POST', `/desk/api/complaints/${c.number}/reveal`, {});
    expect((await reveal(ops)).status).toBe(403);
    expect((await reveal(risk)).status).toBe(404);
    expect((await ops.move(c.number, 'accepted')).status).toBe(200);
    expect((await ops.move(c.number, 'assigned')).status).toBe(200);
    const version = (await ops.open(c.number)).body.version;
    const seen = await reveal(ops);
    expect(seen).toEqual({ status: 200, body: { phone: '13700009876', name: null } });
    expect((await reveal(boss)).body.phone).toBe('13700009876');
    expect((await ops2.call('POST', `/desk/api/complaints/${c.number}/reveal`, {})).status).toBe(403);
    // A look is not a change: the version colleagues hold stays good.
    expect((await ops.open(c.number)).body.version).toBe(version);
    const audit = await t.app.desk!.audit.read(t.app.desk!.audit.today(), 0, 500);
    expect(audit.entries.filter((e) => e.complaint === c.number && e.action === 'reveal').map((e) => e.staff).sort()).toEqual(['chen.sup', 'wang.ops']);
    // Without the CSRF token nothing is revealed.
    const res = await fetch(`${t.url}/desk/api/complaints/${c.number}/reveal`, { method: 'POST', headers: { Cookie: ops.cookie, 'X-Forwarded-For': ops.address } });
    expect(res.status).toBe(403);
  });

  it('refuses, with the reason, a move the state machine does not allow, a stale version, withdrawal, and an agent assigning a colleague', async () => {
    const c = await t.app.tickets.create(complaint('refuse'));
    const skip = await ops.move(c.number, 'resolved', { resolution: resolution() });
    expect(skip.status).toBe(409);
    expect(skip.body.error).toMatchObject({ code: 'MOVE_REFUSED', message: expect.stringMatching(/"received" cannot become "resolved"/) });
    const seen = (await ops.open(c.number)).body.version;
    expect((await ops2.move(c.number, 'accepted')).status).toBe(200);
    const stale = await ops.move(c.number, 'assigned', { version: seen });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('STALE_VERSION');
    expect((await ops.move(c.number, 'withdrawn')).status).toBe(403);
    expect((await boss.move(c.number, 'withdrawn')).status).toBe(403);
    expect((await ops.move(c.number, 'assigned', { assignee: 'zhao.ops' })).status).toBe(403);
    // A supervisor may; not to someone outside the team.
    expect((await boss.move(c.number, 'assigned', { assignee: 'li.risk' })).body.error.code).toBe('COLLEAGUE_UNAVAILABLE');
    const assigned = await boss.move(c.number, 'assigned', { assignee: 'zhao.ops' });
    expect(assigned.body).toMatchObject({ status: 'assigned', owner: 'staff:zhao.ops' });
    expect((await t.app.tickets.get(c.number)).status).toBe('assigned');
  });

  it('recusal: a complaint naming a staff member is 404 to them, in the list and by number', async () => {
    const c = await t.app.tickets.create(complaint('recuse', { category: 'service_attitude', staff: '柜员周敏态度恶劣' }));
    const other = await t.app.tickets.create(complaint('recuse-2', { category: 'service_attitude' }));
    expect((await named.open(c.number)).status).toBe(404);
    const mine = (await named.list('?limit=200')).body.complaints.map((x: any) => x.number);
    expect(mine).toContain(other.number);
    expect(mine).not.toContain(c.number);
    expect((await named.list(`?number=${c.number}`)).body.complaints).toEqual([]);
    expect((await named.move(c.number, 'accepted', { version: c.updatedAt })).status).toBe(404);
    // The supervisor cannot hand it to them either.
    expect((await boss.move(c.number, 'accepted')).status).toBe(200);
    expect((await boss.move(c.number, 'assigned', { assignee: 'zhou.branch' })).body.error.code).toBe('COLLEAGUE_UNAVAILABLE');
  });

  it('a complaint naming someone of its own team is not that team\'s: only supervisors see it, and move it to another team', async () => {
    const staff = t.app.desk!.staff;
    await staff.add({ username: 'sun.branch', name: '孙丽', role: 'agent', teams: ['branch_service'], password: PASSWORD });
    await staff.add({ username: 'qian.cs', name: '钱进', role: 'agent', teams: ['customer_service'], password: PASSWORD });
    const [colleague, cs] = await Promise.all([Staff.login(t.url, 'sun.branch'), Staff.login(t.url, 'qian.cs')]);
    const c = await t.app.tickets.create(complaint('team-conflict', { category: 'service_attitude', staff: '大堂经理周敏不理人' }));
    expect(c.department).toBe('branch_service');
    // The named person's colleague (same team) may not see it either: 404, and not in the list.
    expect((await colleague.open(c.number)).status).toBe(404);
    expect((await colleague.list('?limit=200')).body.complaints.map((x: any) => x.number)).not.toContain(c.number);
    const row = (await boss.list('?team=branch_service&limit=200')).body.complaints.find((x: any) => x.number === c.number);
    expect(row.teamConflict).toBe(true);
    const page = (await boss.open(c.number)).body;
    expect(page.teams).not.toContain('branch_service');
    expect(page.teams).toContain('customer_service');

    const moveTo = (s: Staff, team: string, version = page.version) => s.call('POST', `/desk/api/complaints/${c.number}/team`, { team, reason: '涉及网点员工，转客户服务中心处理', version });
    expect((await moveTo(boss, 'branch_service')).body.error.code).toBe('TEAM_CONFLICT');
    expect((await moveTo(boss, 'no_such_team')).status).toBe(400);
    expect((await moveTo(boss, 'customer_service', '2001-01-01T00:00:00.000Z')).body.error.code).toBe('STALE_VERSION');
    expect((await boss.call('POST', `/desk/api/complaints/${c.number}/team`, { team: 'customer_service', version: page.version })).status).toBe(400);
    const moved = await moveTo(boss, 'customer_service');
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ department: 'customer_service', teamConflict: false });
    const ticket = await t.app.tickets.get(c.number);
    expect(ticket.audit.at(-1)).toMatchObject({ by: 'staff:chen.sup', action: 'team_changed', changes: { from: 'branch_service', to: 'customer_service' }, note: '涉及网点员工，转客户服务中心处理' });
    // In the new team's list, out of the old one's; the new team's agent may work it.
    expect((await cs.list('?limit=200')).body.complaints.map((x: any) => x.number)).toContain(c.number);
    expect((await boss.list('?team=branch_service&limit=200')).body.complaints.map((x: any) => x.number)).not.toContain(c.number);
    expect((await cs.move(c.number, 'accepted')).status).toBe(200);

    // An agent hands their own team's complaint to another team, and then no longer sees it.
    const mine = await t.app.tickets.create(complaint('team-handover'));
    const handed = await ops.call('POST', `/desk/api/complaints/${mine.number}/team`, { team: 'customer_service', reason: '应由客服中心处理', version: mine.updatedAt });
    expect(handed.body).toEqual({ moved: true, number: mine.number, department: 'customer_service' });
    expect((await ops.open(mine.number)).status).toBe(404);
    expect((await cs.open(mine.number)).status).toBe(200);
  });

  it('merges a repeat complaint into the same customer\'s earlier one: offered on the page, refused with the reason otherwise', async () => {
    const first = await t.app.tickets.create(complaint('dup-customer', { description: '转账没到账' }));
    const again = await t.app.tickets.create(complaint('dup-customer', { description: '还是没到账，第二次投诉' }));
    const stranger = await t.app.tickets.create(complaint('dup-stranger', {}, '13900004444'));
    const page = (await ops.open(again.number)).body;
    expect(page.mergeInto.map((c: any) => c.number)).toEqual([first.number]);
    expect((await ops.open(first.number)).body.mergeInto).toEqual([]);
    const merge = (s: Staff, number: string, into: string, version: string) => s.call('POST', `/desk/api/complaints/${number}/merge`, { into, version });
    const wrong = await merge(ops, stranger.number, first.number, stranger.updatedAt);
    expect(wrong.status).toBe(409);
    expect(wrong.body.error).toMatchObject({ code: 'MOVE_REFUSED', message: expect.stringMatching(/same customer/) });
    expect((await merge(risk, again.number, first.number, again.updatedAt)).status).toBe(404);
    expect((await merge(ops, again.number, first.number, 'stale')).body.error.code).toBe('STALE_VERSION');
    const done = await merge(ops, again.number, first.number, page.version);
    expect(done.status).toBe(200);
    expect(done.body.number).toBe(first.number);
    expect(done.body.ticket.details.description).toContain(`(${again.number}) 还是没到账，第二次投诉`);
    expect(await t.app.tickets.get(again.number)).toMatchObject({ status: 'merged', mergedInto: first.number });
    expect((await ops.list('?limit=200')).body.complaints.map((x: any) => x.number)).not.toContain(again.number);
    // A merged complaint offers no steps: it carries on in the earlier one.
    expect((await ops.open(again.number)).body.moves).toEqual([]);
  });

  it('time-limit alerts reach the team (reminders) and supervisors (both); satisfaction figures are supervisors\'', async () => {
    const c = await t.app.tickets.create(complaint('alerted'));
    const other = await t.app.tickets.create(complaint('alerted-risk', { category: 'fraud' }));
    const at = new Date().toISOString();
    const promised = c.clocks.internalDue;
    await t.app.notices.alerts.add({ kind: 'remind', number: c.number, department: c.department, promised, at }, `${c.number}|remind:test`);
    await t.app.notices.alerts.add({ kind: 'escalate', number: c.number, department: c.department, promised, at }, `${c.number}|escalate:test`);
    await t.app.notices.alerts.add({ kind: 'remind', number: other.number, department: other.department, promised, at }, `${other.number}|remind:test`);
    // Once per key, however often it is added.
    expect(await t.app.notices.alerts.add({ kind: 'remind', number: c.number, department: c.department, promised, at }, `${c.number}|remind:test`)).toBe(false);
    const forAgent = (await ops.call('GET', '/desk/api/alerts')).body.alerts.filter((a: any) => [c.number, other.number].includes(a.number));
    expect(forAgent.map((a: any) => `${a.number}:${a.kind}`)).toEqual([`${c.number}:remind`]);
    const forBoss = (await boss.call('GET', '/desk/api/alerts')).body.alerts.filter((a: any) => [c.number, other.number].includes(a.number));
    expect(forBoss.map((a: any) => a.kind).sort()).toEqual(['escalate', 'remind', 'remind']);

    await t.app.tickets.transition(c.number, 'accepted', 'staff:x');
    for (const [number, score] of [[c.number, 5], [other.number, 2]] as const) {
      await t.app.notices.surveys.record('directline', `s-${number}`, number, { score });
    }
    expect((await ops.call('GET', '/desk/api/satisfaction')).status).toBe(403);
    const figures = (await boss.call('GET', '/desk/api/satisfaction')).body;
    expect(figures).toMatchObject({ responses: 2, satisfied: 1, rate: 0.5, target: 0.85, month: expect.stringMatching(/^\d{4}-\d{2}$/) });
    expect((await boss.call('GET', '/desk/api/satisfaction?month=2001-01')).body).toMatchObject({ month: '2001-01', responses: 0, rate: null });
  });

  it('an appeal goes to a different handler: the one who answered may not take it again', async () => {
    const c = await t.app.tickets.create(complaint('appeal'));
    for (const to of ['accepted', 'assigned', 'in_progress'] as const) expect((await ops.move(c.number, to)).status).toBe(200);
    expect((await ops.move(c.number, 'resolved', { resolution: { ...resolution(), customerSatisfied: 'no', appealInfo: '30天内可申请复核' } })).status).toBe(200);
    expect((await boss.move(c.number, 'reopened', { note: '客户申请复核' })).body.status).toBe('reopened');
    const again = await ops.move(c.number, 'assigned');
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/handled the complaint before the appeal/);
    expect((await ops2.move(c.number, 'assigned')).body.owner).toBe('staff:zhao.ops');
  });

  it('extends the time limit only with a supervisor\'s approval and a reason; pauses, resumes and notes on the version seen', async () => {
    const c = await t.app.tickets.create(complaint('clock'));
    const version = () => ops.open(c.number).then((r) => r.body.version as string);
    const byAgent = await ops.call('POST', `/desk/api/complaints/${c.number}/extend`, { reason: '需要调取银联交易记录', version: await version() });
    expect(byAgent.status).toBe(403);
    expect((await boss.call('POST', `/desk/api/complaints/${c.number}/extend`, { version: await version() })).status).toBe(400);
    const extended = await boss.call('POST', `/desk/api/complaints/${c.number}/extend`, { reason: '需要调取银联交易记录', version: await version() });
    expect(extended.status).toBe(200);
    expect(extended.body.ticket.clocks.extensions).toEqual([expect.objectContaining({ approvedBy: 'staff:chen.sup', reason: '需要调取银联交易记录' })]);
    expect(Date.parse(extended.body.ticket.clocks.regulatoryDue)).toBeGreaterThan(Date.parse(c.clocks.regulatoryDue));
    // A stale version is refused, not applied.
    expect((await ops.call('POST', `/desk/api/complaints/${c.number}/pause`, { reason: '等待司法鉴定结果', version: c.updatedAt })).body.error.code).toBe('STALE_VERSION');
    const paused = await ops.call('POST', `/desk/api/complaints/${c.number}/pause`, { reason: '等待司法鉴定结果', version: await version() });
    expect(paused.body.ticket.clocks.pausedSince).toEqual(expect.any(String));
    expect((await ops.call('POST', `/desk/api/complaints/${c.number}/pause`, { reason: '再停一次', version: await version() })).body.error.code).toBe('MOVE_REFUSED');
    const resumed = await ops.call('POST', `/desk/api/complaints/${c.number}/resume`, { version: await version() });
    expect(resumed.body.ticket.clocks.pausedSince).toBeUndefined();
    expect(resumed.body.ticket.clocks.pauses).toHaveLength(1);
    const noted = await ops.call('POST', `/desk/api/complaints/${c.number}/note`, { text: '已电话联系客户，确认交易时间', version: await version() });
    expect(noted.body.ticket.audit.at(-1)).toMatchObject({ action: 'note', by: 'staff:wang.ops', note: '已电话联系客户，确认交易时间' });
    expect((await risk.call('POST', `/desk/api/complaints/${c.number}/note`, { text: 'x', version: await version() })).status).toBe(404);
  });

  it('50 simultaneous moves of one complaint leave one consistent record and a complete trail', async () => {
    const c = await t.app.tickets.create(complaint('race'));
    const version = c.updatedAt;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? ops : ops2).move(c.number, 'accepted', { version })));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) expect([409]).toContain(r.status);
    const ticket = await t.app.tickets.get(c.number);
    expect(ticket.status).toBe('accepted');
    expect(ticket.audit.filter((a) => a.to === 'accepted')).toHaveLength(1);
  }, 30_000);

  it('the call-back queue: listed masked soonest first, one claimer wins and gets the number, the outcome joins the complaint\'s trail', async () => {
    const c = await t.app.tickets.create(complaint('cb-ticket', {}, '13700009999'));
    await t.app.callbacks.request({ channelId: 'directline', customerId: 'cb-ticket', phone: '13700009999', locale: 'zh-CN', ticketNumber: c.number });
    await t.app.callbacks.request({ channelId: 'wechat-oa', customerId: 'cb-plain', phone: '13600008888', locale: 'zh-TW' });
    const listed = await ops.call('GET', '/desk/api/callbacks');
    expect(listed.status).toBe(200);
    const mine = listed.body.callbacks.filter((x: any) => ['9999', '8888'].includes(x.phoneTail));
    expect(mine).toHaveLength(2);
    expect(JSON.stringify(listed.body)).not.toMatch(/13700009999|13600008888|cb-ticket|cb-plain/);
    const dues = listed.body.callbacks.map((x: any) => x.dueBy);
    expect([...dues].sort()).toEqual(dues);
    // Another team's agent does not see the one on an operations complaint.
    const seenByRisk = (await risk.call('GET', '/desk/api/callbacks')).body.callbacks.map((x: any) => x.phoneTail);
    expect(seenByRisk).toContain('8888');
    expect(seenByRisk).not.toContain('9999');
    const onTicket = mine.find((x: any) => x.phoneTail === '9999');
    expect((await risk.call('POST', `/desk/api/callbacks/${onTicket.id}/claim`, {})).status).toBe(404);
    // Two claim at once: one wins, with the full number; the other is told who has it.
    const [a, b] = await Promise.all([ops.call('POST', `/desk/api/callbacks/${onTicket.id}/claim`, {}), ops2.call('POST', `/desk/api/callbacks/${onTicket.id}/claim`, {})]);
    const winner = a.status === 200 ? a : b;
    const loser = a.status === 200 ? b : a;
    expect(winner.body.phone).toBe('13700009999');
    expect(loser.status).toBe(409);
    expect(loser.body.error.code).toBe('CALLBACK_TAKEN');
    const winnerStaff = winner === a ? ops : ops2;
    const other = winner === a ? ops2 : ops;
    expect((await other.call('POST', `/desk/api/callbacks/${onTicket.id}/outcome`, { outcome: 'reached' })).status).toBe(403);
    // No answer: back in the queue for a later try, unclaimed.
    const again = await winnerStaff.call('POST', `/desk/api/callbacks/${onTicket.id}/outcome`, { outcome: 'no_answer' });
    expect(again.body).toMatchObject({ tries: 1 });
    expect(again.body.claimedBy).toBeUndefined();
    expect((await winnerStaff.call('POST', `/desk/api/callbacks/${onTicket.id}/claim`, {})).status).toBe(200);
    const done = await winnerStaff.call('POST', `/desk/api/callbacks/${onTicket.id}/outcome`, { outcome: 'reached', note: '已与客户通话，约定周五前回复' });
    expect(done.body).toMatchObject({ outcome: 'reached', tries: 2 });
    expect((await ops.call('GET', '/desk/api/callbacks')).body.callbacks.map((x: any) => x.id)).not.toContain(onTicket.id);
    expect((await t.app.tickets.get(c.number)).audit.at(-1)).toMatchObject({ action: 'note', note: 'call-back: reached — 已与客户通话，约定周五前回复' });
    expect((await winnerStaff.call('POST', `/desk/api/callbacks/${onTicket.id}/claim`, {})).body.error.code).toBe('CALLBACK_DONE');
    expect((await ops.call('POST', '/desk/api/callbacks/not-an-id/claim', {})).status).toBe(404);
    expect((await ops.call('POST', `/desk/api/callbacks/${onTicket.id}/outcome`, { outcome: 'maybe' })).status).toBe(400);
  });

  it('dead letters: supervisors see why a notice failed and decide once — retry sends one fresh notice, handled closes it', async () => {
    const dead = (id: string, text: string) => ({ id, number: 'TS-20261201-0042', change: 'status', text, channelId: 'wechat-oa', customerId: 'o-dead', attempts: 5, createdAt: new Date().toISOString(), lastError: 'CHANNEL_WINDOW_CLOSED' });
    const [first, second] = [crypto.randomUUID(), crypto.randomUUID()];
    await t.app.backend.append(t.app.keys.outboxDead(), JSON.stringify(dead(first, '您的投诉已受理')));
    await t.app.backend.append(t.app.keys.outboxDead(), JSON.stringify(dead(second, '您的投诉已办结')));
    expect((await ops.call('GET', '/desk/api/dead-letters')).status).toBe(403);
    const listed = await boss.call('GET', '/desk/api/dead-letters');
    expect(listed.body.notices.map((n: any) => n.id)).toEqual(expect.arrayContaining([first, second]));
    expect(listed.body.notices.find((n: any) => n.id === first)).toMatchObject({ lastError: 'CHANNEL_WINDOW_CLOSED', attempts: 5, number: 'TS-20261201-0042' });
    const before = (await t.app.outbox.pending()).filter((n) => n.text === '您的投诉已受理').length;
    // Two supervisors (one twice) retry at once: one fresh notice is queued.
    const tries = await Promise.all([boss.call('POST', `/desk/api/dead-letters/${first}/retry`, {}), boss.call('POST', `/desk/api/dead-letters/${first}/retry`, {})]);
    expect(tries.map((r) => r.status).sort()).toEqual([200, 409]);
    const queued = (await t.app.outbox.pending()).filter((n) => n.text === '您的投诉已受理');
    expect(queued.length).toBe(before + 1);
    expect(queued.at(-1)).toMatchObject({ attempts: 0, channelId: 'wechat-oa', customerId: 'o-dead' });
    expect((await boss.call('POST', `/desk/api/dead-letters/${second}/handled`, { note: '已电话告知客户' })).status).toBe(200);
    const left = (await boss.call('GET', '/desk/api/dead-letters')).body.notices.map((n: any) => n.id);
    expect(left).not.toContain(first);
    expect(left).not.toContain(second);
    expect((await boss.call('POST', `/desk/api/dead-letters/${crypto.randomUUID()}/retry`, {})).status).toBe(404);
    expect((await ops.call('POST', `/desk/api/dead-letters/${second}/retry`, {})).status).toBe(403);
  });
});
