/**
 * How ID and card numbers are found however they are written (bot/privacy/numbers.ts), rule by rule, written
 * for the privacy group of the mutation run: the ID's check character, the card length bounds, groupings card
 * numbers use and those they never use (decimals, uneven groups, long inner groups, the 6-13 grouping only),
 * numbers that never begin a card (a leading 0, digits after a decimal point, +86 mobiles), codes, and the
 * spans found one after another in one chain.
 */
import { cardLikeGrouping, chainsOf, findNumbers } from '../../bot/privacy/numbers';

const found = (text: string) => findNumbers(text, { id: true, card: true }).map((s) => `${s.kind}:${s.digits}`);

describe('ID numbers', () => {
  it('reads an 18-digit ID, and one ending with the check character X or x right after the digits', () => {
    expect(found('身份证110105194912310021')).toEqual(['id:110105194912310021']);
    expect(found('身份证11010519491231002X')).toEqual(['id:11010519491231002X']);
    expect(found('身份证11010519491231002x。')).toEqual(['id:11010519491231002X']);
    expect(found('身份证 110105 19491231 002X')).toEqual(['id:11010519491231002X']);
  });

  it('does not read an X that begins a word as the check character, nor a date that cannot be', () => {
    expect(found('11010519491231002Xiaoming')).not.toContain('id:11010519491231002X');
    expect(found('身份证110105194913310021')).not.toContainEqual(expect.stringMatching(/^id:/)); // month 13
  });
});

describe('card numbers', () => {
  it('finds 12 to 19 digits, never 11 or 20, and takes the longest card-like window', () => {
    expect(found('6222 0212 3456')).toEqual(['card:622202123456']);
    expect(found('6222 0212 345')).toEqual([]);
    expect(found('6222 0212 3456 7890 123')).toEqual(['card:6222021234567890123']);
    expect(found('6222 0212 3456 7890 1234')).toEqual(['card:6222021234567890']);
  });

  it('never begins a card with 0, after a decimal point, or on a mobile number with +86', () => {
    expect(found('0222 0212 3456 7890')).toEqual([]);
    expect(found('价格1.6222 0212 3456 7890')).toEqual([]);
    expect(found('86138 12345 678')).toEqual([]); // +86 and a mobile number, grouped like a card
    expect(found('86238 12345 678')).toEqual(['card:8623812345678']);
  });

  it('skips a code and reads a card after it in the same chain', () => {
    expect(found('投诉编号TS-20261123-0001')).toEqual([]);
    expect(found('ORD-1234-5678-9012-3456')).toEqual([]);
    expect(found('TS-20261123 6222 0212 3456 7890')).toEqual(['card:6222021234567890']);
    expect(found('card-6222-0212-3456-7890')).toEqual(['card:6222021234567890']);
    expect(chainsOf('TS-20261123-0001')[0]!.codeGroups).toBe(2);
    expect(chainsOf('TS-20261123 0001')[0]!.codeGroups).toBe(1);
  });

  it('finds two numbers in one chain one after the other, without overlap', () => {
    expect(found('6222 0212 3456 7890 / 6222 0212 3456 7891')).toEqual(['card:6222021234567890', 'card:6222021234567891']);
  });
});

describe('card-like grouping', () => {
  it('accepts the groupings cards are written in', () => {
    expect(cardLikeGrouping([16], [])).toBe(true);
    expect(cardLikeGrouping([4, 4, 4, 4], [' ', ' ', ' '])).toBe(true);
    expect(cardLikeGrouping([4, 6, 5], [' ', ' '])).toBe(true);
    expect(cardLikeGrouping([3, 3, 3, 3, 3], [' ', ' ', ' ', ' '])).toBe(true);
    expect(cardLikeGrouping([6, 6, 4], [' ', ' '])).toBe(true);
    expect(cardLikeGrouping([4, 4, 4, 4], ['.', '.', '.'])).toBe(true);
    expect(cardLikeGrouping([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], Array(12).fill(' '))).toBe(true);
    expect(cardLikeGrouping([2, 2, 2, 2, 2, 2, 2, 1], Array(7).fill(' '))).toBe(true);
  });

  it('accepts a last group of up to six digits, or 10 to 13 after a first group of six only', () => {
    expect(cardLikeGrouping([4, 4, 6], [' ', ' '])).toBe(true);
    expect(cardLikeGrouping([4, 4, 7], [' ', ' '])).toBe(false);
    for (const last of [10, 13]) expect(cardLikeGrouping([6, last], [' '])).toBe(true);
    for (const last of [9, 14]) expect(cardLikeGrouping([6, last], [' '])).toBe(false);
    expect(cardLikeGrouping([4, 10], [' '])).toBe(false);
    expect(cardLikeGrouping([6, 4, 10], [' ', ' '])).toBe(false);
  });

  it('refuses dotted groups other than fours, inner groups under three or over six digits unless all even', () => {
    expect(cardLikeGrouping([4, 3, 4, 4], ['.', '.', '.'])).toBe(false);
    expect(cardLikeGrouping([4, 4, 4, 4], [' ', '.', ' '])).toBe(true);
    expect(cardLikeGrouping([3, 4, 4, 4], [' ', '.', ' '])).toBe(false);
    expect(cardLikeGrouping([2, 4, 4, 4], [' ', ' ', ' '])).toBe(false);
    expect(cardLikeGrouping([7, 4, 4], [' ', ' '])).toBe(false);
    expect(cardLikeGrouping([7, 7, 4], [' ', ' '])).toBe(false);
    expect(cardLikeGrouping([2, 3, 4], [' ', ' '])).toBe(false);
  });
});
