/**
 * Questions answered from the knowledge base (issue 11), over the real Direct
 * Line endpoints with a real Redis: answer + "did this help?", close choices,
 * an honest "no answer" (never a complaint), a question in the middle of the
 * intake answered aside with the intake going on at the same question, and the
 * figures supervisors read (feedback and unanswered questions, masked).
 * The questions are phrased as customers write, not as the entries are.
 */
import { startTestApp, daytimeClock, type TestApp } from '../support/harness';
import { ScriptedCustomer, buttons, texts } from '../support/conversation';
import type { SupportedLocale } from '../../bot/content/schemas';

describe('questions answered from the knowledge base', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: daytimeClock(), env: { WEBCHAT_TOKENS_PER_MINUTE: '100000' } });
  });
  afterAll(() => t.close());

  const tr = (locale: SupportedLocale, key: string) => t.app.translator.t(locale, key);
  const answerOf = (id: string, locale: SupportedLocale = 'zh-CN') => t.app.faq.knowledge.answer(id, locale)!.text;
  async function customer(locale: SupportedLocale = 'zh-CN'): Promise<ScriptedCustomer> {
    const c = await ScriptedCustomer.start(t, locale);
    await c.greeting();
    return c;
  }

  it('answers a question at the menu, asks whether it helped, and counts the answer', async () => {
    const c = await customer();
    const before = (await t.app.faq.stats.feedbackFigures(['atm-card-retained']))[0]!;
    const replies = await c.say('取钱的时候ATM把我卡吞了咋办');
    expect(texts(replies)).toContain(answerOf('atm-card-retained'));
    expect(texts(replies)).toContain(tr('zh-CN', 'question:didItHelp'));
    // The answer's buttons: yes, no, and the entry's follow-ups.
    expect(buttons(replies)).toEqual(expect.arrayContaining(['有帮助', '没有解决', '转人工服务']));
    // No complaint was started: no intake question.
    expect(texts(replies)).not.toContain(tr('zh-CN', 'intake:start'));

    // Said in a sentence, not only by the button.
    expect(texts(await c.say('嗯 有用，谢谢'))).toContain(tr('zh-CN', 'question:glad'));
    const c2 = await customer();
    await c2.say('卡被ATM吞了怎么办');
    expect(texts(await c2.say('有帮助'))).toContain(tr('zh-CN', 'question:glad'));
    await t.app.faq.stats.drained();
    const after = (await t.app.faq.stats.feedbackFigures(['atm-card-retained']))[0]!;
    expect(after.helped).toBe(before.helped + 2);
    // Supervisors' dashboards read the same from /metrics.
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(Number(/bot_faq_lookups_total\{outcome="answer"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
    expect(Number(/bot_faq_feedback_total\{verdict="helped"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
  });

  it('"did this help?" takes other words and numbers; a "no" says how to go on', async () => {
    const c = await customer();
    await c.say('信用卡年费怎么免');
    const before = (await t.app.faq.stats.feedbackFigures(['fee-credit-card-annual']))[0]!;
    // "没有用" holds "有用": the no wins.
    const sorry = texts(await c.say('没有用啊'));
    expect(sorry).toContain(tr('zh-CN', 'question:sorry'));
    // After the answer the menu is back: the customer can go on to a complaint or a person.
    expect(sorry).toContain(tr('zh-CN', 'menu.prompt').slice(0, 6));
    await c.say('信用卡年费怎么免');
    expect(texts(await c.say('2'))).toContain(tr('zh-CN', 'question:sorry'));
    await t.app.faq.stats.drained();
    const after = (await t.app.faq.stats.feedbackFigures(['fee-credit-card-annual']))[0]!;
    expect(after.notHelped).toBe(before.notHelped + 2);
  });

  it('a follow-up button leads where it says: "转人工服务" after an answer asks for a phone number', async () => {
    const c = await customer();
    const replies = await c.say('卡被ATM吞了怎么办');
    expect(buttons(replies)).toContain('转人工服务');
    expect(texts(await c.say('转人工服务'))).toContain(tr('zh-CN', 'person:askPhone').slice(0, 10));
  });

  it('offers close entries as choices, picked by number or by wording; "都不是" is answered honestly', async () => {
    const c = await customer();
    const offered = await c.say('我想问下理财的事');
    expect(texts(offered)).toContain(tr('zh-CN', 'question:choices'));
    const options = buttons(offered);
    expect(options.at(-1)).toBe(tr('zh-CN', 'question:noneOfThese'));
    expect(options.length).toBeGreaterThanOrEqual(3);
    // Every choice is an entry's question in the customer's language; the second, by number, gives that entry's answer.
    const second = t.app.faq.knowledge.lookup('我想问下理财的事', 'zh-CN');
    expect(second.kind).toBe('choices');
    const ids = second.kind === 'choices' ? second.options.map((o) => o.id) : [];
    expect(texts(await c.say('2'))).toContain(answerOf(ids[1]!));

    const c2 = await customer();
    await c2.say('我想问下理财的事');
    expect(texts(await c2.say(options[0]!))).toContain(answerOf(ids[0]!));

    const c3 = await customer();
    await c3.say('我想问下理财的事');
    const none = texts(await c3.say('都不是'));
    expect(none).toContain(tr('zh-CN', 'question:noneMatched'));
  });

  it('says plainly there is no answer to an off-topic question, never starts a complaint, and records the miss masked', async () => {
    const c = await customer();
    const replies = texts(await c.say('明天会下雨吗'));
    expect(replies).toContain(tr('zh-CN', 'question:none'));
    expect(replies).not.toContain(tr('zh-CN', 'intake:start'));
    // Small talk about the weather is not a banking question, nor anger ("今天天气" holds "天天").
    const weather = texts(await (await customer()).say('今天天气怎么样'));
    expect(weather).not.toContain(tr('zh-CN', 'question:didItHelp'));
    expect(weather).not.toContain(tr('zh-CN', 'intake:start'));
    expect(weather).not.toMatch(/非常理解您现在的心情/);
    await c.say('你们食堂13812345678好吃吗');
    await c.say('你们食堂 13812345678 好吃吗？');
    await t.app.faq.stats.drained();
    const misses = await t.app.faq.stats.misses();
    const rain = misses.find((m) => m.sample.includes('下雨'));
    expect(rain?.count).toBe(1);
    const card = misses.find((m) => m.sample.includes('食堂'));
    expect(card?.count).toBe(2);
    expect(card?.sample).not.toContain('13812345678');
    // The most asked first.
    expect(misses.indexOf(card!)).toBeLessThan(misses.indexOf(rain!));
  });

  it('the menu entry "咨询问题" asks for the question, then answers it', async () => {
    const c = await customer();
    expect(texts(await c.say('咨询问题'))).toContain(tr('zh-CN', 'question:ask'));
    expect(texts(await c.say('手机号换了怎么改'))).toContain(tr('zh-CN', 'question:didItHelp'));
  });

  it('answers in traditional Chinese and in English, from the same entries', async () => {
    const tw = await customer('zh-TW');
    const twReplies = texts(await tw.say('提款機把我的卡吞了，怎麼辦'));
    expect(twReplies).toContain(answerOf('atm-card-retained', 'zh-TW'));
    expect(twReplies).toContain(tr('zh-TW', 'question:didItHelp'));
    const en = await customer('en');
    const enReplies = texts(await en.say('what do i need to bring to open an account'));
    expect(enReplies).toContain(answerOf('account-open-documents', 'en'));
  });

  it('a question in the middle of the intake is answered aside and the intake asks the same question again', async () => {
    const c = await customer();
    const start = texts(await c.say('我要投诉'));
    expect(start).toContain(tr('zh-CN', 'intake:start').slice(0, 12));
    const aside = await c.say('转账限额是多少');
    expect(texts(aside)).toContain(answerOf('transfer-limits'));
    // Aside: no "did this help?" buttons in the way of the intake, and the story question comes back.
    expect(texts(aside)).not.toContain(tr('zh-CN', 'question:didItHelp'));
    expect(texts(aside)).toContain(tr('zh-CN', 'intake:ask.description'));
    // The story is still taken as the story: the question was not recorded as it.
    const next = texts(await c.say('信用卡账单里多了一笔我没办过的分期手续费，要求退还'));
    expect(next).toContain(tr('zh-CN', 'intake:ask.when').slice(0, 10));
    // Later in the intake, another question; then the same step goes on.
    const again = texts(await c.say('卡被吞了怎么办'));
    expect(again).toContain(answerOf('atm-card-retained'));
    expect(again).toContain(tr('zh-CN', 'intake:ask.when').slice(0, 10));
    expect(texts(await c.say('上周五'))).not.toContain(tr('zh-CN', 'intake:ask.when').slice(0, 10));
  });

  it('a long story that ends in "怎么办" is still the story, not a question', async () => {
    const c = await customer();
    await c.say('我要投诉');
    const story = '上个月我在你们ATM取钱，卡被吞了，去网点领卡等了三个小时，柜员态度还很差，到现在也没人给个说法，怎么办';
    const replies = texts(await c.say(story));
    expect(replies).not.toContain(answerOf('atm-card-retained'));
    expect(replies).not.toContain(tr('zh-CN', 'intake:ask.description'));
  });
});
