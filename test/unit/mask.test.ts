import { maskPii } from '../../bot/privacy/mask';

describe('masking personal data', () => {
  it.each([
    ['我的手机是13812345678', '我的手机是138****5678', 'phone'],
    ['call +86 139 1234 5678 please', 'call 139****5678 please', 'phone'],
    ['座机 021-62345678', '座机 021-****5678', 'phone'],
    ['卡号6222021234567890123被扣款', '卡号****0123被扣款', 'card'],
    ['card 6222 0212 3456 7890', 'card ****7890', 'card'],
    ['身份证110101199003071234', '身份证[身份证号已隐藏/ID hidden]', 'id'],
    ['ID 11010119900307123X', 'ID [身份证号已隐藏/ID hidden]', 'id'],
    ['mail zhang.san@example.com', 'mail z***@example.com', 'email'],
  ])('masks %s', (input, expected, kind) => {
    const r = maskPii(input);
    expect(r.text).toBe(expected);
    expect(r.found).toContain(kind);
  });

  it('masks only the kinds asked for', () => {
    expect(maskPii('卡号6222021234567890123，电话13812345678', ['card', 'id', 'password']).text).toBe('卡号****0123，电话13812345678');
  });

  it('reads a landline with its area code as a phone, not a card', () => {
    expect(maskPii('电话0755-88889999')).toEqual({ text: '电话0755-****9999', found: ['phone'] });
  });

  it('stops a password at punctuation and leaves ticket numbers alone', () => {
    expect(maskPii('密码是123456，电话13812345678', ['password']).text).toBe('密码是[已隐藏/hidden]，电话13812345678');
    expect(maskPii('查询 TS-20261123-0001').found).toEqual([]);
  });

  it.each(['尾号1234', '金额5000元', '2026年11月20日', '订单 20261123'])('leaves %s alone', (input) => {
    expect(maskPii(input)).toEqual({ text: input, found: [] });
  });
});
