/**
 * A number typed over two (or more) messages: the pure part of the split
 * number guard. What is remembered between messages is digit counts only.
 */
import { maskAcrossMessages, type NumberTail } from '../../bot/privacy/split-number-guard';

/** Runs messages in order the way the guard does, carrying the remembered tail. */
function conversation(...messages: string[]) {
  let tail: NumberTail | undefined;
  return messages.map((m, i) => {
    const r = maskAcrossMessages(m, tail, undefined, `m${i}`);
    tail = r.tail;
    return r;
  });
}

describe('a number split over messages', () => {
  it('masks the second half of a card typed as two messages, keeping only its last four digits', () => {
    const [first, second] = conversation('卡号6222 0211', '2345 6789 012');
    expect(first!.text).toBe('卡号6222 0211');
    expect(second).toMatchObject({ text: '****9012', found: ['card'] });
  });

  it('works without spaces, in full-width digits, with zero-width characters and with text after the number', () => {
    expect(conversation('卡号62220211', '23456789012')[1]!.text).toBe('****9012');
    expect(conversation('卡号６２２２０２１１', '２３４５６７８９０１２')[1]!.text).toBe('****９０１２'.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)));
    expect(conversation('卡号6222\u200B0211', '2345\u200B6789 012 被扣了500元')[1]!.text).toBe('****9012 被扣了500元');
    expect(conversation('我的卡号是 6222 0211，', '  2345 6789 012')[1]!.text).toBe('  ****9012');
  });

  it('catches a card typed in three parts (the last part is masked)', () => {
    const r = conversation('6222', '0212', '3456 7890');
    expect(r.map((x) => x.text)).toEqual(['6222', '0212', '****7890']);
  });

  it('remembers digit counts only, never digits', () => {
    const [first] = conversation('卡号6222 0211');
    expect(first!.tail).toEqual({ counts: [8], messageId: 'm0' }); // "0211" cannot begin a card
    expect(JSON.stringify(first!.tail)).not.toMatch(/6222|0211/);
  });

  it.each([
    ['a phone number after a number', ['金额5000', '13812345678']],
    ['a number after a phone number', ['电话13812345678', '2345 6789']],
    ['a spaced mobile number after a number', ['卡号6222 0211', '138 1234 5678']],
    ['a landline after a number', ['扣了5000', '021-62345678']],
    ['an unseparated landline after a number', ['扣了5000', '02162345678']],
    ['a date after a number', ['卡号6222 0211', '2026-11-20 扣的款']],
    ['digits that do not start the next message', ['卡号6222 0211', '另外 2345 6789 012']],
    ['a message that does not end with the number', ['卡号6222 0211 是我的', '2345 6789 012']],
    ['a ticket number', ['查询 TS-20261123-0001', '2345 6789']],
    ['numbers too short to be a card together', ['尾号1234', '5678']],
    ['numbers too long to be a card together', ['6222021234567890', '1234']],
  ])('leaves %s alone', (_what, messages) => {
    const r = conversation(...messages);
    expect(r[1]!.text).toBe(messages[1]);
    expect(r[1]!.found).toEqual([]);
  });

  it('does not join a redelivered message with itself', () => {
    const first = maskAcrossMessages('6222 0211', undefined, undefined, 'same');
    expect(maskAcrossMessages('6222 0211', first.tail, undefined, 'same').text).toBe('6222 0211');
    expect(maskAcrossMessages('6222 0211', first.tail, undefined, 'next').text).toBe('****0211');
  });

  it('masks the rest of the second message as usual', () => {
    const [, second] = conversation('卡号6222 0211', '2345 6789 012，密码123456，身份证110101199003071234');
    expect(second!.text).toBe('****9012，密码[已隐藏/hidden]，身份证[身份证号已隐藏/ID hidden]');
    expect(second!.found.sort()).toEqual(['card', 'id', 'password']);
  });

  it('joins only when cards are among the kinds to mask', () => {
    let tail = maskAcrossMessages('6222 0211', undefined).tail;
    expect(maskAcrossMessages('2345 6789 012', tail, ['phone']).text).toBe('2345 6789 012');
    tail = maskAcrossMessages('6222 0211', undefined).tail;
    expect(maskAcrossMessages('2345 6789 012', tail, ['card']).text).toBe('****9012');
  });
});
