/**
 * Merging a repeat complaint into the earlier one (bot/tickets/merge.ts) on a real Redis: what the earlier one
 * takes (words, evidence, a restarted regulatory clock), how the later one ends, what its customer is told, the
 * refusals, a retry after a crash half-way, and two merges racing.
 */
import { loadContent } from '../../bot/content/loader';
import { Keys } from '../../bot/store/keys';
import { mergeComplaints } from '../../bot/tickets/merge';
import type { Ticket } from '../../bot/tickets/model';
import { TicketService, type NewComplaint, type TicketChange } from '../../bot/tickets/service';
import type { RedisBackend } from '../../bot/store/redis-backend';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';

const policy = loadContent().complaints;
const DAY = 86_400_000;
let clock = Date.parse('2026-12-01T02:00:00Z');
const now = () => new Date(clock);

function complaint(customerId: string, description: string, phone = '13812345678', evidence: NewComplaint['evidence'] = []): NewComplaint {
  const at = now().toISOString();
  return {
    customer: { channelId: 'directline', id: customerId, anonymous: false, phone, locale: 'zh-CN' },
    conversationRef: { conversation: { id: customerId } },
    details: { category: 'business_error', description, wish: '退款' },
    evidence,
    consent: { personalData: { given: true, at, retentionDays: 1825 } },
    lawfulBasis: { description: 'legal_obligation', phone: 'consent' },
    customerTexts: [description],
  };
}

describe('merging a repeat complaint into the earlier one', () => {
  let backend: RedisBackend;
  let keys: Keys;
  let tickets: TicketService;
  const told: { ticket: Ticket; change: TicketChange }[] = [];
  beforeAll(async () => {
    backend = openTestBackend();
    // A loaded machine may take a moment to connect: the first command must not find it still opening.
    await backend.connected(10_000);
    keys = new Keys(uniquePrefix('merge'));
    tickets = new TicketService(backend, keys, policy, now);
    tickets.onChange = async (ticket, change) => void told.push({ ticket, change });
  });
  afterAll(async () => {
    await deleteKeys(backend.redis, keys.prefix);
    await backend.close();
  });

  async function pair(customer: string) {
    const earlier = await tickets.create(complaint(customer, '转账5000元三天没到账'));
    clock += 2 * DAY;
    const later = await tickets.create(complaint(customer, '还是没到账，银行流水显示已扣款', '138 1234 5678', [{ kind: 'image', name: '流水截图.png', addedAt: now().toISOString() }]));
    clock += DAY;
    return { earlier, later };
  }

  it('adds the later one\'s words and evidence to the earlier, restarts its regulatory clock, ends the later one and tells its customer where to follow', async () => {
    const { earlier, later } = await pair('m-ok');
    const { later: merged, earlier: kept } = await mergeComplaints(tickets, later.number, earlier.number, 'staff:wang', later.updatedAt);
    expect(merged).toMatchObject({ status: 'merged', mergedInto: earlier.number });
    expect(merged.audit.at(-1)).toMatchObject({ by: 'staff:wang', action: 'status', from: 'received', to: 'merged', note: `merged into ${earlier.number}` });
    expect(kept.details.description).toBe(`转账5000元三天没到账\n[2026-12-04] (${later.number}) 还是没到账，银行流水显示已扣款`);
    expect(kept.evidence.map((e) => e.name)).toEqual(['流水截图.png']);
    expect(kept.mergedMessages).toBe(1);
    expect(kept.audit.at(-1)).toMatchObject({ action: 'merged', changes: { from: later.number } });
    // The clock restarts from the merge, as for any new facts: not from the earlier complaint's first day.
    expect(Date.parse(kept.clocks.regulatoryStart)).toBeGreaterThan(Date.parse(earlier.clocks.regulatoryStart));
    expect(kept.status).toBe('received');
    // The later one leaves the open list; its customer hears about it, the earlier's customer not twice.
    expect((await tickets.listOpen(later.department)).map((t) => t.number)).not.toContain(later.number);
    expect(told.filter((x) => x.ticket.number === later.number).map((x) => x.ticket.status)).toEqual(['merged']);
  });

  it('refuses, with the reason: into itself, into a later one, another customer\'s, a closed one, a stale version', async () => {
    const { earlier, later } = await pair('m-refuse');
    const other = await tickets.create(complaint('someone-else', '别人的投诉', '13900001111'));
    const refused = (p: Promise<unknown>) => p.then(() => 'merged', (e: { code: string; message: string }) => `${e.code}: ${e.message}`);
    await expect(refused(mergeComplaints(tickets, later.number, later.number, 'staff:wang'))).resolves.toMatch(/STATE_CONFLICT: .*itself/);
    await expect(refused(mergeComplaints(tickets, earlier.number, later.number, 'staff:wang'))).resolves.toMatch(/STATE_CONFLICT: .*earlier one/);
    await expect(refused(mergeComplaints(tickets, other.number, earlier.number, 'staff:wang'))).resolves.toMatch(/STATE_CONFLICT: .*same customer/);
    await expect(refused(mergeComplaints(tickets, later.number, earlier.number, 'staff:wang', '2001-01-01T00:00:00.000Z'))).resolves.toMatch(/^STALE_VERSION/);
    await tickets.transition(earlier.number, 'withdrawn', 'customer');
    await expect(refused(mergeComplaints(tickets, later.number, earlier.number, 'staff:wang'))).resolves.toMatch(/STATE_CONFLICT: .*open/);
    // Nothing changed by any refusal.
    expect((await tickets.get(later.number)).status).toBe('received');
    // The same customer by phone on another channel identity may be merged.
    const byPhone = await tickets.create(complaint('m-refuse-wechat', '同一件事', '+86 138-1234-5678'));
    const fresh = await tickets.create(complaint('m-refuse', '还是转账的事'));
    await expect(refused(mergeComplaints(tickets, byPhone.number, fresh.number, 'staff:wang'))).resolves.toMatch(/earlier one/);
    await expect(refused(mergeComplaints(tickets, fresh.number, byPhone.number, 'staff:wang'))).resolves.toBe('merged');
  });

  it('after a crash between the two writes, a retry ends the later one without adding its words twice', async () => {
    const { earlier, later } = await pair('m-retry');
    // The first write happened, then the process died.
    await tickets.addDetails(earlier.number, 'staff:wang', later.details.description, { number: later.number, evidence: later.evidence });
    const { earlier: kept, later: merged } = await mergeComplaints(tickets, later.number, earlier.number, 'staff:wang');
    expect(merged.status).toBe('merged');
    expect(kept.details.description.split(later.number).length - 1).toBe(1);
    expect(kept.evidence).toHaveLength(1);
  });

  it('two merges of one complaint racing: its words are added once, it ends once, the other is refused', async () => {
    const { earlier, later } = await pair('m-race');
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => mergeComplaints(tickets, later.number, earlier.number, 'staff:wang')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(4).fill('STATE_CONFLICT'));
    const kept = await tickets.get(earlier.number);
    expect(kept.details.description.split(later.number).length - 1).toBe(1);
    expect(kept.audit.filter((a) => a.action === 'merged')).toHaveLength(1);
    expect((await tickets.get(later.number)).audit.filter((a) => a.to === 'merged')).toHaveLength(1);
  });
});
