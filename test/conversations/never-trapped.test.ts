/**
 * Never trapped (issue 9 §1–2), outside the intake (whose prompts have their
 * own test): a message that is clearly something else is handled as what it
 * is inside any dialog, and no prompt asks the same question a fourth time.
 */
import { daytimeClock, startTestApp, type TestApp } from '../support/harness';
import { ScriptedCustomer, texts } from '../support/conversation';
import { pickOffered } from '../../dialogs/withdraw-dialog';

const INTAKE_STARTED = /登记投诉|登記投訴|register your complaint/;
const numberIn = (s: string) => /TS-\d{8}-\d{4}/.exec(s)?.[0] ?? '';

describe('inside a dialog, a message that is clearly something else', () => {
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

  it('我是想查进度，不是新投诉: leaves the complaint it started by mistake and checks progress', async () => {
    const c = await customer();
    expect(texts(await c.say('我的投诉怎么样了，之前的问题'))).toMatch(/没有投诉记录|投诉/);
    const d = await customer();
    await d.say('我要投诉');
    const replies = texts(await d.say('我是想查进度，不是新投诉'));
    expect(replies).toMatch(/这次先不登记投诉/);
    expect(replies).toMatch(/您目前没有投诉记录/);
    // Nothing of it was kept as the complaint: the next message starts at the menu.
    expect(texts(await d.say('谢谢'))).toMatch(/不客气/);
  });

  it('我不是投诉，只是问问: ends the complaint and asks for the question', async () => {
    const c = await customer();
    expect(texts(await c.say('我要投诉'))).toMatch(INTAKE_STARTED);
    const replies = await c.say('我不是投诉，只是问问');
    expect(texts(replies)).toMatch(/这次先不登记投诉/);
    expect(texts(replies)).toMatch(/请直接把您的问题发给我/);
    // The question, once asked, is answered from the knowledge base.
    expect(texts(await c.say('信用卡年费怎么免'))).toMatch(/这个回答对您有帮助吗/);
  });

  it('查询进度 in the middle of a complaint shows progress, then asks the same question again', async () => {
    const c = await customer();
    const question = texts(await c.say('信用卡账单里多了一笔我没办过的分期手续费')).split('\n').at(-1)!;
    const replies = texts(await c.say('查询进度'));
    expect(replies).toMatch(/您目前没有投诉记录/);
    expect(replies).toContain(question);
    expect(replies).not.toMatch(/这次先不登记投诉/);
  });

  it('a long answer that mentions progress is still an answer, not a switch', async () => {
    const c = await customer();
    await c.say('我要投诉');
    const replies = texts(await c.say('上个月我去网点查询进度的时候柜员态度很差，还多收了我五十元手续费'));
    expect(replies).not.toMatch(/您目前没有投诉记录/);
    expect(replies).not.toMatch(/这次先不登记投诉/);
  });

  it('in English: "not a complaint, just asking" ends the complaint', async () => {
    const c = await customer('en');
    await c.say('I want to complain');
    expect(texts(await c.say('not a complaint, just asking'))).toMatch(/won't register a complaint/);
  });
});

describe('no prompt asks the same question a fourth time', () => {
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

  /** Sends three unusable answers; returns the replies to each. */
  async function threeUnusable(c: ScriptedCustomer, answers = ['嗯嗯', '🙂', 'asdfgh']): Promise<string[]> {
    const out: string[] = [];
    for (const a of answers) out.push(texts(await c.say(a)));
    return out;
  }

  it('the menu: from the second message it cannot place, it says how to reach a person', async () => {
    const c = await customer();
    const [first, second, third] = await threeUnusable(c, ['嗯嗯', '呃', '啊这']);
    expect(first).toMatch(/没能完全理解/);
    expect(second).toMatch(/回复“人工”/);
    expect(third).toMatch(/回复“人工”/);
  });

  it('the call-back phone number: a way forward after two, and no fourth question', async () => {
    const c = await customer();
    const asked = texts(await c.say('人工'));
    expect(asked).toMatch(/请留下您的电话号码/);
    const [first, second, third] = await threeUnusable(c, ['不知道', '123', '就是那个号']);
    expect(first).toMatch(/号码好像不完整/);
    expect(second).toMatch(/回复“取消”/);
    expect(second).not.toBe(first);
    expect(third).toMatch(/这次先不安排回电/);
    expect(third).not.toMatch(/请留下您的电话号码|号码好像不完整/);
    // The menu is back: the customer can go on.
    expect(texts(await c.say('查询进度'))).toMatch(/您目前没有投诉记录/);
  });

  it('the language prompt', async () => {
    const c = await customer();
    expect(texts(await c.say('切换语言'))).toMatch(/请选择您希望使用的语言/);
    const [, second, third] = await threeUnusable(c, ['火星文', '克林贡语', '随便']);
    expect(second).toMatch(/1 简体中文/);
    expect(third).toMatch(/先不继续这一步/);
    expect(third).toMatch(/请问有什么可以帮您/);
  });

  it('withdrawal: which complaint (by place in the list or last digits) and the confirmation', async () => {
    const c = await customer();
    const file = async (story: string) => {
      await c.say(story);
      await c.say('同意');
      return numberIn(texts(await c.say('确认提交')));
    };
    const a = await file('昨天在天河支行排队等了两个小时，希望增加窗口，电话13812345678');
    const b = await file('昨天被多扣了200元手续费，要求退还，电话13812345678');
    expect(a).not.toBe('');
    expect(b).not.toBe('');
    expect(texts(await c.say('撤销投诉'))).toMatch(/请回复要撤销的投诉编号/);
    const [, second, third] = await threeUnusable(c, ['那个', '就是那个', '不清楚']);
    expect(second).toMatch(/最后四位/);
    expect(third).toMatch(/先不继续这一步/);
    expect((await t.app.tickets.get(a)).status).toBe('received');

    await c.say('撤销投诉');
    expect(texts(await c.say(b.slice(-4)))).toMatch(new RegExp(`确定要撤销投诉 ${b} 吗`));
    const [, confirmSecond, confirmThird] = await threeUnusable(c, ['不确定', '再想想', '看情况']);
    expect(confirmSecond).toMatch(/回复“是”或“否”/);
    expect(confirmThird).toMatch(new RegExp(`投诉 ${b} 会继续处理`));
    expect((await t.app.tickets.get(b)).status).toBe('received');
  }, 30_000);
});

describe('picking an offered complaint', () => {
  const offered = ['TS-20261201-0007', 'TS-20261201-0012', 'TS-20261130-0012'];
  it.each([
    ['1', 'TS-20261201-0007'],
    ['第二个', 'TS-20261201-0012'],
    ['3', 'TS-20261130-0012'],
    ['0007', 'TS-20261201-0007'],
    ['ts-20261130-0012', 'TS-20261130-0012'],
  ])('%s → %s', (reply, number) => expect(pickOffered(reply, offered)).toBe(number));

  it.each([['0012'], ['4'], ['那个'], ['']])('%s is not a pick (ambiguous, out of range or nothing)', (reply) => expect(pickOffered(reply, offered)).toBeUndefined());
});
