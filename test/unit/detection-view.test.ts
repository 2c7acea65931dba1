/**
 * The detection view masking looks at (`bot/privacy/normalise.ts`): every
 * look-alike range at its edges, what is dropped, and the map back to the
 * text as written. Found by mutation testing: the ranges were untested, and
 * dingbat circled digits (❶ ➀ ➊ ⓵) were not read as digits at all.
 */
import { maskPii } from '../../bot/privacy/mask';
import { detectionView } from '../../bot/privacy/normalise';

const view = (s: string) => detectionView(s).text;
const cp = (...points: number[]) => String.fromCodePoint(...points);

describe('detection view', () => {
  it.each([
    ['full-width ASCII at both ends and a digit', cp(0xff01, 0xff10, 0xff5e), '!0~'],
    ['just outside full-width ASCII', cp(0xff00, 0xff5f), cp(0xff00, 0xff5f)],
    ['superscripts and subscripts', cp(0x2070, 0x2079, 0x2080, 0x2089, 0xb9, 0xb2, 0xb3), '0909123'],
    ['superscript letters stay', cp(0x2071, 0x2090, 0x2093), cp(0x2071, 0x2090, 0x2093)],
    ['circled digits', cp(0x2460, 0x2468, 0x24ea), '190'],
    ['circled numbers above nine stay', cp(0x2469, 0x24eb), cp(0x2469, 0x24eb)],
    ['negative circled ❶…❾ and ⓿', cp(0x2776, 0x277e, 0x24ff), '190'],
    ['sans-serif circled ➀…➈ and ➊…➒', cp(0x2780, 0x2788, 0x278a, 0x2792), '1919'],
    ['double circled ⓵…⓽', cp(0x24f5, 0x24fd), '19'],
    ['dingbat tens stay', cp(0x277f, 0x2789, 0x2793, 0x24fe), cp(0x277f, 0x2789, 0x2793, 0x24fe)],
    ['mathematical digits (surrogate pairs)', cp(0x1d7ce, 0x1d7ff), '09'],
    ['zero-width, bidi, word joiners, variation selectors at their edges', `1${cp(0x200b, 0x200f, 0x202a, 0x202e, 0x2060, 0x2069, 0xfe00, 0xfe0f)}2`, '12'],
    ['the other invisible characters', `1${cp(0x00ad, 0x034f, 0x061c, 0x180e, 0x20e3, 0xfeff)}2`, '12'],
    ['characters next to the invisible ranges stay', cp(0x2029, 0x206a, 0xfe10, 0x202f + 1), cp(0x2029, 0x206a, 0xfe10, 0x202f + 1)],
    ['spaces', `a\tb${cp(0xa0)}c${cp(0x1680)}d${cp(0x202f)}e${cp(0x205f)}f${cp(0x3000)}g${cp(0x2000)}h${cp(0x200a)}i`, 'a b c d e f g h i'],
    ['dashes', cp(0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe58, 0xfe63), '---------'],
    ['dots', cp(0x00b7, 0x2022, 0x2027, 0x2219, 0x30fb, 0xff65), '......'],
    ['Chinese and plain ASCII stay', '卡号12 AB-c', '卡号12 AB-c'],
  ])('%s', (_what, input, expected) => {
    expect(view(input)).toBe(expected);
  });

  it('maps each character of the view back to where it came from', () => {
    const text = `a${cp(0x200b)}${cp(0x1d7d4)}\t`; // a, zero-width (dropped), 𝟔 (two UTF-16 units), tab
    expect(detectionView(text)).toEqual({ text: 'a6 ', from: [0, 2, 4], to: [1, 4, 5] });
  });

  it.each([
    ['❻❷❷❷⓿❷❶❷❸❹❺❻❼❽❾⓿❶❷❸'],
    ['➅➁➁➁➀➁➂➃➄➅➆➇➈➀➁➂'],
    ['⓺⓶⓶⓶⓵⓶⓷⓸⓹⓺⓻⓼⓽⓵⓶⓷'],
  ])('masks a card number written in look-alike digits: %s', (digits) => {
    const masked = maskPii(`卡号${digits}`);
    expect(masked.found).toEqual(['card']);
    expect(masked.text).not.toContain(digits.slice(0, 4));
  });
});
