/**
 * TicketService rules on a real Redis that the broader ticket tests leave
 * open: an unknown category's routing, the amount that raises the level only
 * in yuan, the creation note, evidence and call-back requests, the merged
 * description's form and cap, extensions, pauses and their notices, what the
 * customer is (not) told, an appeal's clock to the second, and the look-ups
 * that must treat another customer's ticket like an unknown one.
 */
import { loadContent } from '../../bot/content/loader';
import { Keys } from '../../bot/store/keys';
import type { RedisBackend } from '../../bot/store/redis-backend';
import { localDate } from '../../bot/tickets/calendar';
import { TicketService, type NewComplaint, type TicketChange } from '../../bot/tickets/service';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';

const policy = loadContent().complaints;
const shanghai = (iso: string) => localDate(new Date(iso), 'Asia/Shanghai');

function complaint(customerId: string, details: Partial<NewComplaint['details']> = {}, more: Partial<NewComplaint> = {}): NewComplaint {
  return {
    customer: { channelId: 'directline', id: customerId, anonymous: false, phone: '13812345678', locale: 'zh-CN' },
    conversationRef: { conversation: { id: 'c1' } },
    details: { category: 'business_error', description: '转账没到账', wish: '退款', ...details },
    consent: { personalData: { given: true, at: '2026-11-23T02:00:00.000Z', retentionDays: 1825 } },
    lawfulBasis: { description: 'legal_obligation' },
    customerTexts: [],
    ...more,
  };
}

const resolution = {
  findings: 'Delayed by a clearing fault.',
  accountability: 'The clearing team reviewed the batch job.',
  correctiveAction: 'Monitoring added.',
  customerSatisfied: 'yes' as const,
  handledAt: '2026-11-24T02:00:00.000Z',
  handler: { name: 'Li Wei', contact: '021-12345678' },
};

describe('ticket service rules', () => {
  let backend: RedisBackend;
  let keys: Keys;
  let clock: Date;
  let tickets: TicketService;
  let told: Array<[string, TicketChange]>;

  beforeAll(() => {
    backend = openTestBackend();
    keys = new Keys(uniquePrefix('ticket-service-rules'));
  });
  beforeEach(() => {
    clock = new Date('2026-11-23T10:00:00+08:00'); // a Monday
    tickets = new TicketService(backend, keys, policy, () => clock);
    told = [];
    tickets.onChange = async (t, change) => told.push([t.status, change]);
  });
  afterAll(async () => {
    await deleteKeys(backend.redis, keys.prefix);
    await backend.close();
  });

  it('routes an unknown category as "other", and notes the level and department, with the intake note after them', async () => {
    const t = await tickets.create(complaint('r1', { category: 'no_such_category' }, { note: 'asked 3 questions' }));
    expect(t).toMatchObject({ status: 'received', department: 'customer_service', complex: false, details: { category: 'other' }, evidence: [], mergedMessages: 0, handlers: [] });
    expect(t.createdAt).toBe(clock.toISOString());
    expect(t.updatedAt).toBe(clock.toISOString());
    expect(t.audit).toEqual([{ at: clock.toISOString(), by: 'customer', action: 'created', to: 'received', note: 'level general, department customer_service; asked 3 questions' }]);
    const complex = await tickets.create(complaint('r1', { category: 'fraud' }));
    expect([complex.department, complex.complex, complex.level]).toEqual(['risk_control', true, 'general']); // the category alone raises nothing
    expect(complex.audit[0]!.note).toBe('level general, department risk_control');
    // Stored as returned, and listed for its customer.
    expect(await tickets.get(t.number)).toEqual(t);
    expect((await tickets.listByCustomer('directline', 'r1')).map((x) => x.number)).toEqual([complex.number, t.number]);
  });

  it('raises the level for a large amount in yuan only, and for a repeat or the customer\'s words', async () => {
    const yuan = await tickets.create(complaint('r2', { amount: { value: 80_000, currency: 'CNY' } }));
    const dollars = await tickets.create(complaint('r2', { amount: { value: 80_000, currency: 'USD' } }));
    const repeat = await tickets.create(complaint('r2', {}, { repeat: true }));
    const words = await tickets.create(complaint('r2', {}, { customerTexts: ['我已经向银保监会投诉了'] }));
    expect([yuan.level, dollars.level, repeat.level]).toEqual(['important', 'general', 'important']);
    expect(words.level).toBe('important');
    expect(shanghai(yuan.clocks.internalDue)).toBe('2026-11-26');
  });

  it('keeps the evidence given at creation and adds more with the time and a record', async () => {
    const t = await tickets.create(complaint('r3', {}, { evidence: [{ kind: 'photo', name: 'receipt.jpg', addedAt: clock.toISOString() }] }));
    clock = new Date('2026-11-24T09:00:00+08:00');
    const more = await tickets.addEvidence(t.number, 'customer', { kind: 'statement', url: 'https://bank.example/s.pdf' });
    expect(more.evidence).toEqual([
      { kind: 'photo', name: 'receipt.jpg', addedAt: '2026-11-23T02:00:00.000Z' },
      { kind: 'statement', url: 'https://bank.example/s.pdf', addedAt: clock.toISOString() },
    ]);
    expect(more.audit.at(-1)).toEqual({ at: clock.toISOString(), by: 'customer', action: 'evidence', changes: { kind: 'statement' } });
    expect(more.updatedAt).toBe(clock.toISOString());
  });

  it('records a call-back request with the customer\'s phone unless another is given', async () => {
    const t = await tickets.create(complaint('r4'));
    const by = new Date('2026-11-23T12:00:00+08:00');
    const own = await tickets.requestCallback(t.number, 'customer', by);
    expect(own.callback).toEqual({ requestedAt: clock.toISOString(), expectedBy: by.toISOString(), phone: '13812345678' });
    expect(own.audit.at(-1)).toMatchObject({ by: 'customer', action: 'callback_requested' });
    expect((await tickets.requestCallback(t.number, 'customer', by, '13900001111')).callback?.phone).toBe('13900001111');
  });

  it('adds a note to the record without changing anything else', async () => {
    const t = await tickets.create(complaint('r5'));
    const noted = await tickets.addNote(t.number, 'staff:li', '客户来电补充说明');
    expect(noted.audit.at(-1)).toEqual({ at: clock.toISOString(), by: 'staff:li', action: 'note', note: '客户来电补充说明' });
    expect({ ...noted, audit: [], updatedAt: '' }).toEqual({ ...t, audit: [], updatedAt: '' });
    expect(told).toEqual([]);
  });

  it('appends new facts under the local date they arrived, caps the description, and records the restart', async () => {
    const t = await tickets.create(complaint('r6', { description: '第一次扣费' }));
    clock = new Date('2026-11-25T23:30:00Z'); // already 26 Nov in Shanghai
    const merged = await tickets.addDetails(t.number, 'customer', '又扣了一次');
    expect(merged.details.description).toBe('第一次扣费\n[2026-11-26] 又扣了一次');
    expect(merged.audit.at(-1)).toEqual({ at: clock.toISOString(), by: 'customer', action: 'merged', note: 'new facts added; regulatory clock restarted' });
    const again = await tickets.addDetails(t.number, 'customer', 'x'.repeat(6000));
    expect(again.details.description).toHaveLength(5000);
    expect(again.details.description.startsWith('第一次扣费\n[2026-11-26] 又扣了一次\n[2026-11-26] xxx')).toBe(true);
    expect(again.mergedMessages).toBe(2);
  });

  it('takes new facts into a reopened complaint, and refuses them once it is answered', async () => {
    const t = await tickets.create(complaint('r7'));
    for (const to of ['accepted', 'assigned', 'in_progress'] as const) await tickets.transition(t.number, to, 'staff:1');
    await tickets.transition(t.number, 'resolved', 'staff:1', 'done', resolution);
    await expect(tickets.addDetails(t.number, 'customer', 'more')).rejects.toMatchObject({ code: 'STATE_CONFLICT', httpStatus: 409 });
    await tickets.transition(t.number, 'reopened', 'customer', 'appeal');
    expect((await tickets.addDetails(t.number, 'customer', 'more')).mergedMessages).toBe(1);
  });

  it('extends, pauses and resumes the regulatory clock on record, and tells the customer each time', async () => {
    const t = await tickets.create(complaint('r8', { category: 'fraud' }));
    const extended = await tickets.extend(t.number, 'manager:li', '需要调取银联交易记录');
    expect(shanghai(extended.clocks.regulatoryDue)).toBe('2026-12-23');
    expect(extended.audit.at(-1)).toEqual({ at: clock.toISOString(), by: 'manager:li', action: 'extended', note: '需要调取银联交易记录' });
    clock = new Date('2026-11-25T10:00:00+08:00');
    const paused = await tickets.pause(t.number, 'staff:zhang', '笔迹鉴定');
    expect(paused.clocks.pausedSince).toBe(clock.toISOString());
    expect(paused.audit.at(-1)).toEqual({ at: clock.toISOString(), by: 'staff:zhang', action: 'paused', note: '笔迹鉴定' });
    clock = new Date('2026-11-30T10:00:00+08:00');
    const resumed = await tickets.resume(t.number, 'staff:zhang');
    expect(resumed.clocks.pausedDays).toBe(5);
    expect(shanghai(resumed.clocks.regulatoryDue)).toBe('2026-12-28');
    expect(resumed.audit.at(-1)).toEqual({ at: clock.toISOString(), by: 'staff:zhang', action: 'resumed' });
    expect(told).toEqual([
      ['received', { kind: 'extended', reason: '需要调取银联交易记录' }],
      ['received', { kind: 'paused', reason: '笔迹鉴定' }],
      ['received', { kind: 'resumed' }],
    ]);
  });

  it('tells the customer of every staff move and the appeal, not of a withdrawal, and a failing listener changes nothing', async () => {
    const t = await tickets.create(complaint('r9'));
    for (const to of ['accepted', 'assigned', 'in_progress'] as const) await tickets.transition(t.number, to, 'staff:1');
    await tickets.transition(t.number, 'resolved', 'staff:1', 'done', resolution);
    await tickets.transition(t.number, 'closed', 'system');
    await tickets.transition(t.number, 'reopened', 'customer', 'appeal');
    await tickets.transition(t.number, 'withdrawn', 'customer');
    expect(told.map(([status, change]) => `${status}:${change.kind}`)).toEqual(['accepted:status', 'assigned:status', 'in_progress:status', 'resolved:status', 'closed:status', 'reopened:status']);
    tickets.onChange = async () => Promise.reject(new Error('outbox down'));
    const u = await tickets.create(complaint('r9'));
    await expect(tickets.transition(u.number, 'accepted', 'staff:1')).resolves.toMatchObject({ status: 'accepted' });
    await expect(tickets.extend(u.number, 'manager:li', 'records')).resolves.toMatchObject({ status: 'accepted' });
  });

  it('gives an appeal its own clock: 10 calendar days from the day of the appeal, to the end of that day, unpaused', async () => {
    const t = await tickets.create(complaint('r10'));
    for (const to of ['accepted', 'assigned', 'in_progress'] as const) await tickets.transition(t.number, to, 'staff:1');
    await tickets.pause(t.number, 'staff:1', 'appraisal');
    await tickets.resume(t.number, 'staff:1');
    await tickets.pause(t.number, 'staff:1', 'second appraisal');
    clock = new Date('2026-11-24T10:00:00+08:00');
    await tickets.transition(t.number, 'resolved', 'staff:1', 'done', resolution);
    expect(tickets.answeredAt(await tickets.get(t.number))?.toISOString()).toBe(clock.toISOString());
    clock = new Date('2026-11-25T16:00:00+08:00');
    const appeal = await tickets.transition(t.number, 'reopened', 'customer', 'appeal');
    expect(appeal.clocks).toMatchObject({
      regulatoryStart: clock.toISOString(),
      regulatoryLimitDays: 10,
      pausedDays: 0,
      regulatoryDue: '2026-12-05T15:59:59.000Z', // 5 Dec 23:59:59 in Shanghai
      internalDue: '2026-12-05T15:59:59.000Z',
    });
    expect(appeal.clocks.pausedSince).toBeUndefined();
    expect(appeal.clocks.pauses).toHaveLength(2); // the history stays
    expect(appeal.clocks.internalWorkingDays).toBe(t.clocks.internalWorkingDays);
  });

  it('has no answer date for a ticket never resolved', async () => {
    const t = await tickets.create(complaint('r11'));
    expect(tickets.answeredAt(t)).toBeUndefined();
  });

  it('finds a ticket for its own customer only, by a well-formed number', async () => {
    const t = await tickets.create(complaint('r12'));
    expect((await tickets.findForCustomer('directline', 'r12', t.number))?.number).toBe(t.number);
    expect(await tickets.findForCustomer('wechat-oa', 'r12', t.number)).toBeUndefined(); // same id, other channel
    expect(await tickets.findForCustomer('directline', 'r12', t.number.toLowerCase())).toBeUndefined();
    expect(await tickets.findForCustomer('directline', 'r12', ` ${t.number}`)).toBeUndefined();
    expect(await tickets.findForCustomer('directline', 'r12', `${t.number}x`)).toBeUndefined();
    expect(await tickets.findForCustomer('directline', 'r12', 'TS-2026112-0001')).toBeUndefined();
    expect(await tickets.findForCustomer('directline', 'r12', 'TS-20261123-001')).toBeUndefined();
  });

  it('lists only tickets that still exist', async () => {
    const gone = await tickets.create(complaint('r13'));
    const kept = await tickets.create(complaint('r13'));
    await backend.del(keys.ticket(gone.number));
    expect((await tickets.listByCustomer('directline', 'r13')).map((t) => t.number)).toEqual([kept.number]);
  });

  it('looks for the same matter among open tickets only', async () => {
    const t = await tickets.create(complaint('r14', { category: 'fees' }));
    expect((await tickets.findOpenSameMatter('directline', 'r14', 'fees'))?.number).toBe(t.number);
    for (const to of ['accepted', 'assigned', 'in_progress'] as const) await tickets.transition(t.number, to, 'staff:1');
    expect((await tickets.findOpenSameMatter('directline', 'r14', 'fees'))?.number).toBe(t.number);
    await tickets.transition(t.number, 'resolved', 'staff:1', 'done', resolution);
    expect(await tickets.findOpenSameMatter('directline', 'r14', 'fees')).toBeUndefined();
    await tickets.transition(t.number, 'reopened', 'customer', 'appeal');
    expect((await tickets.findOpenSameMatter('directline', 'r14', 'fees'))?.number).toBe(t.number);
  });

  it('answers "not found" for changes to a ticket that does not exist', async () => {
    await expect(tickets.addNote('TS-20000101-0001', 'staff:1', 'x')).rejects.toMatchObject({ code: 'TICKET_NOT_FOUND', httpStatus: 404, i18nKey: 'progress.notFound' });
    await expect(tickets.get('TS-20000101-0001')).rejects.toMatchObject({ code: 'TICKET_NOT_FOUND', httpStatus: 404, i18nKey: 'progress.notFound' });
  });

  it('names the missing elements of an answer', async () => {
    const t = await tickets.create(complaint('r15'));
    for (const to of ['accepted', 'assigned', 'in_progress'] as const) await tickets.transition(t.number, to, 'staff:1');
    await expect(tickets.transition(t.number, 'resolved', 'staff:1', 'done')).rejects.toMatchObject({ code: 'TICKET_INVALID', httpStatus: 400 });
    const { findings: _f, accountability: _a, ...partial } = resolution;
    await expect(tickets.transition(t.number, 'resolved', 'staff:1', 'done', partial as never)).rejects.toMatchObject({
      message: 'Resolving needs the six elements of an answer: findings, accountability',
    });
    expect((await tickets.get(t.number)).status).toBe('in_progress');
  });
});
