/**
 * The split-number guard's rules one by one (bot/privacy/split-number-guard.ts), written for the privacy group
 * of the mutation run: the card length bounds of a joined number (13–19 digits), what does not continue a card
 * (a phone number, a landline, a date, dotted groups other than fours, uneven groups), where the second half
 * must stand, the redelivered message, the tail a message leaves (which suffixes could begin a card: not one
 * starting with 0, not a mobile number, not a code, not after words), the carry of a card typed in three parts,
 * and what the guard accepts back from the store.
 */
import { maskAcrossMessages, SplitNumberGuard, type NumberTail } from '../../bot/privacy/split-number-guard';
import { Keys } from '../../bot/store/keys';
import type { RedisBackend } from '../../bot/store/redis-backend';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';

const tail = (...counts: number[]): NumberTail => ({ counts });
const second = (text: string, previous: NumberTail | undefined, messageId?: string) => maskAcrossMessages(text, previous, undefined, messageId).text;

describe('joining a message\'s leading digits with the number the previous one ended with', () => {
  it('masks a joined number of 13 to 19 digits, and nothing shorter or longer', () => {
    expect(second('23456', tail(8))).toBe('****3456'); // 13
    expect(second('2345', tail(8))).toBe('2345'); // 12
    expect(second('1234', tail(15))).toBe('****1234'); // 19
    expect(second('12345', tail(15))).toBe('12345'); // 20
    // Any remembered start that makes a card length is enough.
    expect(second('12345', tail(4, 8))).toBe('****2345');
  });

  it('masks only the leading groups that complete the card, and keeps the rest of the message', () => {
    expect(second('2345 6789 012 被扣了500元', tail(8))).toBe('****9012 被扣了500元');
    expect(second('  2345 6789 012', tail(8))).toBe('  ****9012');
    // Digits after words are no continuation.
    expect(second('好的 2345 6789 012', tail(8))).toBe('好的 2345 6789 012');
  });

  it('does not take a phone number for the rest of a card', () => {
    expect(second('13812345678', tail(8))).toBe('13812345678');
    expect(second('8613812345678', tail(4))).toBe('8613812345678');
    expect(second('021 12345678', tail(8))).toBe('021 12345678');
    expect(second('02112345678', tail(8))).toBe('02112345678');
    // A mobile number as the first groups is skipped; groups after it may still complete a card.
    expect(second('138 1234 5678', tail(8))).toBe('138 1234 5678');
  });

  it('joins groups shaped like the end of a card: threes or more, fours between dots, or evenly spaced short groups', () => {
    expect(second('021 1234 5678', tail(8))).toBe('****5678'); // three groups: not a landline
    expect(second('1234.5678.901', tail(8))).toBe('****8901');
    expect(second('123.45678.901', tail(8))).toBe('123.45678.901');
    expect(second('2 3 4 5 6', tail(8))).toBe('****3456');
    expect(second('23 45 67', tail(8))).toBe('****4567');
    expect(second('23 45 6', tail(8))).toBe('****3456'); // a shorter last group
    expect(second('2 34 5', tail(8))).toBe('2 34 5'); // uneven
    expect(second('2026-11-20', tail(8))).toBe('2026-11-20'); // a date
    expect(second('12 345 678', tail(8))).toBe('12 345 678');
  });

  it('never joins a redelivered message with itself, nor when cards are not among the kinds', () => {
    expect(second('23456', { counts: [8], messageId: 'm1' }, 'm1')).toBe('23456');
    expect(second('23456', { counts: [8], messageId: 'm1' }, 'm2')).toBe('****3456');
    expect(maskAcrossMessages('23456', tail(8), ['id', 'phone']).text).toBe('23456');
  });
});

describe('the tail a message leaves for the next one', () => {
  const tailOf = (text: string) => maskAcrossMessages(text, undefined, undefined, 'm').tail?.counts;

  it('counts the suffixes that could begin a card, shortest first', () => {
    expect(tailOf('卡号6222 4211')).toEqual([4, 8]);
    expect(tailOf('卡号6222 0211')).toEqual([8]); // "0211" cannot begin a card
    expect(tailOf('6222 4211 3')).toEqual([1]); // the lone last group may begin one; "4211 3" is not grouped like a card
    expect(tailOf('卡号6222 4211。')).toEqual([4, 8]); // sentence punctuation after it
  });

  it('leaves none after words, for a mobile number, a code, or a number already as long as a card', () => {
    expect(tailOf('卡号6222 4211 谢谢')).toBeUndefined();
    expect(tailOf('电话13812345678')).toBeUndefined();
    expect(tailOf('投诉编号TS-20261123-0001')).toBeUndefined();
    expect(tailOf('1234567890123456789')).toBeUndefined();
  });

  it('carries a number typed in three parts, so the third part completes it', () => {
    const first = maskAcrossMessages('6222', undefined, undefined, 'a');
    const middle = maskAcrossMessages('0212', first.tail, undefined, 'b');
    expect(middle.tail?.counts).toEqual([8]); // 4 + 4 carried; "0212" itself cannot begin one
    expect(maskAcrossMessages('3456 7890', middle.tail, undefined, 'c').text).toBe('****7890');
    // The longest carried start counts: 4 + 4 + 4 digits so far, so one more digit makes 13.
    const a = maskAcrossMessages('6222 4211', undefined, undefined, 'a');
    const b = maskAcrossMessages('0212', a.tail, undefined, 'b');
    expect(b.tail?.counts).toEqual([12]);
    expect(maskAcrossMessages('3', b.tail, undefined, 'c').found).toEqual(['card']);
    // Two messages with other words between them do not carry.
    expect(maskAcrossMessages('0212 好的', first.tail, undefined, 'b').tail).toBeUndefined();
  });
});

describe('the guard on Redis', () => {
  let backend: RedisBackend;
  let keys: Keys;
  let guard: SplitNumberGuard;
  beforeAll(() => {
    backend = openTestBackend();
    keys = new Keys(uniquePrefix('split-rules'));
    guard = new SplitNumberGuard(backend, keys, { ttlMs: 60_000, scope: 'turn' });
  });
  afterAll(async () => {
    await deleteKeys(backend.redis, keys.prefix);
    await backend.close();
  });

  it('reads back only whole positive counts shorter than a card, and nothing from what it cannot read', async () => {
    const key = keys.piiNumberTail('turn', 'directline:r1');
    await backend.set(key, JSON.stringify({ counts: [0, -1, 19, 2.5, '8', 8], messageId: 7 }), { ttlMs: 60_000 });
    expect((await guard.mask('directline:r1', '23456')).text).toBe('****3456');
    await backend.set(key, JSON.stringify({ counts: [19, 0] }), { ttlMs: 60_000 });
    expect((await guard.mask('directline:r1', '23456')).text).toBe('23456');
    await backend.set(key, '{not json', { ttlMs: 60_000 });
    expect((await guard.mask('directline:r1', '23456')).text).toBe('23456');
    await backend.set(key, JSON.stringify({ counts: 'many' }), { ttlMs: 60_000 });
    expect((await guard.mask('directline:r1', '23456')).text).toBe('23456');
  });

  it('forgets the number once a message does not continue it', async () => {
    await guard.mask('directline:r2', '卡号6222 4211');
    await guard.mask('directline:r2', '稍等');
    expect(await backend.get(keys.piiNumberTail('turn', 'directline:r2'))).toBeNull();
    await guard.mask('directline:r3', '卡号6222 4211');
    await guard.mask('directline:r3', '1 好的');
    expect(await backend.get(keys.piiNumberTail('turn', 'directline:r3'))).toBeNull();
    expect((await guard.mask('directline:r3', '23456')).text).toBe('23456');
  });
});
