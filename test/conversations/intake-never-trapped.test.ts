/**
 * Nobody is kept in a loop by the intake (issue 9 §2, for the intake's prompts).
 * Every prompt is driven with three answers the bot cannot use: the question
 * comes again, after the second such answer it also says how to move on (skip,
 * say it differently, or a person), and after the third it is not asked again —
 * the same question never comes a fourth time. Vague times ("不记得了", "前几天")
 * are answers, recorded as said.
 */
import { daytimeClock, startTestApp, type TestApp } from '../support/harness';
import { ScriptedCustomer, buttons, texts } from '../support/conversation';

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

/** Says each message in turn; the replies' texts (and buttons) of the last one. */
async function sayAll(c: ScriptedCustomer, messages: string[]): Promise<{ text: string; buttons: string[] }> {
  let last: any[] = [];
  for (const m of messages) last = await c.say(m);
  return { text: texts(last), buttons: buttons(last) };
}

const numberIn = (s: string) => /TS-\d{8}-\d{4}/.exec(s)?.[0] ?? '';
const count = (all: string[], question: RegExp) => all.filter((s) => question.test(s)).length;
const WAY_FORWARD = /人工/;

interface Prompt {
  name: string;
  /** Messages that bring the intake to the prompt; the last reply asks it. */
  reach: string[];
  /** How the prompt reads (first time and repeated). */
  question: RegExp;
  unusable: [string, string, string];
  /** What the reply to the third unusable answer says instead of asking again. */
  after: RegExp;
  /** The way forward offers "skip" too. */
  skippable?: boolean;
}

const STORY_FULL = '昨天在陆家嘴支行被多扣了300元手续费，希望退还，电话13812345678';
const prompts: Prompt[] = [
  { name: 'description', reach: ['我要投诉'], question: /说说发生了什么|描述发生了什么/, unusable: ['😡😡', '……', '🙄'], after: /先按您已经说的内容登记/ },
  { name: 'category', reach: ['我要投诉', '今天遇到一件很不愉快的事情'], question: /哪方面的问题|最接近的选项/, unusable: ['啊这', '哈哈哈', '呃呃呃'], after: /先按“其他”登记/, skippable: true },
  { name: 'when', reach: ['我要投诉', '柜员把我的钱转错了账户'], question: /什么时候发生|没能看懂这个时间/, unusable: ['你们太过分了', '哈哈哈', '😡'], after: /时间先空着/, skippable: true },
  { name: 'amount', reach: ['我要投诉', '柜员把我的钱转错了账户', '前天上午'], question: /涉及的金额|金额看起来不太对/, unusable: ['不少', '很多', '😡'], after: /金额先空着/, skippable: true },
  { name: 'wish', reach: ['我要投诉', '柜员把我的钱转错了账户', '前天上午', '1200元'], question: /希望我们怎样处理|希望怎样处理/, unusable: ['😡', '……', '🙄'], after: /诉求先空着/, skippable: true },
  { name: 'contact', reach: ['我要投诉', '柜员把我的钱转错了账户', '前天上午', '1200元', '退款'], question: /手机号|号码好像不完整/, unusable: ['12345', '哈哈哈', '不告诉你'], after: /按匿名投诉登记/ },
  { name: 'consent', reach: ['我要投诉', '柜员把我的钱转错了账户', '前天上午', '1200元', '退款', '13812345678'], question: /您同意吗|请回复“同意”或“不同意”/, unusable: ['也许吧', '看情况', '再说吧'], after: /先不保存您的联系方式/ },
  { name: 'financialConsent', reach: ['昨天我尾号1234的卡被多扣了300元手续费，希望退款，电话13812345678', '同意'], question: /同意我们使用它吗|请回复“同意”或“不同意”/, unusable: ['也许吧', '看情况', '再说吧'], after: /先不使用您的账户信息/ },
  { name: 'confirm', reach: [STORY_FULL, '同意'], question: /请确认您的投诉信息/, unusable: ['呃呃呃', '啊这', '🙄'], after: /还没有提交/ },
  { name: 'editWhich', reach: [STORY_FULL, '同意', '修改信息'], question: /需要修改哪一项/, unusable: ['哈哈哈', '🙄', '啊这'], after: /回到投诉信息确认[\s\S]*请确认您的投诉信息/ },
];

describe('every intake prompt, three unusable answers', () => {
  it.each(prompts.map((p) => [p.name, p] as const))('%s: asked at most three times, a way forward after two, then the intake moves on', async (_name, p) => {
    const c = await customer();
    const reached = await sayAll(c, p.reach);
    expect(reached.text).toMatch(p.question);
    const replies = [reached.text];
    const [first, second, third] = p.unusable;
    replies.push(texts(await c.say(first)));
    expect(replies[1]).toMatch(p.question); // asked again, saying what was wrong
    const secondReply = await c.say(second);
    replies.push(texts(secondReply));
    expect(replies[2]).toMatch(p.question);
    expect(replies[2]).toMatch(WAY_FORWARD); // after two unusable answers: a person is offered …
    expect(buttons(secondReply)).toContain('人工');
    if (p.skippable) expect(replies[2]).toMatch(/跳过/); // … and leaving the question out
    replies.push(texts(await c.say(third)));
    expect(replies[3]).toMatch(p.after);
    expect(replies[3]).not.toMatch(p.question);
    // A fourth unusable answer does not bring the question back either.
    replies.push(texts(await c.say(p.unusable[0])));
    expect(count(replies, p.question)).toBeLessThanOrEqual(3);
  });

  it('keeps offering every way forward at the summary, never the summary a fourth time', async () => {
    const c = await customer();
    await sayAll(c, [STORY_FULL, '同意']);
    for (const nonsense of ['呃呃呃', '啊这', '🙄']) await c.say(nonsense);
    const stuck = await c.say('嗯嗯嗯嗯');
    expect(texts(stuck)).toMatch(/还没有提交/);
    expect(texts(stuck)).not.toMatch(/请确认您的投诉信息/);
    expect(buttons(stuck)).toEqual(['确认提交', '修改信息', '人工']);
    const done = await c.say('确认提交');
    expect(numberIn(texts(done))).not.toBe('');
  });

  it('a question left unanswered is recorded as not given, nothing invented, and the complaint is filed', async () => {
    const c = await customer();
    await sayAll(c, ['我要投诉', '柜员把我的钱转错了账户', '你们太过分了', '哈哈哈', '😡']);
    await sayAll(c, ['跳过']); // the amount question: "skip" leaves it out at once
    const summary = await sayAll(c, ['退款', '匿名']);
    expect(summary.text).not.toMatch(/时间：/);
    expect(summary.text).not.toMatch(/金额：/);
    const ticket = await t.app.tickets.get(numberIn(texts(await c.say('确认提交'))));
    expect(ticket.details.occurredAt).toBeUndefined();
    expect(ticket.details.occurredOn).toBeUndefined();
    expect(ticket.details.occurredText).toBeUndefined();
    expect(ticket.details.amount).toBeUndefined();
  });

  it('the same matter question: after three unusable answers the complaint is filed as a new one', async () => {
    const c = await customer();
    await sayAll(c, ['昨天被扣了300元年费，要求退还，电话13812345678', '同意']);
    const first = numberIn(texts(await c.say('确认提交')));
    await sayAll(c, ['今天又被扣了300元年费，要求全部退还，电话13812345678', '同意']);
    const asked = texts(await c.say('确认提交'));
    expect(asked).toMatch(/是同一件事吗/);
    const replies = [asked];
    for (const nonsense of ['哈哈哈', '🙄']) replies.push(texts(await c.say(nonsense)));
    expect(replies[2]).toMatch(WAY_FORWARD);
    const filed = texts(await c.say('啊这'));
    expect(filed).toMatch(/新的投诉登记/);
    const second = numberIn(filed);
    expect(second).not.toBe('');
    expect(second).not.toBe(first);
    expect(count([...replies, filed], /是同一件事吗/)).toBeLessThanOrEqual(3);
  });
});

describe('vague answers to the date question are answers', () => {
  const lastMonth = () => {
    const now = daytimeClock()();
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  };

  it.each([
    ['zh-CN', '不记得了'],
    ['zh-CN', '记不清了'],
    ['zh-CN', '前几天'],
    ['zh-CN', '大概上个月'],
    ['zh-TW', '記不清了'],
    ['en', "I don't remember"],
  ])('[%s] "%s" is recorded as said, with no day made up', async (locale, vague) => {
    const c = await customer(locale);
    const story = locale === 'en' ? 'The teller transferred my money to the wrong account' : locale === 'zh-TW' ? '櫃員把我的錢轉錯了帳戶' : '柜员把我的钱转错了账户';
    const asked = await sayAll(c, [locale === 'en' ? 'Make a complaint' : locale === 'zh-TW' ? '我要投訴' : '我要投诉', story]);
    expect(asked.text).toMatch(/什么时候|什麼時候|When did it happen/);
    const next = texts(await c.say(vague));
    expect(next).not.toMatch(/什么时候|什麼時候|When did it happen|could not read that time|沒能看懂|没能看懂/);
    const none = locale === 'en' ? 'none' : locale === 'zh-TW' ? '無' : '无';
    const anonymous = locale === 'en' ? 'anonymous' : '匿名';
    const summary = await sayAll(c, [none, locale === 'en' ? 'a refund' : '退款', anonymous]);
    expect(summary.text).toContain(vague === '大概上个月' ? '（大概上个月）' : vague);
    const ticket = await t.app.tickets.get(numberIn(texts(await c.say(locale === 'en' ? 'submit' : locale === 'zh-TW' ? '確認提交' : '确认提交'))));
    expect(ticket.details.occurredText).toBe(vague);
    expect(ticket.details.occurredAt).toBeUndefined();
    // "上个月" is a month, recorded as that month and never as its first day.
    expect(ticket.details.occurredOn).toBe(vague === '大概上个月' ? lastMonth() : undefined);
  });
});
