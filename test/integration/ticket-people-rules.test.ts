/**
 * The rules about people and about which complaints are one, that the tickets group's mutation run found
 * unguarded (docs/testing.md § Mutation testing): who counts as a handler after each move and what the audit
 * entry says of it, who may be assigned, a merged complaint naming where it carries on, which complaints are
 * the same customer's (identity, phone, +86, no phone at all), the already-merged check inside the write,
 * changing team, and the survey's one answer. Real Redis; the clock is injected.
 */
import { loadContent } from '../../bot/content/loader';
import { Keys } from '../../bot/store/keys';
import type { RedisBackend } from '../../bot/store/redis-backend';
import { mergeComplaints, mergeProblem } from '../../bot/tickets/merge';
import type { Ticket } from '../../bot/tickets/model';
import { TicketService, type NewComplaint } from '../../bot/tickets/service';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';

const policy = loadContent().complaints;
const DAY = 86_400_000;

function complaint(customerId: string, phone?: string, channelId = 'directline'): NewComplaint {
  return {
    customer: { channelId, id: customerId, anonymous: phone === undefined, ...(phone ? { phone } : {}), locale: 'zh-CN' },
    conversationRef: { conversation: { id: customerId } },
    details: { category: 'business_error', description: '转账没到账', wish: '退款' },
    consent: { personalData: { given: true, at: '2026-11-23T02:00:00.000Z', retentionDays: 1825 } },
    lawfulBasis: { description: 'legal_obligation' },
    customerTexts: [],
  };
}

const refusal = (p: Promise<unknown>) => p.then(() => 'done', (e: { code: string; message: string }) => `${e.code}: ${e.message}`);

describe('who handles a complaint, and which complaints are one', () => {
  let backend: RedisBackend;
  let keys: Keys;
  let clock: number;
  let tickets: TicketService;

  beforeAll(() => {
    backend = openTestBackend();
    keys = new Keys(uniquePrefix('ticket-people'));
  });
  beforeEach(() => {
    clock = Date.parse('2026-11-23T10:00:00+08:00');
    tickets = new TicketService(backend, keys, policy, () => new Date(clock));
  });
  afterAll(async () => {
    await deleteKeys(backend.redis, keys.prefix);
    await backend.close();
  });

  it('counts only people who assign, start or answer as handlers; accepting, the bot and the system do not', async () => {
    const t = await tickets.create(complaint('p1', '13800000001'));
    const accepted = await tickets.transition(t.number, 'accepted', 'staff:zhao');
    expect(accepted.handlers).toEqual([]);
    expect(accepted.owner).toBeUndefined();
    expect(accepted.audit.at(-1)?.changes).toBeUndefined();
    // A supervisor assigning someone else: the assignee handles it, not the supervisor.
    const assigned = await tickets.assign(t.number, 'staff:qian', 'supervisor:sun');
    expect(assigned.handlers).toEqual(['staff:qian']);
    expect(assigned.owner).toBe('staff:qian');
    expect(assigned.audit.at(-1)?.changes).toEqual({ owner: 'staff:qian' });
    // Starting work keeps the owner it has, and adds whoever starts.
    const started = await tickets.transition(t.number, 'in_progress', 'staff:li');
    expect(started.owner).toBe('staff:qian');
    expect(started.handlers).toEqual(['staff:qian', 'staff:li']);
    expect(started.audit.at(-1)?.changes).toBeUndefined();
    // Taking it again changes the owner and records it; one handler is listed once.
    const taken = await tickets.assign(t.number, 'staff:li');
    expect(taken.handlers).toEqual(['staff:qian', 'staff:li']);
    expect(taken.audit.at(-1)?.changes).toEqual({ owner: 'staff:li' });
  });

  it('makes whoever starts an unowned appeal its owner, and never makes the system a handler', async () => {
    const t = await tickets.create(complaint('p2', '13800000002'));
    await tickets.transition(t.number, 'accepted', 'staff:zhao');
    await tickets.assign(t.number, 'staff:zhou');
    await tickets.transition(t.number, 'in_progress', 'staff:zhou');
    const resolution = {
      findings: 'Delayed by a clearing fault.', accountability: 'Clearing team.', correctiveAction: 'Monitoring added.',
      customerSatisfied: 'yes' as const, handledAt: '2026-11-24T02:00:00.000Z', handler: { name: 'Zhou', contact: '021-12345678' },
    };
    const answered = await tickets.transition(t.number, 'resolved', 'system', undefined, resolution);
    expect(answered.handlers).toEqual(['staff:zhou']);
    const appealed = await tickets.transition(t.number, 'reopened', 'customer', 'appeal');
    expect(appealed.audit.at(-1)?.changes).toEqual({ owner: null, barredHandlers: ['staff:zhou'] });
    const restarted = await tickets.transition(t.number, 'in_progress', 'staff:wu');
    expect(restarted.owner).toBe('staff:wu');
    expect(restarted.audit.at(-1)?.changes).toEqual({ owner: 'staff:wu' });
  });

  it('assigns only to a person, through the desk too, and names where a merged complaint carries on', async () => {
    const t = await tickets.create(complaint('p3', '13800000003'));
    await tickets.transition(t.number, 'accepted', 'staff:zhao');
    await expect(refusal(tickets.assign(t.number, 'bot'))).resolves.toMatch(/^TICKET_INVALID/);
    await expect(refusal(tickets.act(t.number, 'assigned', 'system', {}))).resolves.toMatch(/^TICKET_INVALID/);
    await expect(refusal(tickets.act(t.number, 'assigned', 'staff:zhao', { assignee: 'customer' }))).resolves.toMatch(/^TICKET_INVALID/);
    await expect(refusal(tickets.act(t.number, 'merged', 'staff:zhao', {}))).resolves.toMatch(/^TICKET_INVALID: .*carries on/);
    expect((await tickets.get(t.number)).status).toBe('accepted');
    // Assigning oneself through the desk, with no assignee named, is allowed.
    await expect(tickets.act(t.number, 'assigned', 'staff:zhao', {})).resolves.toMatchObject({ owner: 'staff:zhao' });
  });

  it('treats complaints as one customer\'s by channel identity even with a new phone, or by a phone of 7 digits or more', async () => {
    const made = async (id: string, phone?: string, channel?: string) => {
      const ticket = await tickets.create(complaint(id, phone, channel));
      clock += DAY;
      return ticket;
    };
    const problem = (later: Ticket, earlier: Ticket) => mergeProblem(later, earlier) ?? 'may merge';
    // One identity, the phone changed between the two complaints.
    const a1 = await made('p4-a', '13800000004');
    const a2 = await made('p4-a', '13900000004');
    expect(problem(a2, a1)).toBe('may merge');
    // The same identity string on another channel is another customer.
    const b1 = await made('p4-b', '13800000005', 'directline');
    const b2 = await made('p4-b', '13700000005', 'wechat-oa');
    expect(problem(b2, b1)).toMatch(/same customer/);
    // Two customers who gave no phone are not one customer.
    const c1 = await made('p4-c1');
    const c2 = await made('p4-c2');
    expect(problem(c2, c1)).toMatch(/same customer/);
    // A landline of 7 digits is enough; 6 digits is not a phone number.
    const d1 = await made('p4-d1', '8765432');
    const d2 = await made('p4-d2', '876-5432');
    expect(problem(d2, d1)).toBe('may merge');
    const e1 = await made('p4-e1', '876543');
    const e2 = await made('p4-e2', '876543');
    expect(problem(e2, e1)).toMatch(/same customer/);
    // +86 and 0086 in front of a mobile number, with spaces; not in front of anything else.
    const f1 = await made('p4-f1', '13812340000');
    const f2 = await made('p4-f2', '8613812340000');
    expect(problem(f2, f1)).toBe('may merge');
    const g1 = await made('p4-g1', '86123456');
    const g2 = await made('p4-g2', '123456');
    expect(problem(g2, g1)).toMatch(/same customer/);
  });

  it('refuses a merge whose earlier complaint is closed, and one whose later complaint is closed', async () => {
    const earlier = await tickets.create(complaint('p5', '13800000006'));
    clock += DAY;
    const later = await tickets.create(complaint('p5', '13800000006'));
    await tickets.transition(later.number, 'withdrawn', 'customer');
    await expect(refusal(mergeComplaints(tickets, later.number, earlier.number, 'staff:wang'))).resolves.toMatch(/STATE_CONFLICT: Only open/);
    expect((await tickets.get(earlier.number)).mergedMessages).toBe(0);
  });

  it('refuses, inside the write, to add a merged complaint\'s words a second time', async () => {
    const t = await tickets.create(complaint('p6', '13800000007'));
    const from = { number: 'TS-20261123-9999', evidence: [] };
    await tickets.addDetails(t.number, 'staff:wang', '第二次的话', from);
    await expect(refusal(tickets.addDetails(t.number, 'staff:wang', '第二次的话', from))).resolves.toMatch(/^ALREADY_MERGED: TS-20261123-9999/);
    // New facts from the customer (no merged complaint behind them) are always taken.
    const plain = await tickets.addDetails(t.number, 'customer', '补充一句');
    expect(plain.mergedMessages).toBe(2);
    expect(plain.audit.at(-1)?.changes).toBeUndefined();
  });

  it('changes team only for an open complaint that is elsewhere, without an owner, and moves it between open lists', async () => {
    const t = await tickets.create(complaint('p7', '13800000008'));
    await tickets.assign((await tickets.transition(t.number, 'accepted', 'staff:zhao')).number, 'staff:zhao');
    await expect(refusal(tickets.changeDepartment(t.number, 'supervisor:sun', t.department, 'same'))).resolves.toMatch(/already with that team/);
    const moved = await tickets.changeDepartment(t.number, 'supervisor:sun', 'cards', 'card matter');
    expect(moved).toMatchObject({ department: 'cards', owner: undefined });
    expect(moved.audit.at(-1)).toMatchObject({ action: 'team_changed', changes: { from: t.department, to: 'cards' }, note: 'card matter' });
    expect((await tickets.listOpen(t.department)).map((x) => x.number)).not.toContain(t.number);
    expect((await tickets.listOpen('cards')).map((x) => x.number)).toContain(t.number);
    await tickets.transition(t.number, 'withdrawn', 'customer');
    await expect(refusal(tickets.changeDepartment(t.number, 'supervisor:sun', t.department, 'back'))).resolves.toMatch(/Only an open complaint/);
  });

  it('keeps the first survey answer, without an empty comment, and refuses a second', async () => {
    const t = await tickets.create(complaint('p8', '13800000009'));
    const answered = await tickets.recordSurvey(t.number, 4, '');
    expect(answered.survey).toEqual({ score: 4, at: new Date(clock).toISOString() });
    expect(answered.audit.at(-1)).toMatchObject({ by: 'customer', action: 'survey', changes: { score: 4 } });
    await expect(refusal(tickets.recordSurvey(t.number, 1, 'changed my mind'))).resolves.toMatch(/^STATE_CONFLICT: The survey was answered/);
    expect((await tickets.get(t.number)).survey?.score).toBe(4);
  });
});
