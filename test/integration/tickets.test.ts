/** The ticket service on a real Redis: numbers, state machine, audit, merging, isolation. */
import { loadContent } from '../../bot/content/loader';
import { Keys } from '../../bot/store/keys';
import { localDate } from '../../bot/tickets/calendar';
import { TicketService, type NewComplaint } from '../../bot/tickets/service';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';
import type { RedisBackend } from '../../bot/store/redis-backend';

const policy = loadContent().complaints;
const shanghai = (iso: string) => localDate(new Date(iso), 'Asia/Shanghai');

function complaint(customerId: string, overrides: Partial<NewComplaint['details']> = {}, texts: string[] = []): NewComplaint {
  const at = new Date().toISOString();
  return {
    customer: { channelId: 'directline', id: customerId, anonymous: false, phone: '13812345678', locale: 'zh-CN' },
    conversationRef: { conversation: { id: 'c1' } },
    details: { category: 'business_error', description: '转账没到账', wish: '退款', ...overrides },
    consent: { personalData: { given: true, at, retentionDays: 1825 } },
    lawfulBasis: { description: 'legal_obligation', phone: 'consent' },
    customerTexts: texts,
  };
}

const resolution = {
  findings: 'The transfer was delayed by a clearing fault; funds arrived on 24 Nov.',
  accountability: 'The clearing team reviewed the batch job.',
  correctiveAction: 'Monitoring added to the batch job.',
  customerSatisfied: 'yes' as const,
  handledAt: new Date().toISOString(),
  handler: { name: 'Li Wei', contact: '021-12345678' },
};

describe('ticket service', () => {
  let backend: RedisBackend;
  let keys: Keys;
  let tickets: TicketService;
  beforeAll(() => {
    backend = openTestBackend();
    keys = new Keys(uniquePrefix('tickets'));
    tickets = new TicketService(backend, keys, policy);
  });
  afterAll(async () => {
    await deleteKeys(backend.redis, keys.prefix);
    await backend.close();
  });

  it('gives 100 tickets created at once 100 distinct numbers', async () => {
    const created = await Promise.all(Array.from({ length: 100 }, (_, i) => tickets.create(complaint(`c${i}`))));
    const numbers = created.map((t) => t.number);
    expect(new Set(numbers).size).toBe(100);
    expect(numbers.every((n) => /^TS-\d{8}-\d{4}$/.test(n))).toBe(true);
    expect((await tickets.get(numbers[42]!)).customer.id).toBe(created[42]!.customer.id);
  });

  it('routes by category and raises the level from what the customer said', async () => {
    const media = await tickets.create(complaint('m1', { category: 'service_attitude' }, ['不处理我就找记者曝光']));
    expect(media.level).toBe('urgent');
    expect(media.department).toBe('branch_service');
    const large = await tickets.create(complaint('m2', { category: 'fraud', amount: { value: 80000, currency: 'CNY' } }));
    expect(large.level).toBe('important');
    expect(large.complex).toBe(true);
    expect((await tickets.create(complaint('m3'))).level).toBe('general');
  });

  it('walks the key steps with an audit trail and refuses illegal ones', async () => {
    const t = await tickets.create(complaint('s1'));
    await expect(tickets.transition(t.number, 'resolved', 'staff:1')).rejects.toMatchObject({ code: 'STATE_CONFLICT' });
    for (const to of ['accepted', 'assigned', 'in_progress'] as const) await tickets.transition(t.number, to, 'staff:1');
    await expect(tickets.transition(t.number, 'resolved', 'staff:1', 'done', { ...resolution, correctiveAction: '' })).rejects.toMatchObject({ code: 'TICKET_INVALID' });
    await expect(tickets.transition(t.number, 'resolved', 'staff:1', 'done', { ...resolution, customerSatisfied: 'no' })).rejects.toThrow(/appeal/);
    const resolved = await tickets.transition(t.number, 'resolved', 'staff:1', 'answered by phone', resolution);
    expect(resolved.resolution?.handler.name).toBe('Li Wei');
    const closed = await tickets.transition(t.number, 'closed', 'system');
    expect(closed.audit.map((a) => a.to ?? a.action)).toEqual(['received', 'accepted', 'assigned', 'in_progress', 'resolved', 'closed']);
    expect(closed.audit.every((a) => a.at && a.by)).toBe(true);
    await expect(tickets.transition(t.number, 'withdrawn', 'customer')).rejects.toMatchObject({ code: 'STATE_CONFLICT' });
    expect((await tickets.transition(t.number, 'reopened', 'customer', 'not satisfied')).status).toBe('reopened');
  });

  it('loses no change when two writers update one ticket at once', async () => {
    const t = await tickets.create(complaint('w1'));
    await Promise.all(Array.from({ length: 10 }, (_, i) => tickets.addNote(t.number, `staff:${i}`, `note ${i}`)));
    const after = await tickets.get(t.number);
    expect(after.audit.filter((a) => a.action === 'note')).toHaveLength(10);
  });

  it('merges new facts into an open ticket of the same matter', async () => {
    const t = await tickets.create(complaint('d1', { category: 'fees' }));
    expect((await tickets.findOpenSameMatter('directline', 'd1', 'fees'))?.number).toBe(t.number);
    expect(await tickets.findOpenSameMatter('directline', 'd1', 'fraud')).toBeUndefined();
    const merged = await tickets.addDetails(t.number, 'customer', '又扣了一次年费');
    expect(merged.details.description).toMatch(/又扣了一次年费/);
    expect(merged.mergedMessages).toBe(1);
  });

  it('restarts both clocks from the day the new facts arrive', async () => {
    let clock = new Date('2026-11-23T10:00:00+08:00'); // a Monday
    const timed = new TicketService(backend, keys, policy, () => clock);
    const t = await timed.create(complaint('d2', { category: 'fees' }));
    expect([shanghai(t.clocks.regulatoryDue), shanghai(t.clocks.internalDue)]).toEqual(['2026-12-08', '2026-11-26']);
    clock = new Date('2026-11-26T15:00:00+08:00'); // three days later, a Thursday
    const merged = await timed.addDetails(t.number, 'customer', '又扣了一次年费');
    expect(merged.clocks.regulatoryStart).toBe(clock.toISOString());
    expect(shanghai(merged.clocks.regulatoryDue)).toBe('2026-12-11'); // 15 calendar days from the 26th
    expect(shanghai(merged.clocks.internalDue)).toBe('2026-12-01'); // 3 working days: 27 Nov, 30 Nov, 1 Dec
    expect(merged.audit.at(-1)).toMatchObject({ action: 'merged', by: 'customer' });
  });

  it('lists a customer\'s tickets newest first', async () => {
    const first = await tickets.create(complaint('lister'));
    const second = await tickets.create(complaint('lister'));
    expect((await tickets.listByCustomer('directline', 'lister')).map((t) => t.number)).toEqual([second.number, first.number]);
  });

  it('looks back exactly the policy\'s days for the same matter', async () => {
    let clock = new Date('2026-11-23T10:00:00+08:00');
    const timed = new TicketService(backend, keys, policy, () => clock);
    const t = await timed.create(complaint('lookback', { category: 'fees' }));
    clock = new Date(Date.parse('2026-11-23T10:00:00+08:00') + 7 * 86_400_000); // exactly 7 days: still the same matter
    expect((await timed.findOpenSameMatter('directline', 'lookback', 'fees'))?.number).toBe(t.number);
    clock = new Date(clock.getTime() + 1);
    expect(await timed.findOpenSameMatter('directline', 'lookback', 'fees')).toBeUndefined();
  });

  it('takes new details only while the ticket is open', async () => {
    const t = await tickets.create(complaint('closed1'));
    await tickets.transition(t.number, 'withdrawn', 'customer');
    await expect(tickets.addDetails(t.number, 'customer', 'more')).rejects.toMatchObject({ code: 'STATE_CONFLICT' });
    expect(await tickets.findOpenSameMatter('directline', 'closed1', 'business_error')).toBeUndefined();
  });

  it('tells the customer of staff moves only, and changes clocks only for an appeal', async () => {
    let clock = new Date('2026-11-23T10:00:00+08:00');
    const timed = new TicketService(backend, keys, policy, () => clock);
    const told: string[] = [];
    timed.onChange = async (ticket, change) => told.push(`${ticket.status}:${change.kind}`);
    const t = await timed.create(complaint('told'));
    expect(t.audit[0]).toMatchObject({ action: 'created', note: 'level general, department operations' });
    for (const to of ['accepted', 'assigned', 'in_progress'] as const) await timed.transition(t.number, to, 'staff:1');
    const answered = await timed.transition(t.number, 'resolved', 'staff:1', 'done', resolution);
    expect(answered.clocks).toEqual(t.clocks);
    expect(timed.answeredAt(answered)?.toISOString()).toBe(clock.toISOString());
    clock = new Date('2026-11-25T10:00:00+08:00');
    const appealed = await timed.transition(t.number, 'reopened', 'customer', 'appeal');
    expect(appealed.clocks.regulatoryLimitDays).toBe(policy.timeLimits.appealAnswerCalendarDays);
    await timed.transition(t.number, 'in_progress', 'staff:2');
    clock = new Date('2026-11-27T10:00:00+08:00');
    const again = await timed.transition(t.number, 'resolved', 'staff:2', 'done again', resolution);
    expect(timed.answeredAt(again)?.toISOString()).toBe(clock.toISOString()); // the last answer opens the window
    const withdrawn = await timed.create(complaint('told'));
    await timed.transition(withdrawn.number, 'withdrawn', 'customer');
    expect(told).toEqual(['accepted:status', 'assigned:status', 'in_progress:status', 'resolved:status', 'reopened:status', 'in_progress:status', 'resolved:status']);
  });

  it("shows a customer only their own tickets; another's number looks unknown", async () => {
    const mine = await tickets.create(complaint('owner'));
    expect(await tickets.findForCustomer('directline', 'owner', mine.number)).toBeDefined();
    expect(await tickets.findForCustomer('directline', 'stranger', mine.number)).toBeUndefined();
    expect(await tickets.findForCustomer('directline', 'stranger', 'TS-20000101-9999')).toBeUndefined();
    expect((await tickets.listByCustomer('directline', 'owner')).map((t) => t.number)).toEqual([mine.number]);
    await expect(tickets.get('TS-20000101-9999')).rejects.toMatchObject({ code: 'TICKET_NOT_FOUND' });
  });
});
