/**
 * Scripted complaint intakes with the real bot over Direct Line and Redis, in
 * all three languages: everything in one message, step by step, corrections,
 * the global commands at every step, resuming after a restart and after a
 * day's silence, bad input. Prints the average number of questions for
 * complete first messages (target ≤ 2: consent and confirmation).
 */
import { daytimeClock, startTestApp, type TestApp } from '../support/harness';
import { ScriptedCustomer, buttons, texts } from '../support/conversation';
import { addCalendarDays, localDate } from '../../bot/tickets/calendar';

let clockOffsetMs = 0;
const daytime = daytimeClock();
const now = () => new Date(daytime().getTime() + clockOffsetMs);

async function customer(t: TestApp, locale: string): Promise<ScriptedCustomer> {
  const c = await ScriptedCustomer.start(t, locale);
  await c.greeting();
  return c;
}

/** A test on an app of its own (its own clock or state), closed afterwards whatever happens. */
async function withApp(run: (t: TestApp) => Promise<void>, options: Parameters<typeof startTestApp>[0] = {}): Promise<void> {
  const t = await startTestApp(options);
  try {
    await run(t);
  } finally {
    await t.close();
  }
}

const questionsOf = async (t: TestApp, number: string) =>
  Number(/after (\d+) questions/.exec((await t.app.tickets.get(number)).audit.map((a) => a.note ?? '').join(' '))?.[1]);
const numberIn = (s: string) => /TS-\d{8}-\d{4}/.exec(s)?.[0] ?? '';

describe('complaint intake', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now });
  });
  afterAll(() => t.close());
  beforeEach(() => (clockOffsetMs = 0));

  const complete: [string, string, string, string][] = [
    ['zh-CN', '我昨天下午在陆家嘴支行ATM取款5000元，钱没出来但卡里扣了，希望尽快退款，电话13812345678', '同意', '确认提交'],
    ['zh-CN', '上周五在国贸支行，柜员态度很差一直不耐烦，我要求道歉，手机13912345678', '同意', '确认提交'],
    ['zh-TW', '我昨天下午在陸家嘴支行轉帳兩千元沒到賬，希望盡快處理，電話13712345678', '同意', '確認提交'],
    ['en', 'Yesterday afternoon I was charged twice, 500 yuan each time, at Futian branch. I want a refund. My number is 13612345678', 'agree', 'submit'],
  ];

  const measured: number[] = [];
  afterAll(() => {
    const avg = measured.reduce((a, b) => a + b, 0) / measured.length;
    console.log(`intake questions when the first message holds everything: average ${avg.toFixed(2)} over ${measured.length} conversations (${measured.join(', ')})`);
  });

  it.each(complete)('[%s] takes everything from one message and asks only consent and confirmation', async (locale, story, agree, submit) => {
    const c = await customer(t, locale);
    const first = await c.say(story);
    expect(texts(first)).toMatch(/同意|agree/i);
    const summary = await c.say(agree);
    expect(texts(summary)).toMatch(/\*\*\*\*5678/); // the phone comes back masked
    expect(texts(summary)).not.toMatch(/\d{11}/);
    const done = await c.say(submit);
    const number = numberIn(texts(done));
    expect(number).not.toBe('');
    const ticket = await t.app.tickets.get(number);
    expect(ticket.customer.phone).toMatch(/^1[3-9]\d{9}$/);
    expect(ticket.details.wish).toBeTruthy();
    expect(ticket.details.occurredAt).toBeTruthy();
    const q = await questionsOf(t, number);
    measured.push(q);
    expect(q).toBeLessThanOrEqual(2);
  });

  it('[zh-CN] asks step by step, one question per turn', async () => {
    const c = await customer(t, 'zh-CN');
    expect(texts(await c.say('我要投诉'))).toMatch(/说说发生了什么/);
    expect(texts(await c.say('柜员把我的钱转错了账户'))).toMatch(/什么时候发生/);
    expect(texts(await c.say('明天'))).toMatch(/还没到/); // a future date is re-asked
    expect(texts(await c.say('前天上午'))).toMatch(/涉及的金额/);
    expect(texts(await c.say('1000000000000000元'))).toMatch(/金额看起来不太对/); // absurd
    expect(texts(await c.say('1200元'))).toMatch(/希望我们怎样处理/);
    expect(texts(await c.say('😡😡😡'))).toMatch(/能用几个字说说/); // emoji alone are not a wish we can record
    expect(texts(await c.say('把钱退回来'))).toMatch(/留下您的手机号/);
    expect(texts(await c.say('12345'))).toMatch(/号码好像不完整/);
    const consent = await c.say('13812345678');
    expect(texts(consent)).toMatch(/您同意吗/);
    expect(buttons(consent)).toEqual(['同意', '不同意']);
    expect(texts(await c.say('也许吧'))).toMatch(/请回复“同意”或“不同意”/);
    const summary = await c.say('同意');
    expect(texts(summary)).toMatch(/金额：¥1,200.00/);
    const number = numberIn(texts(await c.say('确认提交')));
    const ticket = await t.app.tickets.get(number);
    expect(ticket.details.amount).toEqual({ value: 1200, currency: 'CNY' });
    expect(ticket.details.category).toBe('business_error');
  });

  it('[zh-CN] records a long story as told: both axes, a period of months, the disputed amount, the lender; routed by line', async () => {
    const c = await customer(t, 'zh-CN');
    const story = '我2021年6月在海川消费金融办了分期贷款，借了2万元，7月开始每月被多收200元服务费，10月又多收了一次。希望退还多收的费用，电话13812345678';
    expect(texts(await c.say(story))).toMatch(/您同意吗/); // nothing asked but consent
    const summary = texts(await c.say('同意'));
    expect(summary).toMatch(/类别：贷款，收费和利息\n/);
    expect(summary).toMatch(/时间：2021年6月至2021年10月\n/); // months stay months: never "6月1日"
    expect(summary).toMatch(/金额：¥200.00\n/); // the disputed sum, not the loan
    expect(summary).toMatch(/涉及机构：海川消费金融\n/);
    const ticket = await t.app.tickets.get(numberIn(texts(await c.say('确认提交'))));
    expect(ticket.details).toMatchObject({ line: 'loans', reason: 'pricing', occurredOn: '2021-06', occurredUntil: '2021-10', thirdParty: '海川消费金融', amount: { value: 200, currency: 'CNY' } });
    expect(ticket.details.occurredAt).toBeUndefined();
    expect(ticket.department).toBe('retail_credit'); // the loans department, not the fee category's
  });

  it('[zh-CN] starts a complaint from a short angry message', async () => {
    const c = await customer(t, 'zh-CN');
    const replies = await c.say('我要投诉你们！');
    expect(texts(replies)).toMatch(/很抱歉遇到这样的事[\s\S]*请您简单说说发生了什么/);
    expect(texts(await c.say('转错账了'))).toMatch(/什么时候发生/); // a short answer to "what happened?" is taken (and names the category)
  });

  it('[en] step by step with a category pick and an anonymous complaint', async () => {
    const c = await customer(t, 'en');
    expect(texts(await c.say('Make a complaint'))).toMatch(/what happened/);
    const cat = await c.say('Something went badly wrong at the counter today');
    // Neither a business line nor a reason in the story: the question offers the likeliest reasons, then "Other".
    expect(texts(cat)).toMatch(/What is this mainly about/);
    expect(buttons(cat)).toHaveLength(4);
    expect(buttons(cat).at(-1)).toBe('Other');
    // A category named in words (here the name of a nature category) is understood as well as a button.
    expect(texts(await c.say('Staff attitude'))).toMatch(/How would you like us to resolve/);
    expect(texts(await c.say('An apology from the manager'))).toMatch(/mobile or landline/);
    const summary = await c.say('anonymous');
    expect(texts(summary)).toMatch(/Contact: anonymous/);
    const done = await c.say('submit');
    expect(texts(done)).toMatch(/Anonymous complaints get no updates/);
    const ticket = await t.app.tickets.get(numberIn(texts(done)));
    expect(ticket.customer.anonymous).toBe(true);
    expect(ticket.customer.phone).toBeUndefined();
  });

  it('[zh-TW] corrects the phone number and the amount by saying so', async () => {
    const c = await customer(t, 'zh-TW');
    await c.say('昨天下午在陸家嘴支行被多扣了500元手續費，希望退還，電話13812345678');
    await c.say('同意');
    const ask = await c.say('電話寫錯了');
    expect(texts(ask)).toMatch(/手機號碼/);
    const consent = await c.say('13987654321');
    expect(texts(consent)).toMatch(/您同意嗎/);
    const summary = await c.say('同意');
    expect(texts(summary)).toMatch(/139\*\*\*\*4321/);
    const changed = await c.say('金額改成300元');
    expect(texts(changed)).toMatch(/¥300/);
    const number = numberIn(texts(await c.say('確認提交')));
    const ticket = await t.app.tickets.get(number);
    expect(ticket.customer.phone).toBe('13987654321');
    expect(ticket.details.amount?.value).toBe(300);
  });

  it('[en] changes the amount in one sentence', async () => {
    const c = await customer(t, 'en');
    await c.say('Yesterday I was charged a 50 yuan fee I never agreed to. I want a refund. Call me on 13812345678');
    await c.say('agree');
    expect(texts(await c.say('change the amount to 30 yuan'))).toMatch(/CN¥30|¥30/);
  });

  it('hides a full card number or password and says why, and asks separately before using account details', async () => {
    const c = await customer(t, 'zh-CN');
    const first = await c.say('我的卡6222021234567890123昨天被盗刷了2000元，密码是123456，希望退款，电话13812345678');
    expect(texts(first)).toMatch(/已自动隐藏/);
    expect(texts(first)).not.toMatch(/6222021234567890123|123456/);
    await c.say('同意');
    const financial = await c.say('同意');
    expect(texts(financial)).toMatch(/请确认/); // the second 同意 answered the account-data question
    const done = await c.say('确认提交');
    const ticket = await t.app.tickets.get(numberIn(texts(done)));
    expect(JSON.stringify(ticket)).not.toMatch(/6222021234567890123|123456[^0-9]/);
    // Not in the web transcript either: the customer's own message is kept masked.
    const transcript = JSON.stringify(await c.transcript());
    expect(transcript).not.toMatch(/6222021234567890123|密码是123456/);
    expect(transcript).toContain('****0123');
    expect(ticket.details.cardTail).toBe('0123');
    expect(ticket.consent.financialData?.given).toBe(true);
  });

  it.each([
    ['help', '帮助', /您随时可以发送/],
    ['talk to a person', '转人工', /安排人工回电|致电/],
  ])('keeps the intake when the customer asks for %s at every step', async (_name, word, expected) => {
    const c = await customer(t, 'zh-CN');
    const steps = ['我要投诉', '柜员把钱转错了', '前天上午', '1200元', '退回来', '13812345678', '同意'];
    let last = await c.say(steps[0]!);
    const lastSentence = (s: string) => s.split('\n').filter(Boolean).at(-1)!.split('。').filter(Boolean).at(-1)!;
    for (const answer of steps.slice(1)) {
      const question = lastSentence(texts(last));
      let during = await c.say(word);
      // The first call-back request asks for a number; after that it is remembered.
      if (/请留下您的电话号码/.test(texts(during))) during = await c.say('13812345678');
      expect(texts(during)).toMatch(expected);
      // The same question is asked again: nothing was lost.
      expect(lastSentence(texts(during))).toBe(question);
      last = await c.say(answer);
    }
    expect(texts(last)).toMatch(/请确认您的投诉信息/);
  });

  it('cancels at any step and returns to the menu', async () => {
    for (let stop = 1; stop <= 4; stop++) {
      const c = await customer(t, 'zh-CN');
      const steps = ['我要投诉', '柜员把钱转错了', '前天上午', '1200元'];
      for (const answer of steps.slice(0, stop)) await c.say(answer);
      const cancelled = await c.say('取消');
      expect(texts(cancelled)).toMatch(/已为您取消/);
      expect(buttons(cancelled)).toContain('我要投诉');
    }
  });

  it('offers to continue a half-finished complaint after 30 minutes of silence, not before', async () => {
    const c = await customer(t, 'zh-CN');
    await c.say('我要投诉');
    expect(texts(await c.say('网点的ATM吞了我的卡'))).toMatch(/什么时候发生/);
    clockOffsetMs = 29 * 60_000; // 29 minutes later: the answer is simply taken
    const taken = await c.say('前天上午');
    expect(texts(taken)).not.toMatch(/还没有提交完成/);
    expect(texts(taken)).toMatch(/希望我们怎样处理|涉及的金额/);
    clockOffsetMs += 31 * 60_000; // 31 minutes after that answer: offered to continue
    const resume = await c.say('在吗');
    expect(texts(resume)).toMatch(/还没有提交完成/);
    expect(texts(await c.say('继续'))).toMatch(/希望我们怎样处理|涉及的金额/);
  });

  it('merges a second complaint about the same matter into the open one, restarting its clocks', async () => {
    const c = await customer(t, 'zh-CN');
    await c.say('昨天被扣了300元年费，要求退还，电话13812345678');
    await c.say('同意');
    const first = numberIn(texts(await c.say('确认提交')));
    const before = (await t.app.tickets.get(first)).clocks;
    clockOffsetMs = 3 * 86_400_000; // new facts three days later
    await c.say('今天又被扣了300元年费，要求全部退还，电话13812345678');
    await c.say('同意');
    const ask = await c.say('确认提交');
    expect(texts(ask)).toMatch(new RegExp(`同类投诉（编号 ${first}）`));
    const merged = await c.say('是的');
    expect(texts(merged)).toMatch(/已补充到投诉/);
    const ticket = await t.app.tickets.get(first);
    expect(ticket.mergedMessages).toBe(1);
    expect(ticket.details.description).toMatch(/今天又被扣了/);
    // The regulatory clock runs again from the merge: 15 calendar days from that day.
    const day = (iso: string) => localDate(new Date(iso), 'Asia/Shanghai');
    expect(Date.parse(ticket.clocks.regulatoryStart) - Date.parse(before.regulatoryStart)).toBeGreaterThanOrEqual(3 * 86_400_000);
    expect(day(ticket.clocks.regulatoryDue)).toBe(addCalendarDays(day(ticket.clocks.regulatoryStart), 15));
    expect(ticket.clocks.internalDue > before.internalDue).toBe(true);
  });
});

describe('progress and withdrawal', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function file(c: ScriptedCustomer, story: string): Promise<string> {
    await c.say(story);
    await c.say('同意');
    return numberIn(texts(await c.say('确认提交')));
  }

  it("lists the customer's own complaints and answers someone else's number like an unknown one", async () => {
    const alice = await customer(t, 'zh-CN');
    const bob = await customer(t, 'zh-CN');
    expect(texts(await bob.say('查询投诉进度'))).toMatch(/没有投诉记录/);
    const number = await file(alice, '昨天在天河支行排队等了两个小时，希望增加窗口，电话13812345678');
    const list = await alice.say('查询投诉进度');
    expect(texts(list)).toMatch(new RegExp(`${number}｜排队等候｜已收到｜预计 .+ 前答复`));
    expect(texts(await alice.say(number))).toMatch(new RegExp(`投诉 ${number}\n类别：排队等候\n状态：已收到`));
    const foreign = texts(await bob.say(number));
    const unknown = texts(await bob.say('TS-20200101-0001'));
    expect(foreign.split('\n')[0]).toBe(unknown.split('\n')[0]);
    expect(foreign).toMatch(/没有找到这个编号/);
  });

  it('withdraws a complaint after confirmation and keeps the record', async () => {
    const c = await customer(t, 'zh-CN');
    const number = await file(c, '昨天被多扣了200元手续费，要求退还，电话13812345678');
    const confirm = await c.say('撤销投诉');
    expect(texts(confirm)).toMatch(new RegExp(`确定要撤销投诉 ${number} 吗`));
    expect(texts(await c.say('确定撤销'))).toMatch(/已撤销/);
    const ticket = await t.app.tickets.get(number);
    expect(ticket.status).toBe('withdrawn');
    expect(ticket.audit.at(-1)).toMatchObject({ by: 'customer', to: 'withdrawn' });
    expect(texts(await c.say('撤销投诉'))).toMatch(/没有可以撤销的投诉/);
  });

  it('keeps a complaint open when the customer changes their mind', async () => {
    const c = await customer(t, 'en');
    await c.say('Yesterday the ATM at Tianhe branch swallowed my card. I want it back today. My number is 13812345678');
    await c.say('agree');
    const number = numberIn(texts(await c.say('submit')));
    await c.say('Withdraw a complaint');
    expect(texts(await c.say('Keep it open'))).toMatch(/keep handling/);
    expect((await t.app.tickets.get(number)).status).toBe('received');
  });

  it('takes a 5,000-character account and refuses a longer one politely', async () => {
    const c = await customer(t, 'zh-CN');
    const long = `昨天下午在陆家嘴支行柜台转账被多扣了500元手续费，希望退还，电话13812345678。${'详细经过'.repeat(1240)}`.slice(0, 5000);
    expect(texts(await c.say(long))).toMatch(/您同意吗/);
    const c2 = await customer(t, 'zh-CN');
    expect(texts(await c2.say(`${long}多`))).toMatch(/超过 5000 个字/);
  });
});

describe('intake across a restart', () => {
  it('continues where the customer left off on a new instance', async () => {
    const a = await startTestApp();
    const c = await ScriptedCustomer.start(a, 'zh-CN');
    await c.greeting();
    await c.say('我要投诉');
    expect(texts(await c.say('手机银行转账失败但是钱被扣了'))).toMatch(/什么时候发生/);
    // The first instance goes away; a new one on the same Redis takes the next message.
    await a.app.close();
    const b = await startTestApp({ prefix: a.prefix });
    try {
      const next = await c.via(b).say('昨天');
      expect(texts(next)).toMatch(/怎样处理/); // the date was taken; the wish comes next
    } finally {
      await b.close();
      await a.backend.close();
    }
  });
});

describe('editing through the "change something" choice', () => {
  it('lets the customer pick the field to change', async () => {
    await withApp(async (t) => {
      const c = await customer(t, 'zh-CN');
      await c.say('昨天在福田支行柜员态度很差，我要求道歉，电话13812345678');
      await c.say('同意');
      const which = await c.say('修改信息');
      expect(buttons(which)).toEqual(['经过', '类别', '时间', '金额', '诉求', '电话']);
      expect(texts(await c.say('诉求'))).toMatch(/希望我们怎样处理/);
      const summary = await c.say('请支行行长当面道歉');
      expect(texts(summary)).toMatch(/诉求：请支行行长当面道歉/);
    });
  });
});

describe('telling the customer what happens to their complaint', () => {
  it('posts status changes, extensions with their reason, and pauses into the web conversation', async () => {
    await withApp(async (t) => {
      const c = await customer(t, 'zh-CN');
      await c.say('上周五转账两千元一直没到账，希望尽快查清，电话13812345678');
      await c.say('同意');
      const number = numberIn(texts(await c.say('确认提交')));
      await t.app.tickets.transition(number, 'accepted', 'staff:zhang');
      await t.app.tickets.extend(number, 'manager:li', '需要向收款银行调取交易记录');
      await t.app.tickets.pause(number, 'staff:zhang', '等待第三方机构出具核查结果');
      const told = (await c.transcript()).filter((a) => a.from.role === 'bot' && !a.replyToId).map((a) => a.text);
      expect(told).toEqual([
        expect.stringMatching(new RegExp(`关于您的投诉 ${number}：目前状态为“已受理”`)),
        expect.stringMatching(/由于需要向收款银行调取交易记录，处理时限延长至 .+。/),
        expect.stringMatching(/需要等待第三方机构出具核查结果，这段时间不计入处理时限/),
      ]);
    });
  });
});

describe('changing an optional field', () => {
  it('asks for the amount when the customer chooses to change it, even where it is optional', async () => {
    await withApp(async (t) => {
      const c = await customer(t, 'en');
      const first = await c.say('Yesterday afternoon the ATM at Tianhe branch swallowed my card and charged me 200 yuan. I want the money back. My number is 13812345678');
      expect(texts(first)).toMatch(/Do you agree/);
      const summary = await c.say('agree');
      expect(texts(summary)).toMatch(/You would like: the money back\n/);
      await c.say('Change something');
      expect(texts(await c.say('Amount'))).toMatch(/What amount is involved/);
      expect(texts(await c.say('300 yuan'))).toMatch(/Amount: CN¥300.00/);
      // Something that is neither a field nor a value changes nothing: the summary is shown again as it was.
      expect(texts(await c.say('hmm'))).toMatch(/Amount: CN¥300.00/);
    });
  });
});

describe('appeals', () => {
  const answer = (findings: string, name: string) => ({
    findings, accountability: '已复核收费规则', correctiveAction: '已修正收费规则', customerSatisfied: 'unknown' as const,
    handledAt: new Date().toISOString(), handler: { name, contact: '021-12345678' },
  });

  it('reopens an answered complaint for a different handler, who answers within 10 days', async () => {
    // A clock that moves only when the test moves it, so the window's boundaries are exact.
    let clock = new Date('2026-11-23T10:00:00+08:00');
    await withApp(async (t) => {
      const c = await customer(t, 'zh-CN');
      await c.say('昨天在陆家嘴支行被多扣了300元手续费，要求退还，电话13812345678');
      await c.say('同意');
      const number = numberIn(texts(await c.say('确认提交')));
      expect(texts(await c.say(`申请复核 ${number}`))).toMatch(/还在处理中/);
      for (const to of ['accepted', 'assigned', 'in_progress'] as const) await t.app.tickets.transition(number, to, 'staff:zhang');
      await t.app.tickets.transition(number, 'resolved', 'staff:zhang', 'answered', answer('系统重复收费', '张明'));
      expect(texts(await c.say(number))).toMatch(new RegExp(`申请复核 ${number}`)); // the answer's detail offers the appeal
      clock = new Date('2026-11-25T16:00:00+08:00'); // the appeal two days later
      expect(texts(await c.say(`申请复核 ${number}`))).toMatch(/哪里不满意/);
      const done = texts(await c.say('只退了一半，也没有说明原因'));
      expect(done).toMatch(new RegExp(`投诉 ${number} 将由另一位处理人员重新调查`));
      const ticket = await t.app.tickets.get(number);
      expect(ticket.status).toBe('reopened');
      expect(ticket.audit.at(-1)).toMatchObject({ by: 'customer', to: 'reopened', note: 'appeal: 只退了一半，也没有说明原因' });
      // The appeal's own limit: 10 calendar days from the day it was made (25 Nov → 5 Dec), and that is the date promised.
      expect(ticket.clocks.regulatoryLimitDays).toBe(10);
      expect(ticket.clocks.regulatoryStart).toBe(clock.toISOString());
      expect(localDate(new Date(ticket.clocks.regulatoryDue), 'Asia/Shanghai')).toBe('2026-12-05');
      expect(localDate(new Date(ticket.clocks.internalDue), 'Asia/Shanghai')).toBe('2026-12-05');
      expect(done).toMatch(/2026年12月5日|12月5日/);
    }, { now: () => clock });
  });

  it('takes an appeal up to 30 days after the answer (29 and 30 days), not at 31', async () => {
    let clock = new Date('2026-11-23T10:00:00+08:00');
    await withApp(async (t) => {
      const c = await customer(t, 'zh-CN');
      await c.say('昨天在陆家嘴支行被多扣了300元手续费，要求退还，电话13812345678');
      await c.say('同意');
      const number = numberIn(texts(await c.say('确认提交')));
      for (const to of ['accepted', 'assigned', 'in_progress'] as const) await t.app.tickets.transition(number, to, 'staff:li');
      await t.app.tickets.transition(number, 'resolved', 'staff:li', 'answered', answer('已全额退还', '李华'));
      const answeredAt = clock.getTime();
      for (const days of [29, 30]) {
        clock = new Date(answeredAt + days * 86_400_000);
        expect([days, texts(await c.say(`复核 ${number}`))]).toEqual([days, expect.stringMatching(/哪里不满意/)]);
        expect(texts(await c.say('取消'))).toMatch(/已为您取消/); // leave it unappealed for the next day
      }
      clock = new Date(answeredAt + 31 * 86_400_000);
      expect(texts(await c.say(`复核 ${number}`))).toMatch(/超过 30 天/);
      expect((await t.app.tickets.get(number)).status).toBe('resolved');
    }, { now: () => clock });
  });
});
