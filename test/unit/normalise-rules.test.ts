/**
 * Digit look-alikes in the detection view (bot/privacy/normalise.ts), range by range, for the privacy group of
 * the mutation run: superscripts and subscripts, circled digits, mathematical digits, the Latin-1 superscripts,
 * each read as its digit, and the characters just outside those ranges left alone. A card number written in
 * any of them is found and masked.
 */
import { detectionView } from '../../bot/privacy/normalise';
import { maskPii } from '../../bot/privacy/mask';

const viewOf = (s: string) => detectionView(s).text;

describe('digit look-alikes', () => {
  it('reads each range\'s first and last digit as the digit', () => {
    expect(viewOf('\u2070\u2079')).toBe('09'); // superscript 0 and 9
    expect(viewOf('\u2080\u2089')).toBe('09'); // subscript 0 and 9
    expect(viewOf('\u2460\u2468')).toBe('19'); // circled 1 and 9
    expect(viewOf('\u24ea')).toBe('0'); // circled 0
    expect(viewOf('\u24ff')).toBe('0'); // negative circled 0
    expect(viewOf('\u{1d7ce}\u{1d7ff}')).toBe('09'); // mathematical bold 0, monospace 9
    expect(viewOf('\u00b2\u00b3\u00b9')).toBe('231');
  });

  it('leaves letters and symbols at the edges of those ranges as they are', () => {
    // ₔ after the subscripts, ⁱ and Ⓐ inside the ranges but no digit, ⑩ two digits, ¼, and the code point before 𝟎.
    for (const ch of ['\u2094', '\u2071', '\u24b6', '\u2469', '\u00bc', '\u{1d7cd}']) {
      expect(viewOf(ch)).toBe(ch);
    }
  });

  it('finds a card written in them', () => {
    const card = '⑥②②②\u2070\u00b2\u00b9\u00b2\u{1d7d1}\u{1d7d2}\u{1d7d3}\u{1d7d4}\u2077\u2078\u2079\u2070';
    expect(maskPii(`卡号${card}`).found).toEqual(['card']);
  });
});
