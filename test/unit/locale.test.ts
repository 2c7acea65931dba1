import { chooseLocale, localeOfText, normaliseLocale } from '../../bot/turn/locale';

describe('locale choice', () => {
  it.each([
    ['zh-CN', 'zh-CN'], ['zh', 'zh-CN'], ['zh-Hans-CN', 'zh-CN'], ['zh-TW', 'zh-TW'], ['zh-HK', 'zh-TW'],
    ['zh-Hant', 'zh-TW'], ['en-US', 'en'], ['EN', 'en'], ['fr-FR', undefined], [undefined, undefined],
  ])('normalises %s to %s', (tag, expected) => expect(normaliseLocale(tag)).toBe(expected));

  it.each([
    ['我的信用卡被盜刷了', 'zh-TW'], ['我的信用卡被盗刷了', 'zh-CN'], ['I was charged twice', 'en'],
    ['你好', undefined], ['ok', undefined], ['1234', undefined], ['😡😡', undefined],
  ])('reads the script of %s as %s', (text, expected) => expect(localeOfText(text)).toBe(expected));

  it('prefers an explicit choice, then the text, then what was detected, then the channel', () => {
    expect(chooseLocale({ chosen: 'en', text: '我要投訴', channelLocale: 'zh-CN' }).locale).toBe('en');
    expect(chooseLocale({ text: '我要投訴', detected: 'zh-CN', channelLocale: 'en-US' }).locale).toBe('zh-TW');
    expect(chooseLocale({ text: 'ok', detected: 'zh-TW', channelLocale: 'en-US' }).locale).toBe('zh-TW');
    expect(chooseLocale({ text: 'ok', channelLocale: 'en-US' }).locale).toBe('en');
    expect(chooseLocale({}).locale).toBe('zh-CN');
  });

  it('a Chinese conversation turns English only for a sentence, not for "ok thanks" or a swear word', () => {
    for (const text of ['ok thanks', 'asdfghjkl', 'fuck you', 'nope']) {
      expect([text, chooseLocale({ text, detected: 'zh-CN' }).locale]).toEqual([text, 'zh-CN']);
      expect([text, chooseLocale({ text, channelLocale: 'zh-TW' }).locale]).toEqual([text, 'zh-TW']);
    }
    expect(chooseLocale({ text: 'talk to a human', detected: 'zh-CN' }).locale).toBe('en');
    expect(chooseLocale({ text: 'I was charged twice', detected: 'zh-TW' }).locale).toBe('en');
    // With nothing Chinese known, two words still decide.
    expect(chooseLocale({ text: 'ok thanks' }).locale).toBe('en');
  });

  it('keeps a known Chinese locale for text that reads the same in both scripts', () => {
    expect(chooseLocale({ text: '你好', channelLocale: 'zh-TW' }).locale).toBe('zh-TW');
    expect(chooseLocale({ text: '你好', channelLocale: 'en-US' }).locale).toBe('zh-CN');
  });
});
