/**
 * The recognizers the intake uses are Microsoft's packages loaded with a
 * speed fix (bot/intake/recognizers.ts). The fix must not change a single
 * result: every sentence below is recognised by the fixed and by the
 * unmodified packages, and the answers must be identical. Sentences were
 * written for these tests (stories, answers to the intake's questions, and
 * texts that are no date or amount at all), in the three languages.
 */
import * as plainDateTime from '@microsoft/recognizers-text-date-time';
import * as plainUnits from '@microsoft/recognizers-text-number-with-unit';
import * as plainNumber from '@microsoft/recognizers-text-number';
import { recognizeCurrency, recognizeDateTime, recognizeNumber, recognizerPatches } from '../../bot/intake/recognizers';
import { PHRASES } from '../bench/phrases';

const REF = new Date(2026, 10, 23, 10, 0, 0);

const extra = [
  '昨天下午我在ATM取款', '上上周三', '去年12月', '三天前', '两个小时以前', '下个月5号', '今年春节前后', '国庆节那天',
  '2026年11月20日上午9点半', '11/20', '5000元', '¥5,000', '3万元', '两千五百块', '一百二十万', '五千美元', '1.5万',
  '没有', '同意', '确认提交', '13812345678', '021-62345678', '😡😡😡', '', '   ', 'TS-20261120-0001',
  'yesterday afternoon', 'last Friday', '20 November', 'two weeks ago', 'on 3/5 at 4pm', '5k yuan', '$20', '1,200 yuan',
  'I paid a $20 annual fee I never agreed to', 'The staff at Futian branch were rude to my mother yesterday afternoon',
  '上週五轉帳一萬元沒到賬', '前天晚上八點被扣了兩次款，每次199元',
];

const corpus: [string, 'zh-cn' | 'en-us'][] = [];
for (const [lang, p] of Object.entries(PHRASES)) {
  const culture = lang === 'en' ? 'en-us' : 'zh-cn';
  for (const text of [...p.stories, ...p.when, ...p.amount, ...p.wish, ...p.questions, ...p.menu, p.shortStory]) {
    corpus.push([text, culture]);
    // The intake also reads each clause of a story on its own.
    for (const clause of text.split(/[，。,.!！？?；;]+/).slice(0, 4)) if (clause) corpus.push([clause, culture]);
  }
}
for (const text of extra) corpus.push([text, 'zh-cn'], [text, 'en-us']);

/** The result as data, or the error's message (the recognizers throw on some inputs; so must the fixed ones). */
function outcome(f: () => unknown): string {
  try {
    return JSON.stringify(f());
  } catch (e) {
    return `throws ${(e as Error).message}`;
  }
}

describe('recognizers with the speed fix', () => {
  it('applies the fix to all three packages (a new package version would silently lose it)', () => {
    expect(recognizerPatches()).toEqual({ 'date-time': true, 'number-with-unit': true, number: true });
  });

  it.each(['zh-cn', 'en-us'] as const)('gives exactly the results of the unmodified packages (%s)', (culture) => {
    const texts = corpus.filter(([, c]) => c === culture).map(([t]) => t);
    expect(texts.length).toBeGreaterThan(60);
    for (const text of texts) {
      expect([text, outcome(() => recognizeDateTime(text, culture, undefined, REF))]).toEqual([text, outcome(() => plainDateTime.recognizeDateTime(text, culture, undefined, REF))]);
      expect([text, outcome(() => recognizeCurrency(text, culture))]).toEqual([text, outcome(() => plainUnits.recognizeCurrency(text, culture))]);
      expect([text, outcome(() => recognizeNumber(text, culture))]).toEqual([text, outcome(() => plainNumber.recognizeNumber(text, culture))]);
    }
  });

  it('gives the same results when called again (the kept regex pieces carry no state between calls)', () => {
    for (const [text, culture] of corpus.slice(0, 40)) {
      const first = outcome(() => recognizeDateTime(text, culture, undefined, REF));
      expect(outcome(() => recognizeDateTime(text, culture, undefined, REF))).toBe(first);
    }
  });
});
