/**
 * What customers actually type at the menu (issue 9, section 1): the menu acts
 * on what a message means, as the recognizer in bot/understanding reads it,
 * not only on its own button labels.
 */
import { daytimeClock, startTestApp, type TestApp } from '../support/harness';
import { ScriptedCustomer, buttons, texts } from '../support/conversation';

const NOT_UNDERSTOOD = /没能完全理解|沒能完全理解|didn't quite understand/;
const INTAKE_STARTED = /登记投诉|登記投訴|register your complaint/;

describe('understanding what customers say at the menu', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: daytimeClock() });
  });
  afterAll(() => t.close());

  async function customer(locale = 'zh-CN'): Promise<ScriptedCustomer> {
    const c = await ScriptedCustomer.start(t, locale);
    await c.greeting();
    return c;
  }

  it('starts the progress check on 查询进度, the phrase the bot itself tells customers to send', async () => {
    const c = await customer();
    const replies = texts(await c.say('查询进度'));
    expect(replies).toMatch(/您目前没有投诉记录/);
    expect(replies).not.toMatch(NOT_UNDERSTOOD);
  });

  it('takes 我的投诉进度怎么样 as a progress check, not a new complaint', async () => {
    const c = await customer();
    const replies = texts(await c.say('我的投诉进度怎么样'));
    expect(replies).toMatch(/您目前没有投诉记录/);
    expect(replies).not.toMatch(INTAKE_STARTED);
  });

  it.each([
    ['en', 'how is my complaint going', /no complaints|don't have any complaint|no complaint/i],
    ['zh-TW', '我的投訴處理到哪了', /沒有投訴紀錄|没有投诉记录|沒有投訴記錄/],
  ])('understands a progress question in %s', async (locale, text, expected) => {
    const c = await customer(locale);
    const replies = texts(await c.say(text));
    expect(replies).toMatch(expected);
    expect(replies).not.toMatch(INTAKE_STARTED);
  });

  it('reaches a person on 我要找人工', async () => {
    const c = await customer();
    expect(texts(await c.say('我要找人工'))).toMatch(/安排人工客服回电/);
  });

  it('does not reach a person on 不要人工', async () => {
    const c = await customer();
    expect(texts(await c.say('不要人工'))).not.toMatch(/安排人工客服回电/);
  });

  it('does not take 信用卡年费怎么免, a plain question, as a complaint: answers it, and a complaint is one button away', async () => {
    const c = await customer();
    const replies = await c.say('信用卡年费怎么免');
    expect(texts(replies)).not.toMatch(INTAKE_STARTED);
    expect(texts(replies)).toMatch(/免次年年费/);
    expect(buttons(replies)).toContain('提交投诉');
  });

  it('takes 我不是投诉，只是问问 as a question', async () => {
    const c = await customer();
    const replies = texts(await c.say('我不是投诉，只是问问'));
    expect(replies).not.toMatch(INTAKE_STARTED);
    expect(replies).toMatch(/请直接把您的问题发给我/);
  });

  it('still takes a complaint told as a story, and 我要投诉', async () => {
    const c = await customer();
    expect(texts(await c.say('信用卡莫名其妙扣了我两百多的年费，我从来没开通过这个服务'))).toMatch(/很抱歉/);
    const d = await customer();
    expect(texts(await d.say('我要投诉'))).toMatch(INTAKE_STARTED);
  });

  it('answers thanks and goodbye briefly', async () => {
    const c = await customer();
    expect(texts(await c.say('谢谢'))).toMatch(/不客气/);
    expect(texts(await c.say('再见'))).toMatch(/祝您生活愉快/);
  });

  it('changes the language when asked in a sentence', async () => {
    const c = await customer();
    const replies = await c.say('可以用英文吗');
    expect(texts(replies)).toMatch(/continue in English/);
    expect(buttons(replies)).toContain('Make a complaint');
  });

  it('reaches a person on 我要找人工 in the middle of a complaint, then asks the same question again', async () => {
    const c = await customer();
    const asked = texts(await c.say('我要投诉'));
    const during = await c.say('我要找人工');
    expect(texts(during)).toMatch(/安排人工客服回电/);
    const back = texts(await c.say('13812345678'));
    expect(back).toMatch(/回电|致电/);
    // The same question again: nothing was lost.
    const lastSentence = (x: string) => x.split('\n').filter(Boolean).at(-1)!.split('。').filter(Boolean).at(-1);
    expect(lastSentence(back)).toBe(lastSentence(asked));
  });
});
