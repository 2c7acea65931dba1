/**
 * Extraction over realistic complaint sentences (written by the team, not the
 * tuning data): each row says what must be found. "now" is Monday
 * 2026-11-23 10:00 in Shanghai.
 */
import { ComplaintExtractor } from '../../bot/intake/extract';
import { loadContent } from '../../bot/content/loader';
import { localDate } from '../../bot/tickets/calendar';
import type { SupportedLocale } from '../../bot/content/schemas';

const policy = loadContent().complaints;
const extractor = new ComplaintExtractor(policy);
const NOW = new Date('2026-11-23T10:00:00+08:00');
const day = (iso?: string) => (iso ? localDate(new Date(iso), 'Asia/Shanghai') : undefined);

interface Row {
  text: string;
  locale?: SupportedLocale;
  category?: string;
  amount?: number;
  currency?: string;
  date?: string;
  phone?: string;
  cardTail?: string;
  branch?: string;
  wish?: RegExp;
  pii?: string[];
  /** Fields that must stay empty (nothing there to find). */
  none?: Array<'category' | 'amount' | 'occurredAt' | 'phone' | 'cardTail' | 'branch' | 'wish'>;
}

const rows: Row[] = [
  { text: '我昨天下午在陆家嘴支行ATM取款5000元，钱没出来但卡里扣了，希望尽快退款', category: 'equipment', amount: 5000, date: '2026-11-22', branch: 'sh-lujiazui', wish: /尽快退款/ },
  { text: '上周五转账两千元给我妈，到现在还没到账', category: 'business_error', amount: 2000, date: '2026-11-20' },
  { text: '11月20日在徐家汇支行办业务，柜员态度很差，一直不耐烦', category: 'service_attitude', date: '2026-11-20', branch: 'sh-xujiahui' },
  { text: '信用卡被盗刷了三万元，尾号1234，请马上冻结', category: 'fraud', amount: 30000, cardTail: '1234', wish: /马上冻结/ },
  { text: '你们乱收年费，扣了我300元，要求退还', category: 'fees', amount: 300, wish: /退还/ },
  { text: '买的理财产品亏损了五万，当时客户经理说保本，没说风险', category: 'product_misselling', amount: 50000 },
  { text: '手机银行一直闪退，登录不了，已经两天了', category: 'equipment' },
  { text: '在国贸支行排队等了两个小时，窗口只开了一个', category: 'waiting', branch: 'bj-guomao' },
  { text: '我的个人信息被泄露了，天天接到骚扰电话', category: 'privacy' },
  { text: '前天晚上八点被扣了两次款，每次199元', category: 'business_error', amount: 199, date: '2026-11-21' },
  { text: '今天上午在中关村支行取号后没人理我', branch: 'bj-zhongguancun', date: '2026-11-23' },
  { text: '我的电话是13812345678，请尽快联系我', phone: '13812345678', wish: /尽快联系我/ },
  { text: '联系电话 021-62345678', phone: '021-62345678' },
  { text: '请打 +86 139 1234 5678 找我', phone: '13912345678' },
  { text: '卡号6222021234567890123被扣了500元', amount: 500, cardTail: '0123', pii: ['card'] },
  { text: '身份证110101199003071234，请帮我查一下', pii: ['id'] },
  { text: '我的密码是123456，是不是被人知道了', pii: ['password'] },
  { text: '¥5,000 disappeared from my account yesterday', locale: 'en', amount: 5000, currency: 'CNY', date: '2026-11-22' },
  { text: 'I was charged twice for the same purchase last Friday, 5k yuan each time', locale: 'en', category: 'business_error', amount: 5000, date: '2026-11-20' },
  { text: 'The staff at Futian branch were rude to my mother yesterday afternoon', locale: 'en', category: 'service_attitude', branch: 'sz-futian', date: '2026-11-22' },
  { text: 'Someone used my card without permission, this is fraud. I want my money back.', locale: 'en', category: 'fraud', wish: /my money back/ },
  { text: 'The ATM swallowed my card at Tianhe branch', locale: 'en', category: 'equipment', branch: 'gz-tianhe' },
  { text: 'Your app crashes every time I log in, please fix it', locale: 'en', category: 'equipment', wish: /fix it/ },
  { text: 'I paid a $20 annual fee I never agreed to', locale: 'en', category: 'fees', amount: 20, currency: 'USD' },
  { text: 'My card ending in 4321 was charged 1,200 yuan on 20 November', locale: 'en', amount: 1200, cardTail: '4321', date: '2026-11-20' },
  { text: '我的信用卡被盜刷了兩千元，尾號8888，希望銀行賠償', locale: 'zh-TW', category: 'fraud', amount: 2000, cardTail: '8888', wish: /銀行賠償/ },
  { text: '昨天下午在陸家嘴支行，櫃員態度很差', locale: 'zh-TW', category: 'service_attitude', date: '2026-11-22', branch: 'sh-lujiazui' },
  { text: '上週五轉帳一萬元沒到賬', locale: 'zh-TW', category: 'business_error', amount: 10000, date: '2026-11-20' },
  { text: '手續費收太多了，扣了我五十元', locale: 'zh-TW', category: 'fees', amount: 50 },
  { text: '基金虧損了，當初說保本', locale: 'zh-TW', category: 'product_misselling' },
  { text: '排隊等太久了', locale: 'zh-TW', category: 'waiting' },
  { text: '電話 0755-88889999 找我', locale: 'zh-TW', phone: '0755-88889999' },
  { text: '我的信用卡被盜刷了兩千元，尾號8888，希望銀行賠償，電話0755-88889999', locale: 'zh-TW', category: 'fraud', amount: 2000, cardTail: '8888', phone: '0755-88889999', date: 'none' },
  { text: '个人信息被泄露了，我要找律师起诉你们', category: 'privacy' },
  // A threat is neither a wish nor a category; nothing personal in it, so the text is kept as it is.
  { text: '你们不解决我就找记者曝光', none: ['category', 'amount', 'occurredAt', 'phone', 'cardTail', 'branch', 'wish'] },
  { text: '转账转错了，多扣了一千二百元', category: 'business_error', amount: 1200 },
  { text: '前天我在柜台办业务，等了一个多小时', category: 'waiting', date: '2026-11-21' },
  { text: '本月15号扣了我88元服务费，我不知情', category: 'fees', amount: 88, date: '2026-11-15' },
  { text: '上个月被骗了两万块', category: 'fraud', amount: 20000 },
  { text: '保险是银行员工推销的，说是存款，现在取不出来，要求全额退款', category: 'product_misselling', wish: /全额退款/ },
  { text: '卡被吞了，ATM在福田支行门口', category: 'equipment', branch: 'sz-futian' },
  { text: '希望给我一个合理的解释', wish: /合理的解释/ },
  { text: '你们的服务差到极点，我要求道歉', category: 'service_attitude', wish: /道歉/ },
  { text: '退款！', wish: /refund/ },
];

describe('complaint extraction', () => {
  it('has at least 40 sentences', () => expect(rows.length).toBeGreaterThanOrEqual(40));

  it.each(rows.map((r) => [r.text, r] as const))('%s', (_text, row) => {
    const found = extractor.extract(row.text, row.locale ?? 'zh-CN', NOW);
    if (row.category) expect(found.category).toBe(row.category);
    if (row.amount !== undefined) expect(found.amount).toEqual({ value: row.amount, currency: row.currency ?? 'CNY' });
    if (row.date === 'none') expect(found.occurredAt).toBeUndefined(); // a phone number is not a date
    else if (row.date) expect(day(found.occurredAt)).toBe(row.date);
    if (row.phone) expect(found.phone).toBe(row.phone);
    if (row.cardTail) expect(found.cardTail).toBe(row.cardTail);
    if (row.branch) expect(found.branch).toBe(row.branch);
    if (row.wish) expect(found.wish).toMatch(row.wish);
    for (const field of row.none ?? []) expect([field, found[field]]).toEqual([field, undefined]);
    if (!row.pii) expect(found.piiFound.filter((k) => k !== 'phone')).toEqual([]);
    // Nothing personal expected: nothing may be masked either.
    if (!row.pii && !row.phone) expect(found.maskedText).toBe(row.text);
    for (const kind of row.pii ?? []) {
      expect(found.piiFound).toContain(kind);
      expect(found.maskedText).not.toMatch(/\d{12,}|123456/);
    }
  });

  it('never takes a time of day or a duration for a date (and never throws on one)', () => {
    // "快一点" reads as one o'clock to the recognizer; this sentence used to crash the turn.
    expect(() => extractor.extract('转账一直没到账，希望你们快一点处理', 'zh-CN', NOW)).not.toThrow();
    expect(extractor.when('转账一直没到账，希望你们快一点处理', 'zh-CN', NOW).occurredAt).toBeUndefined();
    expect(extractor.when('等了两个小时', 'zh-CN', NOW).occurredAt).toBeUndefined();
  });

  it('flags a date in the future', () => {
    expect(extractor.when('明天下午', 'zh-CN', NOW).occurredInFuture).toBe(true);
  });

  it('finds nothing in emoji', () => {
    const found = extractor.extract('😡😡😡', 'zh-CN', NOW);
    expect([found.category, found.amount, found.occurredAt, found.phone]).toEqual([undefined, undefined, undefined, undefined]);
  });
});
