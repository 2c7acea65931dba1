/**
 * A corpus of what masking must catch and what it must leave alone, in
 * simplified and traditional Chinese and English, with the ways people (and
 * keyboards) write numbers: full-width digits, dots, dashes, double spaces,
 * zero-width characters. Rows that must survive are checked with the kinds the
 * transcript never keeps (card, ID, password) so a phone number in them may stay.
 */
import fc from 'fast-check';
import { maskPii, NEVER_KEPT, type PiiKind } from '../../bot/privacy/mask';

/** Full-width digits and letters to ASCII, zero-width and spaces out: how a reader would see the digits. */
const plain = (s: string) =>
  s
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\u200B-\u200D\uFEFF\u2060\s.\-·–]/g, '');

interface MaskRow {
  text: string;
  kind: PiiKind;
  /** Must not appear in the result (compared without separators and full-width forms). */
  hidden: string;
  /** Must appear in the result as written. */
  kept?: string[];
  exact?: string;
}

const Z = '\u200B';
const mustMask: MaskRow[] = [
  // Card numbers
  { text: '卡号6222021234567890123被扣款', kind: 'card', hidden: '6222021234567890123', exact: '卡号****0123被扣款' },
  { text: '６２２２０２１２３４５６７８９０１２３', kind: 'card', hidden: '6222021234567890123', exact: '****0123' },
  { text: '卡号：６２２２　０２１２　３４５６　７８９０', kind: 'card', hidden: '6222021234567890', exact: '卡号：****7890' },
  { text: '6222.0212.3456.7890', kind: 'card', hidden: '6222021234567890' },
  { text: '6222-0212-3456-7890', kind: 'card', hidden: '6222021234567890' },
  { text: '卡 6222  0212  3456  7890 谢谢', kind: 'card', hidden: '6222021234567890', exact: '卡 ****7890 谢谢' },
  { text: `6222${Z}0212${Z}3456${Z}7890`, kind: 'card', hidden: '6222021234567890' },
  { text: '6222\u200C0212\u200D3456\uFEFF7890', kind: 'card', hidden: '6222021234567890' },
  { text: '62\u206022021234567890\u200B123', kind: 'card', hidden: '6222021234567890123' },
  { text: [...'6222021234567890'].join(Z), kind: 'card', hidden: '6222021234567890' },
  { text: '6222 0212 3456 7890 123', kind: 'card', hidden: '6222021234567890123' },
  { text: 'my card is 4111 1111 1111 1111', kind: 'card', hidden: '4111111111111111', kept: ['my card is '] },
  { text: 'Card no.6222021234567890123', kind: 'card', hidden: '6222021234567890123', exact: 'Card no.****0123' },
  { text: '卡号-6222-0212-3456-7890', kind: 'card', hidden: '6222021234567890' },
  { text: '銀行卡號 6222 0212 3456 7890', kind: 'card', hidden: '6222021234567890', kept: ['銀行卡號 '] },
  { text: 'Amex 3782 822463 10005', kind: 'card', hidden: '378282246310005' },
  { text: '622202 1234567890123', kind: 'card', hidden: '6222021234567890123' },
  { text: '卡号6222　0212　3456　7890（工行）', kind: 'card', hidden: '6222021234567890', kept: ['（工行）'] },
  { text: '6222 – 0212 – 3456 – 7890', kind: 'card', hidden: '6222021234567890' },
  { text: '6222·0212·3456·7890', kind: 'card', hidden: '6222021234567890' },
  { text: '卡号 6 2 2 2 0 2 1 2 3 4 5 6 7 8 9 0', kind: 'card', hidden: '6222021234567890' },
  { text: '6222０２１２3456７８９０', kind: 'card', hidden: '6222021234567890' },
  { text: 'card６２２２－０２１２－３４５６－７８９０', kind: 'card', hidden: '6222021234567890' },
  { text: '查询 TS-20261123-0001 和卡号 6222 0212 3456 7890', kind: 'card', hidden: '6222021234567890', kept: ['TS-20261123-0001'] },
  { text: '电话0755-88889999 卡号6222021234567890123', kind: 'card', hidden: '6222021234567890123', exact: '电话0755-****9999 卡号****0123' },
  { text: 'card 5555\u00A04444\u00A03333\u00A01111', kind: 'card', hidden: '5555444433331111' },
  { text: '4111111111111111', kind: 'card', hidden: '4111111111111111' },
  { text: '我的卡6222021234567890123。', kind: 'card', hidden: '6222021234567890123', exact: '我的卡****0123。' },
  { text: 'card: 6222-0212-3456-7890-123', kind: 'card', hidden: '6222021234567890123' },
  { text: '6222/0212/3456/7890', kind: 'card', hidden: '6222021234567890' },
  { text: '信用卡 ６２２２ ０２１２ ３４５６ ７８９０ 被盗刷了', kind: 'card', hidden: '6222021234567890', kept: [' 被盗刷了'] },
  { text: '62 22 02 12 34 56 78 90', kind: 'card', hidden: '6222021234567890' },
  { text: '卡号\u202E6222021234567890\u202C', kind: 'card', hidden: '6222021234567890' },
  { text: 'cardno6222021234567890', kind: 'card', hidden: '6222021234567890' },
  { text: '卡号为：6222 0212 3456 7890 12', kind: 'card', hidden: '622202123456789012' },
  { text: '两张卡 6222021234567890 和 6222021234567891', kind: 'card', hidden: '6222021234567890' },
  { text: '卡號 ６２２２－０２１２－３４５６－７８９０－１２３', kind: 'card', hidden: '6222021234567890123' },
  { text: '2025 6222021234567890123', kind: 'card', hidden: '6222021234567890123' },
  // ID numbers
  { text: '身份证110101199003071234', kind: 'id', hidden: '110101199003071234', exact: '身份证[身份证号已隐藏/ID hidden]' },
  { text: 'ID 11010119900307123X', kind: 'id', hidden: '11010119900307123X' },
  { text: '身份证号：１１０１０１１９９００３０７１２３Ｘ', kind: 'id', hidden: '11010119900307123X', kept: ['身份证号：'] },
  { text: '身份證 110101 19900307 1234', kind: 'id', hidden: '110101199003071234' },
  { text: '110101-19900307-123x', kind: 'id', hidden: '11010119900307123' },
  { text: `身份证${Z}110101${Z}199003071234`, kind: 'id', hidden: '110101199003071234' },
  { text: 'ID:110101199003071234.', kind: 'id', hidden: '110101199003071234' },
  { text: 'id110101199003071234', kind: 'id', hidden: '110101199003071234' },
  { text: '身份证 1101 0119 9003 0712 34', kind: 'id', hidden: '110101199003071234' },
  { text: 'my ID number is 440305200001011234 ok', kind: 'id', hidden: '440305200001011234', kept: [' ok'] },
  // Passwords, PINs and one-time codes
  { text: 'PIN码 9988', kind: 'password', hidden: '9988', exact: 'PIN码 [已隐藏/hidden]' },
  { text: '密码是556677', kind: 'password', hidden: '556677', exact: '密码是[已隐藏/hidden]' },
  { text: '密码：556677', kind: 'password', hidden: '556677', exact: '密码：[已隐藏/hidden]' },
  { text: '密码:556677，电话13812345678', kind: 'password', hidden: '556677', kept: ['，电话'] },
  { text: 'passwd 556677', kind: 'password', hidden: '556677', exact: 'passwd [已隐藏/hidden]' },
  { text: 'pwd 556677', kind: 'password', hidden: '556677' },
  { text: 'pwd=abc123', kind: 'password', hidden: 'abc123' },
  { text: 'pin: 1234', kind: 'password', hidden: '1234', exact: 'pin: [已隐藏/hidden]' },
  { text: 'PIN 1234', kind: 'password', hidden: '1234' },
  { text: 'my pin is 4321', kind: 'password', hidden: '4321' },
  { text: 'My PIN number is 4321.', kind: 'password', hidden: '4321' },
  { text: 'the password is hunter2', kind: 'password', hidden: 'hunter2' },
  { text: 'password: letmein', kind: 'password', hidden: 'letmein' },
  { text: '支付密码123456', kind: 'password', hidden: '123456', exact: '支付密码[已隐藏/hidden]' },
  { text: '取款密码是654321', kind: 'password', hidden: '654321' },
  { text: '取款密码：６５４３２１', kind: 'password', hidden: '654321' },
  { text: '密碼是778899', kind: 'password', hidden: '778899', exact: '密碼是[已隐藏/hidden]' },
  { text: '提款密碼 112233', kind: 'password', hidden: '112233' },
  { text: '交易密码为 abc123', kind: 'password', hidden: 'abc123' },
  { text: '登录密码 Abc@2026', kind: 'password', hidden: 'Abc@2026' },
  { text: '密码我设的是123456', kind: 'password', hidden: '123456' },
  { text: '密码改成了888999', kind: 'password', hidden: '888999' },
  { text: '密码好像是 246810', kind: 'password', hidden: '246810' },
  { text: '验证码 538201', kind: 'password', hidden: '538201' },
  { text: '驗證碼：538201', kind: 'password', hidden: '538201' },
  { text: 'CVV 123', kind: 'password', hidden: '123' },
  { text: '卡背面安全码是 456', kind: 'password', hidden: '456' },
  { text: 'OTP: 493021', kind: 'password', hidden: '493021' },
  { text: '密码 12 34 56', kind: 'password', hidden: '123456' },
  { text: '密码是一二三四五六', kind: 'password', hidden: '一二三四五六' },
  { text: 'passcode 2468', kind: 'password', hidden: '2468' },
  { text: '密码就是123456', kind: 'password', hidden: '123456' },
  { text: 'pin1234', kind: 'password', hidden: '1234' },
  { text: 'ＰＩＮ码 ９９８８', kind: 'password', hidden: '9988', kept: ['ＰＩＮ码 '] },
  { text: `密码${Z}5${Z}5${Z}6${Z}6${Z}7${Z}7`, kind: 'password', hidden: '556677' },
  { text: '口令是 qwe!@#123', kind: 'password', hidden: 'qwe!@#123' },
  { text: '我的网银密码是Zz123456，是不是被人知道了', kind: 'password', hidden: 'Zz123456', kept: ['，是不是被人知道了'] },
  { text: '密碼為 ８８６６９９', kind: 'password', hidden: '886699' },
];

interface SurviveRow {
  text: string;
  /** Checked with these kinds; by default every kind (rows with a phone number use the never-kept kinds). */
  kinds?: readonly PiiKind[];
}

const mustSurvive: SurviveRow[] = [
  { text: 'TS-20261123-0001' },
  { text: '查询 TS-20261123-0001 的进度' },
  { text: '工单 TS-20261123-0001，电话0755-88889999', kinds: NEVER_KEPT },
  { text: '电话0755-88889999', kinds: NEVER_KEPT },
  { text: '(0755) 8888 9999', kinds: NEVER_KEPT },
  { text: '021-6234 5678', kinds: NEVER_KEPT },
  { text: '金额5000元' },
  { text: '5000元' },
  { text: '转账 50,000.00 元' },
  { text: '¥1,234,567.89' },
  { text: '12345678.90元' },
  { text: '2026年11月20日' },
  { text: '2026-11-20' },
  { text: '2026/11/20' },
  { text: '2026.11.20' },
  { text: '2026-11-20 14:30' },
  { text: '20261120' },
  { text: '尾号1234' },
  { text: '尾號1234' },
  { text: 'card ending in 4321' },
  { text: '卡号后四位 1234' },
  { text: '身份证后四位1234' },
  { text: '订单号 DD20261123000156' },
  { text: 'Order A2026112312345678' },
  { text: 'ORD-1234-5678-9012-3456' },
  { text: 'Order #A12-3456-7890-1234' },
  { text: 'WX20261123123456789' },
  { text: '流水号 2026112312345678901234' },
  { text: 'Case 20261123-0001' },
  { text: '我输错密码三次，卡被锁了' },
  { text: '密码错误' },
  { text: '密码忘了怎么办' },
  { text: '我的密码是不是被人知道了' },
  { text: '密码被盗后转走5000元' },
  { text: '密码6位' },
  { text: '密码输错3次' },
  { text: '密碼錯了三次' },
  { text: 'I forgot my password' },
  { text: 'my password is not working' },
  { text: 'reset my PIN please' },
  { text: 'spin 1234' },
  { text: 'Pinyin 1234' },
  { text: '上午10:30在柜台' },
  { text: '等了2个小时' },
  { text: '客服电话95588', kinds: NEVER_KEPT },
  { text: '400-820-8888', kinds: NEVER_KEPT },
  { text: '12:30-13:45' },
  { text: '第1234567号' },
  { text: '2026年11月20日 13812345678', kinds: NEVER_KEPT },
  { text: '2026-11-20 13812345678', kinds: NEVER_KEPT },
  { text: '13812345678 2026-11-20', kinds: NEVER_KEPT },
  { text: '138 1234 5678', kinds: NEVER_KEPT },
  { text: '+86 138 1234 5678', kinds: NEVER_KEPT },
  { text: '+8613812345678', kinds: NEVER_KEPT },
  { text: '0086 138 1234 5678', kinds: NEVER_KEPT },
  { text: '13812345678 13912345678', kinds: NEVER_KEPT },
  { text: 'IP 192.168.100.200' },
  { text: '3.1415926535897932' },
  { text: 'version 1.2.3.4' },
  { text: '5000元 2026年11月20日 尾号1234' },
  { text: '上週五轉帳一萬元沒到賬' },
  { text: '１２月３日扣了５０００元' },
  { text: '扣了我300元，要求退还' },
  { text: '我的信用卡被盜刷了兩千元，尾號8888，希望銀行賠償，電話0755-88889999', kinds: NEVER_KEPT },
  { text: 'ＴＳ－２０２６１１２３－０００１' },
  { text: 'My card ending in 4321 was charged 1,200 yuan on 20 November' },
  { text: '11月20日在徐家汇支行办业务' },
  { text: 'SWIFT ICBKCNBJ' },
  { text: '①取款②转账' },
  { text: 'The PIN pad was broken' },
  { text: '验证码收不到' },
];

describe('masking corpus', () => {
  it('has at least 100 cases', () => expect(mustMask.length + mustSurvive.length).toBeGreaterThanOrEqual(100));

  it.each(mustMask.map((r) => [r.text, r] as const))('masks %j', (_t, row) => {
    const r = maskPii(row.text);
    expect(r.found).toContain(row.kind);
    expect(plain(r.text)).not.toContain(plain(row.hidden));
    for (const k of row.kept ?? []) expect(r.text).toContain(k);
    if (row.exact !== undefined) expect(r.text).toBe(row.exact);
  });

  it.each(mustSurvive.map((r) => [r.text, r] as const))('leaves %j alone', (_t, row) => {
    expect(maskPii(row.text, row.kinds ?? ['id', 'card', 'phone', 'email', 'password'])).toEqual({ text: row.text, found: [] });
  });
});

describe('masking properties', () => {
  const SEPARATORS = [' ', '  ', '-', '.', '\u3000', '\u00A0', ' - ', Z, '\u2060', '/'];
  const INVISIBLE = ['\u200B', '\u200C', '\u200D', '\uFEFF', '\u2060'];
  const fullWidth = (d: string) => String.fromCharCode(d.charCodeAt(0) + 0xfee0);
  const cardDigits = fc
    .tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 18 }))
    .map(([first, rest]) => `${first}${rest.join('')}`)
    .filter((d) => !/^861[3-9]\d{9}$/.test(d));

  it('a card number survives no mix of full-width digits, separators between groups and zero-width characters', () => {
    fc.assert(
      fc.property(
        cardDigits,
        fc.constantFrom(...SEPARATORS),
        fc.array(fc.boolean(), { minLength: 19, maxLength: 19 }),
        fc.array(fc.nat({ max: INVISIBLE.length }), { minLength: 19, maxLength: 19 }),
        fc.constantFrom('', '卡号', '我的卡 ', 'card ', '卡號：', 'no.', '，'),
        fc.constantFrom('', '，谢谢', ' please', '。', '被扣了500元'),
        (digits, sep, wide, invisible, before, after) => {
          let card = '';
          [...digits].forEach((d, i) => {
            if (i > 0 && i % 4 === 0) card += sep;
            card += (wide[i] ? fullWidth(d) : d) + (INVISIBLE[invisible[i] ?? INVISIBLE.length] ?? '');
          });
          const r = maskPii(`${before}${card}${after}`, NEVER_KEPT);
          return !plain(r.text).includes(digits) && r.found.some((k) => k === 'card' || k === 'id');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('masking is stable: masking a masked text changes nothing', () => {
    fc.assert(
      fc.property(fc.constantFrom(...mustMask.map((r) => r.text), ...mustSurvive.map((r) => r.text)), (text) => {
        const once = maskPii(text).text;
        return maskPii(once).text === once;
      }),
    );
  });
});
