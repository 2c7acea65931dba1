/**
 * The two pieces of the status schedule that sit in the turn (bot/notify/turn-middleware.ts), in a real
 * botbuilder pipeline (TestAdapter) over real Redis:
 *  - held notices are given first, all in one message, in order, with the complaint numbers once each, and
 *    taken only once given; a notice held meanwhile stays;
 *  - the reply right after a survey is taken when it holds a score (thanks for 3–5, an apology for 1–2) and the
 *    bot never sees it; anything else ends the wait and goes on to the bot;
 *  - a store that cannot be read (a key of the wrong type, a real Redis error) costs the customer nothing.
 */
import { ActivityTypes, TestAdapter, type Activity, type Middleware, type TurnContext } from 'botbuilder';
import { Writable } from 'node:stream';
import { createI18n, I18nTranslator } from '../../bot/content/i18n';
import { loadContent } from '../../bot/content/loader';
import { createLogger } from '../../bot/log';
import { HeldNotices } from '../../bot/notify/held';
import type { OutboxNotice } from '../../bot/notify/outbox';
import { Surveys } from '../../bot/notify/survey';
import { HeldNoticesMiddleware, SurveyMiddleware } from '../../bot/notify/turn-middleware';
import { Keys } from '../../bot/store/keys';
import type { RedisBackend } from '../../bot/store/redis-backend';
import { TicketService } from '../../bot/tickets/service';
import { setTurnLocale } from '../../bot/turn/turn-info';
import { newComplaint } from '../support/complaints';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';

const content = loadContent();
const translator = new I18nTranslator(createI18n(content));
const CUSTOMER = 'cust-held';
/** A reply whose text matches (TestAdapter compares strings exactly, and an object only by its own fields). */
const matching = (pattern: RegExp) => (activity: Partial<Activity>) => expect(activity.text).toMatch(pattern);

describe('notices in the turn', () => {
  let backend: RedisBackend;
  let keys: Keys;
  let held: HeldNotices;
  let surveys: Surveys;
  let tickets: TicketService;
  let botSaw: string[];
  let logs: string[];
  const now = new Date('2026-11-25T10:00:00+08:00');

  /** A pipeline of the two middlewares in the app's order, and a bot that echoes what reached it. */
  function adapter(locale?: 'en', first?: Middleware): TestAdapter {
    const logger = createLogger({ level: 'info', hashKey: 'k', destination: new Writable({ write: (c, _e, done) => (logs.push(String(c)), done()) }) });
    const a = new TestAdapter(async (context: TurnContext) => {
      if (context.activity.type !== ActivityTypes.Message) return;
      botSaw.push(context.activity.text ?? '');
      await context.sendActivity(`bot: ${context.activity.text ?? ''}`);
    }, { channelId: 'test-channel', from: { id: CUSTOMER, name: 'c' }, recipient: { id: 'bot', name: 'bot' } });
    if (first) a.use(first);
    if (locale) a.use({ onTurn: async (context, next) => (setTurnLocale(context, locale), next()) });
    a.use(new HeldNoticesMiddleware(held, translator, logger));
    a.use(new SurveyMiddleware(surveys, translator, logger));
    return a;
  }

  const notice = (number: string, text: string): OutboxNotice => ({ id: `${number}-${text}`, seq: 1, attempts: 1, createdAt: now.toISOString(), number, change: 'status', text, channelId: 'test-channel', customerId: CUSTOMER });

  beforeAll(() => {
    backend = openTestBackend();
  });
  beforeEach(() => {
    keys = new Keys(uniquePrefix('notice-mw'));
    held = new HeldNotices(backend, keys);
    tickets = new TicketService(backend, keys, content.complaints, () => now);
    surveys = new Surveys(backend, keys, tickets, 'Asia/Shanghai', () => now);
    botSaw = [];
    logs = [];
  });
  afterEach(() => deleteKeys(backend.redis, keys.prefix));
  afterAll(() => backend.close());

  it('gives every held notice first, in order, in one message with each number once, then answers; then they are gone', async () => {
    await held.hold(notice('TS-20261123-0001', '已受理'));
    await held.hold(notice('TS-20261123-0002', '处理中'));
    await held.hold(notice('TS-20261123-0001', '已答复'));
    const a = adapter();
    await a.send('你好')
      .assertReply('您有 3 条关于 TS-20261123-0001、TS-20261123-0002 的新进展：\n\n已受理\n\n处理中\n\n已答复')
      .assertReply('bot: 你好')
      .send('还有吗')
      .assertReply('bot: 还有吗');
    expect(await held.peek('test-channel', CUSTOMER)).toEqual([]);
  });

  it('introduces them in the customer\'s language', async () => {
    await held.hold(notice('TS-20261123-0001', 'Accepted'));
    await adapter('en').send('hi').assertReply('You have 1 update(s) on TS-20261123-0001:\n\nAccepted').assertReply('bot: hi');
  });

  it('gives nothing for a non-message activity and keeps the notices for the next message', async () => {
    await held.hold(notice('TS-20261123-0001', '已受理'));
    const a = adapter();
    // Checked after the event's own turn: a flow would let an intro sent then pass as the next message's reply.
    await a.send({ type: ActivityTypes.Event, name: 'webchat/join' }).assertNoReply();
    expect(await held.peek('test-channel', CUSTOMER)).toHaveLength(1);
    await a.send('在吗').assertReply(matching(/^您有 1 条/)).assertReply('bot: 在吗');
    expect(botSaw).toEqual(['在吗']);
  });

  it('gives nothing to, and does not fail on, a message without a sender, and keeps the notices', async () => {
    await held.hold(notice('TS-20261123-0001', '已受理'));
    // TestAdapter fills in a sender, so a first middleware takes it away, as a malformed channel payload would.
    const noSender: Middleware = { onTurn: async (context, next) => ((context.activity as Partial<Activity>).from = undefined, next()) };
    await adapter(undefined, noSender).send('在吗').assertReply('bot: 在吗');
    expect(await held.peek('test-channel', CUSTOMER)).toHaveLength(1);
    expect(logs.filter((l) => /held notices not given|survey state unreadable/.test(l))).toEqual([]);
  });

  it('takes only the notices it gave: one held while they were being given stays for the next message', async () => {
    await held.hold(notice('TS-20261123-0001', '已受理'));
    let arrived = false;
    // Another notice is held just as the first ones go out (between reading them and taking them).
    const a = adapter(undefined, {
      onTurn: async (context, next) => {
        context.onSendActivities(async (_c, activities, send) => {
          if (!arrived && activities.some((x) => x.text?.startsWith('您有'))) {
            arrived = true;
            await held.hold(notice('TS-20261123-0001', '已答复'));
          }
          return send();
        });
        await next();
      },
    });
    await a.send('一').assertReply(matching(/^您有 1 条[\s\S]*已受理$/)).assertReply('bot: 一').send('二').assertReply(matching(/^您有 1 条[\s\S]*已答复$/)).assertReply('bot: 二');
    expect(await held.peek('test-channel', CUSTOMER)).toEqual([]);
  });

  it('answers as usual when the held notices cannot be read, and keeps what is held', async () => {
    await backend.redis.set(keys.heldNotices('test-channel', CUSTOMER), 'not a list');
    await adapter().send('你好').assertReply('bot: 你好');
    expect(await backend.redis.get(keys.heldNotices('test-channel', CUSTOMER))).toBe('not a list');
    expect(logs.some((l) => /held notices not given this turn/.test(l))).toBe(true);
  });

  it('takes a score right after the survey, thanks for 3 to 5 and apologises for 1 or 2, and the bot never sees it', async () => {
    for (const [reply, score, words] of [['5 处理得挺快', 5, 'surveyThanks'], ['3', 3, 'surveyThanks'], ['2分', 2, 'surveySorry'], ['非常不满意', 1, 'surveySorry']] as const) {
      const ticket = await tickets.create(newComplaint(CUSTOMER, { channelId: 'test-channel' }));
      await surveys.open(ticket, 7);
      await adapter().send(reply).assertReply(translator.t('zh-CN', `notice:${words}`));
      expect((await tickets.get(ticket.number)).survey?.score).toBe(score);
      expect(await surveys.pendingFor('test-channel', CUSTOMER)).toBeNull();
    }
    expect(botSaw).toEqual([]);
    expect(await surveys.figures('2026-11')).toEqual({ month: '2026-11', responses: 4, satisfied: 1, rate: 0.25 });
  });

  it('keeps the comment that came with the score', async () => {
    const ticket = await tickets.create(newComplaint(CUSTOMER, { channelId: 'test-channel' }));
    await surveys.open(ticket, 7);
    await adapter().send('4，柜员态度很好').assertReply(translator.t('zh-CN', 'notice:surveyThanks'));
    expect((await tickets.get(ticket.number)).survey).toEqual({ score: 4, comment: '柜员态度很好', at: now.toISOString() });
    // A 4 counts as satisfied (4 or 5 of 5), the boundary the figures in the scores test do not reach.
    expect(await surveys.figures('2026-11')).toEqual({ month: '2026-11', responses: 1, satisfied: 1, rate: 1 });
  });

  it('passes anything but a score on to the bot and ends the wait, so a later "1" is not a score', async () => {
    const ticket = await tickets.create(newComplaint(CUSTOMER, { channelId: 'test-channel' }));
    await surveys.open(ticket, 7);
    await adapter().send('我还想问一下年费').assertReply('bot: 我还想问一下年费').send('1').assertReply('bot: 1');
    expect(botSaw).toEqual(['我还想问一下年费', '1']);
    expect((await tickets.get(ticket.number)).survey).toBeUndefined();
    expect(await surveys.pendingFor('test-channel', CUSTOMER)).toBeNull();
  });

  it('keeps waiting for the score through an event, even one carrying text, and through a message without text', async () => {
    const ticket = await tickets.create(newComplaint(CUSTOMER, { channelId: 'test-channel' }));
    await surveys.open(ticket, 7);
    const a = adapter();
    await a.send({ type: ActivityTypes.Event, name: 'webchat/join', text: '5' }).assertNoReply();
    await a.send({ type: ActivityTypes.Message, text: '', attachments: [{ contentType: 'image/jpeg', contentUrl: 'https://example.test/p.jpg' }] }).assertReply('bot: ');
    expect(await surveys.pendingFor('test-channel', CUSTOMER)).toBe(ticket.number);
    await a.send('4').assertReply(translator.t('zh-CN', 'notice:surveyThanks'));
    expect((await tickets.get(ticket.number)).survey?.score).toBe(4);
  });

  it('passes a message to the bot when no survey waits, even a bare score', async () => {
    await adapter().send('5').assertReply('bot: 5');
    expect(botSaw).toEqual(['5']);
  });

  it('passes the message to the bot when the survey\'s state cannot be read', async () => {
    await backend.redis.rpush(keys.surveyPending('test-channel', CUSTOMER), 'x');
    await adapter().send('5').assertReply('bot: 5');
    expect(logs.some((l) => /survey state unreadable/.test(l))).toBe(true);
  });
});
