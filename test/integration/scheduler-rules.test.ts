/**
 * The delivery schedule itself (bot/notify/scheduler.ts) on a real node-cron timer (every second here, every
 * minute in the shipped policy) and a real Outbox on Redis: each tick runs the status schedule first and then
 * delivers; a failing status schedule never stops delivery; what each run did is logged only when it did
 * something; a failing delivery run is logged and the next tick runs again; stop() ends the ticks.
 * The tests wait on what the ticks did, never on a fixed time.
 */
import { Writable } from 'node:stream';
import type { ChannelNotification, ProactiveChannel, Recipient } from '../../bot/channels';
import { loadContent } from '../../bot/content/loader';
import { getTasks } from 'node-cron';
import { createI18n, I18nTranslator } from '../../bot/content/i18n';
import { createLogger } from '../../bot/log';
import { createNotices } from '../../bot/notify/mount';
import { TicketService } from '../../bot/tickets/service';
import { Outbox } from '../../bot/notify/outbox';
import { OutboxScheduler } from '../../bot/notify/scheduler';
import { Keys } from '../../bot/store/keys';
import type { RedisBackend } from '../../bot/store/redis-backend';
import type { NoticesPolicy } from '../../bot/tickets/policy';
import { waitFor } from '../support/harness';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';

const EVERY_SECOND = '* * * * * *';
const content = loadContent();
// No quiet hours, so a tick delivers whatever the time of day the test runs.
const policy: NoticesPolicy = { ...content.complaints.notices, quietHours: { start: '00:00', end: '00:00' } };

class RecordingChannel implements ProactiveChannel {
  readonly channelId = 'test-channel';
  sent: string[] = [];
  async notify(_to: Recipient, what: ChannelNotification) {
    this.sent.push(what.text);
    return 'message' as const;
  }
}

describe('the delivery schedule', () => {
  let backend: RedisBackend;
  let keys: Keys;
  let channel: RecordingChannel;
  let outbox: Outbox;
  let logs: Array<{ level: number; msg: string; [k: string]: unknown }>;
  let scheduler: OutboxScheduler | undefined;
  const logger = () => createLogger({ level: 'info', hashKey: 'k', destination: new Writable({ write: (c, _e, done) => (logs.push(JSON.parse(String(c))), done()) }) });
  const notice = (text: string) => ({ number: 'TS-20261123-0001', change: 'status', text, channelId: 'test-channel', customerId: 'cust-1' });
  const logged = (msg: string) => logs.filter((l) => l.msg === msg);

  beforeAll(() => {
    backend = openTestBackend();
  });
  beforeEach(() => {
    keys = new Keys(uniquePrefix('scheduler'));
    channel = new RecordingChannel();
    logs = [];
    outbox = new Outbox(backend, keys, new Map([[channel.channelId, channel]]), policy, createLogger({ level: 'silent' }));
  });
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    await deleteKeys(backend.redis, keys.prefix);
  });
  afterAll(() => backend.close());

  it('runs the status schedule first, then delivers what it queued, and logs what each did', async () => {
    let runs = 0;
    scheduler = new OutboxScheduler(outbox, EVERY_SECOND, 'Asia/Shanghai', logger(), async () => {
      runs++;
      if (runs === 1) {
        await outbox.enqueue(notice('进展：已转交信用卡中心'));
        return { ran: 1, failed: 0 };
      }
      return { ran: 0, failed: 0 };
    });
    scheduler.start();
    await waitFor(async () => channel.sent, (s) => s.length === 1);
    expect(channel.sent).toEqual(['进展：已转交信用卡中心']);
    await waitFor(async () => runs, (n) => n >= 3);
    // Only the tick that did something is logged, with what it did.
    expect(logged('status schedule tick')).toEqual([expect.objectContaining({ ran: 1, failed: 0 })]);
    expect(logged('outbox tick')).toEqual([expect.objectContaining({ delivered: 1, retried: 0, dead: 0 })]);
  });

  it('delivers even when the status schedule fails, and logs the failure', async () => {
    await outbox.enqueue(notice('已受理'));
    scheduler = new OutboxScheduler(outbox, EVERY_SECOND, 'Asia/Shanghai', logger(), async () => {
      throw new Error('schedule store unreachable');
    });
    scheduler.start();
    await waitFor(async () => channel.sent, (s) => s.length === 1);
    const failed = await waitFor(async () => logged('status schedule tick failed'), (l) => l.length >= 1);
    expect(failed[0]).toMatchObject({ level: 50, err: expect.objectContaining({ message: 'schedule store unreachable' }) });
  });

  it('logs a delivery run that fails and tries again on the next tick', async () => {
    // A real store fault: the schedule's key holds a string, so reading it fails (WRONGTYPE).
    await backend.redis.set(keys.outboxSchedule(), 'not a sorted set');
    scheduler = new OutboxScheduler(outbox, EVERY_SECOND, 'Asia/Shanghai', logger());
    scheduler.start();
    await waitFor(async () => logged('outbox tick failed'), (l) => l.length >= 1);
    expect(logged('outbox tick failed')[0]).toMatchObject({ level: 50, err: expect.objectContaining({ type: 'StoreUnavailableError' }) });
    await backend.redis.del(keys.outboxSchedule());
    await outbox.enqueue(notice('已答复'));
    await waitFor(async () => channel.sent, (s) => s.length === 1);
  });

  it('never starts a tick while the last one is still running', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    scheduler = new OutboxScheduler(outbox, EVERY_SECOND, 'Asia/Shanghai', logger(), async () => {
      most = Math.max(most, ++active);
      await new Promise((r) => setTimeout(r, 1500));
      active--;
      runs++;
      return { ran: 0, failed: 0 };
    });
    scheduler.start();
    await waitFor(async () => runs, (n) => n >= 2, 8000);
    expect(most).toBe(1);
  });

  it('runs the status schedule alone by default (nothing to plan) and stops ticking when stopped', async () => {
    scheduler = new OutboxScheduler(outbox, EVERY_SECOND, 'Asia/Shanghai', logger());
    scheduler.start();
    await outbox.enqueue(notice('一'));
    await waitFor(async () => channel.sent, (s) => s.length === 1);
    expect(logged('status schedule tick')).toEqual([]);
    await scheduler.stop();
    await outbox.enqueue(notice('二'));
    // Delivered at once by a tick of our own, never by the stopped schedule: nothing arrives on its own in 2.5 s.
    await new Promise((r) => setTimeout(r, 2500));
    expect(channel.sent).toEqual(['一']);
    expect((await outbox.tick()).delivered).toBe(1);
  });

  it('starts the every-minute tick with the notices feature, unless told not to', async () => {
    const tickets = new TicketService(backend, keys, content.complaints, () => new Date());
    const translator = new I18nTranslator(createI18n(content));
    const outboxTasks = () => [...getTasks().values()].filter((t) => t.name === 'outbox').length;
    const make = (tick?: boolean) => createNotices({ backend, keys, content, translator, channels: new Map(), logger: createLogger({ level: 'silent' }), now: () => new Date(), tickets, ...(tick === undefined ? {} : { tick }) });
    const off = make(false);
    await off.start?.();
    const started = outboxTasks();
    await off.stop?.();
    expect(started).toBe(0);
    const on = make();
    await on.start?.();
    expect(outboxTasks()).toBe(1);
    await on.stop?.();
    expect(outboxTasks()).toBe(0);
  });
});
