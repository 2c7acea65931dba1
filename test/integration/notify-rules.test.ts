/**
 * The rules of customer notices on a real Redis, through the outbox's and the
 * ticket notices' own API: quiet hours to the minute (across midnight and not),
 * the retry schedule (each wait of the policy, the last one repeating), the
 * last attempt and the dead letter, the error code kept, the one-instance lock,
 * the batch size, and the wording, language and template of a ticket notice.
 * The channel is a recording stand-in for a platform (the outbox's contract is
 * the ProactiveChannel interface); the clock is moved by the test.
 */
import { Writable } from 'node:stream';
import type { ChannelNotification, ProactiveChannel, Recipient } from '../../bot/channels';
import { createI18n, I18nTranslator } from '../../bot/content/i18n';
import { loadContent } from '../../bot/content/loader';
import { AppError } from '../../bot/errors';
import { createLogger } from '../../bot/log';
import { Outbox } from '../../bot/notify/outbox';
import { TicketNotices } from '../../bot/notify/ticket-notices';
import { answerText } from '../../bot/notify/answer-text';
import type { Resolution, Ticket } from '../../bot/tickets/model';
import { Keys } from '../../bot/store/keys';
import type { RedisBackend } from '../../bot/store/redis-backend';
import type { NoticesPolicy } from '../../bot/tickets/policy';
import { TicketService, type NewComplaint } from '../../bot/tickets/service';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';

const MINUTE = 60_000;
const DAY = 86_400_000;
const content = loadContent();

const policy: NoticesPolicy = {
  timezone: 'Asia/Shanghai',
  quietHours: { start: '22:00', end: '08:00' },
  retryMinutes: [5, 15],
  maxAttempts: 4,
  tick: '* * * * *',
  schedule: content.complaints.notices.schedule,
};

/** A channel that records what it was asked to deliver and fails when told to. */
class RecordingChannel implements ProactiveChannel {
  readonly channelId = 'test-channel';
  sent: Array<{ to: Recipient; what: ChannelNotification }> = [];
  failWith: Error | undefined;
  during: (() => Promise<void>) | undefined;
  /** How the platform took it: a message in the conversation, or a template outside WeChat's window. */
  as: 'message' | 'template' = 'message';
  async notify(to: Recipient, what: ChannelNotification) {
    await this.during?.();
    if (this.failWith) throw this.failWith;
    this.sent.push({ to, what });
    return this.as;
  }
}

describe('outbox rules', () => {
  let backend: RedisBackend;
  let keys: Keys;
  let channel: RecordingChannel;
  let outbox: Outbox;
  let at: number;
  let logs: string[];
  const notice = (text: string, channelId = 'test-channel') => ({ number: 'TS-20261123-0001', change: 'status', text, channelId, customerId: 'cust-1', conversationId: 'conv-1' });
  const make = (p: NoticesPolicy = policy) => new Outbox(backend, keys, new Map([[channel.channelId, channel]]), p, createLogger({ level: 'info', hashKey: 'k', destination: new Writable({ write: (c, _e, done) => (logs.push(String(c)), done()) }) }), () => new Date(at));

  beforeAll(() => {
    backend = openTestBackend();
  });
  beforeEach(() => {
    keys = new Keys(uniquePrefix('notify-rules'));
    channel = new RecordingChannel();
    at = Date.parse('2026-11-23T10:00:00+08:00');
    logs = [];
    outbox = make();
  });
  afterEach(() => deleteKeys(backend.redis, keys.prefix));
  afterAll(() => backend.close());

  it('keeps a new notice due at once, with no attempts yet, for 30 days', async () => {
    const id = await outbox.enqueue(notice('已受理'));
    const [pending] = await outbox.pending();
    expect(pending).toEqual({ ...notice('已受理'), id, attempts: 0, createdAt: new Date(at).toISOString(), seq: expect.any(Number) });
    expect(await backend.redis.zscore(keys.outboxSchedule(), id)).toBe(String(at));
    const ttl = await backend.redis.pttl(keys.outboxItem(id));
    expect(ttl).toBeGreaterThan(30 * DAY - MINUTE);
    expect(ttl).toBeLessThanOrEqual(30 * DAY);
  });

  it.each([
    ['21:59', false],
    ['22:00', true],
    ['23:59', true],
    ['00:00', true],
    ['07:59', true],
    ['08:00', false],
    ['12:00', false],
  ])('quiet hours across midnight (22:00–08:00): %s is quiet: %s', (hhmm, quiet) => {
    expect(outbox.isQuiet(new Date(`2026-11-23T${hhmm}:00+08:00`))).toBe(quiet);
    at = Date.parse(`2026-11-23T${hhmm}:30+08:00`);
    expect(outbox.isQuiet()).toBe(quiet); // on the outbox's clock by default
  });

  it('quiet hours within one day (12:00–14:00), and none when start equals end', () => {
    const noon = make({ ...policy, quietHours: { start: '12:00', end: '14:00' } });
    const at = (hhmm: string) => new Date(`2026-11-23T${hhmm}:00+08:00`);
    expect(['11:59', '12:00', '13:59', '14:00', '23:00', '03:00'].map((t) => noon.isQuiet(at(t)))).toEqual([false, true, true, false, false, false]);
    const never = make({ ...policy, quietHours: { start: '09:00', end: '09:00' } });
    expect(['08:59', '09:00', '09:01', '23:00'].map((t) => never.isQuiet(at(t)))).toEqual([false, false, false, false]);
  });

  it('sends nothing and takes no lock in quiet hours', async () => {
    await outbox.enqueue(notice('夜里'));
    at = Date.parse('2026-11-23T23:00:00+08:00');
    expect(await outbox.tick()).toEqual({ ran: false, delivered: 0, retried: 0, dead: 0, held: 0 });
    expect(channel.sent).toEqual([]);
    expect(await backend.get(keys.outboxTickLock())).toBeNull();
  });

  it('delivers a due notice to its recipient with its template, then forgets it', async () => {
    const template = { name: 'ticketStatus', values: { ticketNumber: 'TS-20261123-0001' } };
    const id = await outbox.enqueue({ ...notice('已受理'), template });
    expect(await outbox.tick()).toEqual({ ran: true, delivered: 1, retried: 0, dead: 0, held: 0 });
    expect(channel.sent).toEqual([{ to: { customerId: 'cust-1', conversationId: 'conv-1' }, what: { text: '已受理', template } }]);
    expect(await backend.get(keys.outboxItem(id))).toBeNull();
    expect(await outbox.pending()).toEqual([]);
    expect(await outbox.tick()).toEqual({ ran: true, delivered: 0, retried: 0, dead: 0, held: 0 });
    expect(channel.sent).toHaveLength(1);
  });

  it('holds a notice the closed window refuses, for the customer\'s next message, instead of retrying it', async () => {
    channel.failWith = new AppError('CHANNEL_WINDOW_CLOSED', 'closed', 409);
    const id = await outbox.enqueue(notice('窗口已关'));
    expect(await outbox.tick()).toEqual({ ran: true, delivered: 0, retried: 0, dead: 0, held: 1 });
    expect(await outbox.pending()).toEqual([]);
    expect(await outbox.dead()).toEqual([]);
    expect(await backend.get(keys.outboxItem(id))).toBeNull();
    expect((await outbox.held.peek('test-channel', 'cust-1')).map((n) => [n.id, n.text])).toEqual([[id, '窗口已关']]);
    await outbox.held.taken('test-channel', 'cust-1', 1);
    expect(await outbox.held.peek('test-channel', 'cust-1')).toEqual([]);
  });

  it('retries after each wait of the policy, repeats the last one, and keeps the notice for staff after the last attempt', async () => {
    channel.failWith = new AppError('CHANNEL_RATE_LIMITED', 'slow down', 429);
    const id = await outbox.enqueue(notice('稍后再试'));
    const start = at;
    const waits = [5, 15, 15]; // after attempts 1, 2, 3; the fourth is the last
    expect(await outbox.tick()).toMatchObject({ ran: true, retried: 1, dead: 0 });
    let due = start;
    for (const [i, wait] of waits.entries()) {
      due += wait * MINUTE;
      expect(await backend.redis.zscore(keys.outboxSchedule(), id)).toBe(String(due));
      at = due - 1;
      expect(await outbox.tick()).toEqual({ ran: true, delivered: 0, retried: 0, dead: 0, held: 0 });
      at = due;
      const last = i === waits.length - 1;
      expect(await outbox.tick()).toEqual({ ran: true, delivered: 0, retried: last ? 0 : 1, dead: last ? 1 : 0, held: 0 });
    }
    const [dead] = await outbox.dead();
    expect(dead).toMatchObject({ id, attempts: 4, lastError: 'CHANNEL_RATE_LIMITED', text: '稍后再试' });
    expect(await outbox.pending()).toEqual([]);
    expect(await backend.get(keys.outboxItem(id))).toBeNull();
    expect(await backend.redis.zscore(keys.outboxSchedule(), id)).toBeNull();
    const lines = logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.msg === 'notice will be retried').map((l) => [l.level, l.code, l.number, l.attempts])).toEqual([
      [30, 'CHANNEL_RATE_LIMITED', 'TS-20261123-0001', 1],
      [30, 'CHANNEL_RATE_LIMITED', 'TS-20261123-0001', 2],
      [30, 'CHANNEL_RATE_LIMITED', 'TS-20261123-0001', 3],
    ]);
    expect(lines.filter((l) => l.msg === 'notice given up after the last attempt').map((l) => [l.level, l.code, l.number])).toEqual([[40, 'CHANNEL_RATE_LIMITED', 'TS-20261123-0001']]);
  });

  it('keeps the retried notice for 30 days with its attempts and error', async () => {
    channel.failWith = new AppError('CHANNEL_QUOTA_EXCEEDED', 'used up', 429);
    const id = await outbox.enqueue(notice('配额'));
    await outbox.tick();
    expect(JSON.parse((await backend.get(keys.outboxItem(id)))!)).toMatchObject({ attempts: 1, lastError: 'CHANNEL_QUOTA_EXCEEDED' });
    expect(await backend.redis.pttl(keys.outboxItem(id))).toBeGreaterThan(30 * DAY - MINUTE);
  });

  it('records INTERNAL for an unexpected error, and a channel error for a channel it does not have', async () => {
    channel.failWith = new Error('socket hang up');
    await outbox.enqueue(notice('意外'));
    await outbox.enqueue(notice('没有渠道', 'no-such-channel'));
    expect(await outbox.tick()).toMatchObject({ retried: 2 });
    expect((await outbox.pending()).map((n) => [n.text, n.lastError]).sort()).toEqual([
      ['意外', 'INTERNAL'],
      ['没有渠道', 'CHANNEL_API_ERROR'],
    ].sort());
  });

  it('lets one instance tick at a time: a held lock means no run, and the lock is released after a run', async () => {
    await outbox.enqueue(notice('一次'));
    await backend.set(keys.outboxTickLock(), 'another-instance', { ttlMs: 55_000 });
    expect(await outbox.tick()).toEqual({ ran: false, delivered: 0, retried: 0, dead: 0, held: 0 });
    expect(channel.sent).toEqual([]);
    expect(await backend.get(keys.outboxTickLock())).toBe('another-instance'); // not ours to release
    await backend.del(keys.outboxTickLock());
    let lockTtl = -1;
    channel.during = async () => {
      lockTtl = await backend.redis.pttl(keys.outboxTickLock());
    };
    expect(await outbox.tick()).toMatchObject({ ran: true, delivered: 1 });
    expect(lockTtl).toBeGreaterThan(50_000);
    expect(lockTtl).toBeLessThanOrEqual(55_000);
    expect(await backend.get(keys.outboxTickLock())).toBeNull();
  });

  it('releases the lock when a tick fails', async () => {
    await outbox.enqueue(notice('坏数据'));
    const [id] = await backend.due(keys.outboxSchedule(), at, 1);
    await backend.set(keys.outboxItem(id!), '{not json');
    await expect(outbox.tick()).rejects.toThrow();
    expect(await backend.get(keys.outboxTickLock())).toBeNull();
  });

  it('skips a notice whose record is gone, and one another instance took off the schedule', async () => {
    const gone = await outbox.enqueue(notice('过期'));
    await backend.del(keys.outboxItem(gone));
    expect(await outbox.tick()).toEqual({ ran: true, delivered: 0, retried: 0, dead: 0, held: 0 });
    expect(await backend.redis.zscore(keys.outboxSchedule(), gone)).toBeNull();
    expect(channel.sent).toEqual([]);
    // Two due notices; while the first is delivered, another instance (whose lock had lapsed) takes the second.
    await outbox.enqueue(notice('第一'));
    at += 1;
    const second = await outbox.enqueue(notice('第二'));
    channel.during = async () => {
      channel.during = undefined;
      await backend.unschedule(keys.outboxSchedule(), second);
    };
    expect(await outbox.tick()).toEqual({ ran: true, delivered: 1, retried: 0, dead: 0, held: 0 });
    expect(channel.sent.map((s) => s.what.text)).toEqual(['第一']);
  });

  it('works through at most 100 notices per tick, earliest first', async () => {
    for (let i = 0; i < 101; i++) {
      at += 1;
      await outbox.enqueue(notice(`n${i}`));
    }
    expect(await outbox.tick()).toMatchObject({ delivered: 100 });
    expect(channel.sent.map((s) => s.what.text)).toEqual(Array.from({ length: 100 }, (_, i) => `n${i}`));
    expect(await outbox.tick()).toMatchObject({ delivered: 1 });
    expect(channel.sent.at(-1)!.what.text).toBe('n100');
  });

  it('does not deliver a notice scheduled for later', async () => {
    const id = await outbox.enqueue(notice('以后'));
    await backend.schedule(keys.outboxSchedule(), id, at + MINUTE);
    expect(await outbox.tick()).toMatchObject({ ran: true, delivered: 0 });
    at += MINUTE;
    expect(await outbox.tick()).toMatchObject({ delivered: 1 });
  });
});

describe('ticket notices', () => {
  let backend: RedisBackend;
  let keys: Keys;
  let channel: RecordingChannel;
  let notices: TicketNotices;
  let tickets: TicketService;
  let outbox: Outbox;
  const at = new Date('2026-11-23T10:00:00+08:00'); // a Monday: promised 26 Nov (3 working days)
  const translator = new I18nTranslator(createI18n(content));

  const complaint = (locale: string, conversationRef: Record<string, unknown> = { conversation: { id: 'conv-9' } }): NewComplaint => ({
    customer: { channelId: 'test-channel', id: 'cust-9', anonymous: false, locale },
    conversationRef,
    details: { category: 'fees', description: '年费被重复扣了两次', wish: '退还' },
    consent: { personalData: { given: true, at: at.toISOString(), retentionDays: 1825 } },
    lawfulBasis: { description: 'legal_obligation' },
    customerTexts: [],
  });

  beforeAll(() => {
    backend = openTestBackend();
    keys = new Keys(uniquePrefix('ticket-notices'));
    channel = new RecordingChannel();
    outbox = new Outbox(backend, keys, new Map([[channel.channelId, channel]]), policy, createLogger({ level: 'silent' }), () => at);
    notices = new TicketNotices(outbox, translator, 'Asia/Shanghai');
    tickets = new TicketService(backend, keys, content.complaints, () => at);
  });
  beforeEach(() => {
    channel.sent = [];
    channel.as = 'message';
  });
  afterAll(async () => {
    await deleteKeys(backend.redis, keys.prefix);
    await backend.close();
  });

  it('tells a status in the customer\'s language, with the status in words, and fills the template', async () => {
    const ticket = await tickets.create(complaint('en'));
    await notices.tell(ticket, { kind: 'status' });
    const text = `About your complaint ${ticket.number}: its status is now "Received".`;
    expect(channel.sent).toEqual([
      {
        to: { customerId: 'cust-9', conversationId: 'conv-9' },
        what: { text, template: { name: 'ticketStatus', values: { ticketNumber: ticket.number, status: 'Received', summary: text, dueDate: expect.stringMatching(/26/), remark: '' } } },
      },
    ]);
  });

  it('adds a status note, and words extensions and pauses with their reason and the promised date', async () => {
    const ticket = await tickets.create(complaint('zh-CN'));
    await notices.tell(ticket, { kind: 'status', note: '已转交卡部' });
    // Told with the record as the change left it (TicketService does so).
    const extended = await tickets.extend(ticket.number, 'staff:lead', '需要调取银联交易记录');
    await notices.tell(extended, { kind: 'extended', reason: '需要调取银联交易记录' });
    await notices.tell(await tickets.pause(ticket.number, 'staff:lead', '第三方鉴定'), { kind: 'paused', reason: '第三方鉴定' });
    await notices.tell(await tickets.resume(ticket.number, 'staff:lead'), { kind: 'resumed' });
    expect(channel.sent.map((s) => s.what.text)).toEqual([
      `关于您的投诉 ${ticket.number}：目前状态为“${translator.t('zh-CN', 'intake:status.received')}”。已转交卡部`,
      // The new date: the extended regulatory limit (30 days from 23 Nov), not the internal target the extension outlasts.
      expect.stringMatching(new RegExp(`^关于您的投诉 ${ticket.number}：由于需要调取银联交易记录，处理时限延长至 .*12月23日`)),
      expect.stringContaining('需要第三方鉴定，这段时间不计入处理时限'),
      expect.stringMatching(/外部核查已完成，我们会在 .*12月23日/),
    ]);
  });

  it('falls back to simplified Chinese for a locale it does not support, and has no conversation id when the reference has none', async () => {
    const ticket = await tickets.create(complaint('fr-FR', {}));
    await notices.tell(ticket, { kind: 'status' });
    expect(channel.sent[0]!.to).toEqual({ customerId: 'cust-9', conversationId: undefined });
    expect(channel.sent[0]!.what.text).toMatch(/^关于您的投诉 .*：目前状态为“.+”。$/);
  });

  it('reads traditional Chinese as its own language', async () => {
    const ticket = await tickets.create(complaint('zh-TW'));
    await notices.tell(ticket, { kind: 'status' });
    expect(channel.sent[0]!.what.text).toContain(translator.t('zh-TW', 'intake:status.received'));
    expect(channel.sent[0]!.what.text).not.toContain('关于您的投诉');
  });

  const resolution: Resolution = {
    findings: '年费系系统重复扣收',
    accountability: '已对批处理流程追责',
    correctiveAction: '已退还并修复批处理',
    customerSatisfied: 'unknown',
    handledAt: '2026-11-25T06:30:00.000Z',
    handler: { name: '王经理', contact: '95555转8' },
  };

  it('gives the answer itself, with its elements, and a short template that says there is one; held when it went as a template', async () => {
    const ticket = await tickets.create(complaint('zh-CN'));
    const answered: Ticket = { ...ticket, status: 'resolved', resolution: { ...resolution, appealInfo: '如不满意，可在30日内申请复核' } };
    channel.as = 'template';
    await notices.tell(answered, { kind: 'status' });
    const [sent] = channel.sent;
    expect(sent!.what.text).toBe(answerText(translator, answered, answered.resolution!, 'Asia/Shanghai').text);
    expect(sent!.what.text).toMatch(/^关于您的投诉 .*答复如下：\n调查结果：年费系系统重复扣收\n处理情况：已对批处理流程追责\n改进措施：已退还并修复批处理\n经办人：王经理，联系方式：95555转8\n答复时间：.*\n如不满意，可在30日内申请复核$/);
    expect(sent!.what.template?.values).toMatchObject({ status: translator.t('zh-CN', 'intake:status.resolved'), summary: translator.t('zh-CN', 'notice:answeredShort', { number: ticket.number }) });
    // Outside the window the answer went as a template: the whole answer waits for the customer's next message.
    expect((await outbox.held.peek('test-channel', 'cust-9')).map((n) => n.text)).toEqual([sent!.what.text]);
    await outbox.held.taken('test-channel', 'cust-9', 1);
  });

  it('holds nothing when the answer went as a message, nor any other notice that went as a template', async () => {
    const ticket = await tickets.create(complaint('zh-CN'));
    await notices.tell({ ...ticket, status: 'resolved', resolution }, { kind: 'status' });
    channel.as = 'template';
    await notices.tell({ ...ticket, status: 'in_progress' }, { kind: 'status' });
    expect(channel.sent).toHaveLength(2);
    expect(await outbox.held.peek('test-channel', 'cust-9')).toEqual([]);
  });

  it('says where a merged complaint carries on', async () => {
    const ticket = await tickets.create(complaint('en'));
    await notices.tell({ ...ticket, status: 'merged', mergedInto: 'TS-20261120-0007' }, { kind: 'status' });
    const text = translator.t('en', 'notice:merged', { number: ticket.number, into: 'TS-20261120-0007' });
    expect(channel.sent[0]!.what.text).toBe(text);
    expect(channel.sent[0]!.what.template?.values.summary).toBe(text);
  });

  it('says why a complaint closed by itself (no appeal in time), and only the status when staff closed it', async () => {
    const reopenDays = 20;
    const own = new TicketNotices(outbox, translator, 'Asia/Shanghai', reopenDays);
    const ticket = await tickets.create(complaint('zh-CN'));
    const closedBy = (by: string): Ticket => ({ ...ticket, status: 'closed', audit: [...ticket.audit, { at: at.toISOString(), by, action: 'status', from: 'resolved', to: 'closed' }] });
    await own.tell(closedBy('system'), { kind: 'status' });
    await own.tell(closedBy('staff:s1'), { kind: 'status' });
    await notices.tell(closedBy('system'), { kind: 'status' });
    expect(channel.sent.map((s) => s.what.text)).toEqual([
      translator.t('zh-CN', 'notice:autoClosed', { number: ticket.number, days: 20 }),
      `关于您的投诉 ${ticket.number}：目前状态为“${translator.t('zh-CN', 'intake:status.closed')}”。`,
      translator.t('zh-CN', 'notice:autoClosed', { number: ticket.number, days: 30 }),
    ]);
    expect(channel.sent[0]!.what.text).toContain('20 天');
  });
});
