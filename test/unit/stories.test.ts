/**
 * Long complaint stories as customers tell them — several dates, several sums,
 * a lender or a collection agency — written by the team (not the tuning data).
 * Each says what the intake must record: the business line and the reason, when
 * (no finer than said: a month stays a month, several dates make a period), the
 * disputed amount rather than the loan or the salary, and who else is involved.
 * "Now" is Monday 2026-11-23 10:00 in Shanghai.
 */
import { loadContent } from '../../bot/content/loader';
import { ComplaintExtractor } from '../../bot/intake/extract';
import { absorb, nextStep, type IntakeRecord } from '../../bot/intake/record';
import { localDate } from '../../bot/tickets/calendar';
import type { SupportedLocale } from '../../bot/content/schemas';

const policy = loadContent().complaints;
const extractor = new ComplaintExtractor(policy);
const NOW = new Date('2026-11-23T10:00:00+08:00');

interface Story {
  text: string;
  locale: SupportedLocale;
  line?: string | null;
  reason: string;
  /** As given ("2021-06"), and the end of the period when several dates are told. */
  on?: string | null;
  until?: string;
  amount?: number | null;
  thirdParty?: RegExp;
}

const stories: Story[] = [
  {
    text: '我2021年6月在你们银行办了信用卡，当时业务员说免年费。结果7月开始每个月扣年费，10月又扣了一次，一共被扣了600元。我每月工资8000元，希望退还年费。',
    locale: 'zh-CN', line: 'credit_card', reason: 'marketing', on: '2021-06', until: '2021-10', amount: 600,
  },
  {
    text: '去年我在海川消费金融借了3万元，分24期，每期还1500元。今年3月开始逾期，从5月10日起第三方催收公司天天打电话给我父母和同事，还威胁要上门。我要求停止骚扰。',
    locale: 'zh-CN', line: 'loans', reason: 'collection', on: '2025', until: '2026-05-10', amount: null, thirdParty: /海川消费金融.*第三方催收公司/,
  },
  {
    text: '我的信用卡上个月15号被私自扣了199元会员费，我每月工资才5000元，要求退还。',
    locale: 'zh-CN', line: 'credit_card', reason: 'pricing', on: '2026-10-15', amount: 199,
  },
  {
    text: '2020年3月客户经理推荐我买了一份理财型保险，说保本，每年交保费1万元，已经交了3年。今年退保只能退2万2千元，损失了8000元。',
    locale: 'zh-CN', line: 'wealth_insurance', reason: 'marketing', on: '2020-03', until: '2026', amount: 8000,
  },
  {
    text: '3月5日我在手机银行给房东转账4500元，到现在还没到账，3月8日打客服电话说等三个工作日，到3月20日还是没有消息。',
    locale: 'zh-CN', line: 'payments', reason: 'service', on: '2026-03-05', until: '2026-03-20', amount: 4500,
  },
  {
    text: '前年9月我在平台上借了5000元，利息太高了，超过国家规定，已经多还了2300元，要求退还多收的利息。',
    locale: 'zh-CN', line: 'loans', reason: 'pricing', on: '2024-09', amount: 2300,
  },
  {
    text: '我去年8月在貴行辦了信用貸款，借了20萬，業務員推銷時說年利率只有3%，結果合約上寫的是12%，每月多繳了1500元利息。',
    locale: 'zh-TW', line: 'loans', reason: 'marketing', on: '2025-08', amount: 1500,
  },
  {
    text: '從今年1月起，外包催收公司每天打電話到我公司，還傳簡訊給我的家人，說要去我家。1月15日和2月3日各打了二十幾通。',
    locale: 'zh-TW', line: null, reason: 'collection', on: '2026-01', until: '2026-02-03', amount: null, thirdParty: /外包催收公司/,
  },
  {
    text: '上週五我發現我的個資外洩，有人冒用我的身分在網路上申請了信用卡。',
    locale: 'zh-TW', line: 'personal_info', reason: 'info_security', on: '2026-11-20', amount: null,
  },
  {
    text: '2022年3月我在泰安人壽買了年金險，合約條款寫明退保要扣七成，當時交了3萬元，現在只能拿回9000元。',
    locale: 'zh-TW', line: 'wealth_insurance', reason: 'contract', on: '2022-03', thirdParty: /泰安人寿|泰安人壽/,
  },
  {
    text: 'In March 2024 I took out a personal loan of 50,000 yuan. In June and again in September 2024 you charged me a 300 yuan service fee that was never in my contract. I want it back.',
    locale: 'en', line: 'loans', reason: 'pricing', on: '2024-03', until: '2024-09', amount: 300,
  },
  {
    text: 'A debt collector has been calling my employer and my relatives every day since 2 November about my credit card. I want the harassment to stop.',
    locale: 'en', line: 'credit_card', reason: 'collection', on: '2026-11-02', amount: null, thirdParty: /debt collector/,
  },
  {
    text: 'In August 2023 my savings account was frozen and the branch refused to unfreeze it unless I brought more paperwork.',
    locale: 'en', line: 'deposits', reason: 'rules', on: '2023-08', amount: null,
  },
];

describe('real complaint stories (team-written)', () => {
  it('covers every language with at least three stories each', () => {
    for (const locale of ['zh-CN', 'zh-TW', 'en']) expect(stories.filter((s) => s.locale === locale).length).toBeGreaterThanOrEqual(3);
  });

  it.each(stories.map((s) => [s.text.slice(0, 30), s] as const))('%s…', (_head, s) => {
    const found = extractor.extract(s.text, s.locale, NOW);
    if (s.line !== undefined) expect(found.line).toBe(s.line ?? undefined);
    expect(found.reason).toBe(s.reason);
    if (s.on !== undefined) expect(found.occurredOn).toBe(s.on ?? undefined);
    expect(found.occurredUntil).toBe(s.until);
    // An instant only when a day was given; a month or a year never becomes its first day.
    if (found.occurredOn && found.occurredOn.length < 10) expect(found.occurredAt).toBeUndefined();
    if (found.occurredOn?.length === 10) expect(localDate(new Date(found.occurredAt!), 'Asia/Shanghai')).toBe(found.occurredOn);
    if (s.amount !== undefined) expect(found.amount?.value).toBe(s.amount ?? undefined);
    if (s.thirdParty) expect(found.thirdParty).toMatch(s.thirdParty);
  });

  it('asks neither the category nor the date when the story gives them', () => {
    for (const s of stories) {
      const record: IntakeRecord = { evidence: [], texts: [] };
      const found = extractor.extract(s.text, s.locale, NOW);
      absorb(record, found);
      record.description = found.maskedText;
      expect([s.text.slice(0, 20), nextStep(record, policy)]).not.toEqual([s.text.slice(0, 20), 'category']);
      if (s.on) expect([s.text.slice(0, 20), nextStep(record, policy)]).not.toEqual([s.text.slice(0, 20), 'when']);
    }
  });
});

describe('dates as precise as the customer gave them', () => {
  const when = (text: string, locale: SupportedLocale = 'zh-CN') => extractor.when(text, locale, NOW);

  it.each([
    ['2021年6月', '2021-06', undefined],
    ['二〇二一年的事，具体是2021年6月', '2021-06', undefined],
    ['2021年6月办卡，7月和10月各扣了一次', '2021-06', '2021-10'],
    ['2019年在你们那里贷款，2019年3月10号放款', '2019-03-10', undefined],
    ['2022年', '2022', undefined],
    ['去年', '2025', undefined],
    ['上个月', '2026-10', undefined],
    ['三天前', '2026-11-20', undefined],
    ['两个月前', '2026-09', undefined],
    ['上周', '2026-11-16', '2026-11-22'],
    ['21年5月', '2021-05', undefined],
  ])('"%s" → %s … %s', (text, on, until) => {
    const found = when(text);
    expect(found.occurredOn).toBe(on);
    expect(found.occurredUntil).toBe(until);
    if (on.length < 10) expect(found.occurredAt).toBeUndefined();
  });

  it('reads a year alone neither from an amount nor from a duration', () => {
    expect(when('每月还1648元，总共36期').occurredOn).toBeUndefined();
    expect(when('信用卡用了三四年了').occurredOn).toBeUndefined();
    expect(when('利息高也就算了，每期还4/5百').occurredOn).toBeUndefined();
  });

  it('takes "15日前" as before the 15th, not fifteen days ago', () => {
    expect(when('按照协议每月15日前还款').occurredOn).toBeUndefined();
  });

  it('records a time without a date as said ("前几天", "最近")', () => {
    expect(when('前几天被扣了钱')).toEqual({ occurredText: '前几天' });
    expect(when('最近一直接到骚扰电话')).toEqual({ occurredText: '最近' });
  });

  it('reads English months as months', () => {
    expect(when('It started in June 2021 and went on until October 2021', 'en')).toMatchObject({ occurredOn: '2021-06', occurredUntil: '2021-10' });
  });
});

describe('the disputed amount', () => {
  const amount = (text: string, locale: SupportedLocale = 'zh-CN') => extractor.extract(text, locale, NOW).amount?.value;

  it.each([
    ['借了3万元，每期还1500元，第三期被多扣了120元', 120],
    ['月薪6000元，卡里被盗刷了2500元', 2500],
    ['我贷款10万元，手续费收了我800元', 800],
    ['每月还款2000元，一共借了5万元', undefined],
    ['I borrowed 20,000 yuan and was overcharged 450 yuan in fees', 450],
  ] as const)('%s → %s', (text, expected) => {
    expect(amount(text, /[a-z]/i.test(text[0]!) ? 'en' : 'zh-CN')).toBe(expected);
  });

  it('never takes a phone number, a date or a count for a sum', () => {
    expect(amount('2021年3月打了13812345678十几次，被扣了两次')).toBeUndefined();
  });
});
