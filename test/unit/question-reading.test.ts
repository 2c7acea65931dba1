/**
 * When is a message a question for the knowledge base (issues 9 and 11)? The
 * recognizer, given the FAQ, reads a short message that asks something — or
 * reads only weakly as something else — as a question when the FAQ answers it
 * surely; a story stays a complaint, a question about the customer's own case
 * stays a progress check. And the question dialog reads places in a list the
 * way customers write them.
 */
import { loadContent } from '../../bot/content/loader';
import { FaqIndex } from '../../bot/faq/faq-index';
import { IntentRecognizer } from '../../bot/understanding/recognizer';
import { ordinalOf } from '../../dialogs/question-dialog';

const content = loadContent();
const index = FaqIndex.build(content.faq.entries, content.faq.search);
let asked = 0;
const knowledge = {
  answersDirectly: (text: string) => {
    asked++;
    return index.search(text).kind === 'answer';
  },
};
const withFaq = new IntentRecognizer(content.intents, content.commands, knowledge);
const without = new IntentRecognizer(content.intents, content.commands);

describe('a question the FAQ surely answers', () => {
  it.each([
    ['投诉多久有结果', 'progress'],
    ['投訴多久有結果', 'progress'],
    ['不满意处理结果要怎么申诉', 'appeal'],
    ['how long does a complaint take', 'complaint'],
    ['what do i need to bring to open an account', 'help'],
  ])('%s is a question (without the FAQ: %s)', (text, otherwise) => {
    expect(without.recognise(text).intent).toBe(otherwise);
    const r = withFaq.recognise(text);
    expect(r).toMatchObject({ intent: 'question', answerable: true, runnerUp: { intent: otherwise } });
  });

  it.each([
    // The customer's own case: a progress check, even though the FAQ knows how long complaints take.
    ['我的投诉多久有结果', 'progress'],
    // A story without a question in it stays a complaint, however well the FAQ knows the topic.
    ['信用卡莫名其妙扣了我两百多的年费，我从来没开通过这个服务', 'complaint'],
    ['信用卡账单里多了一笔我没办过的分期手续费', 'complaint'],
    // What the customer asked for in so many words.
    ['我要投诉', 'complaint'],
    ['转人工', 'person'],
    ['查询进度', 'progress'],
  ])('%s stays %s', (text, intent) => {
    expect(withFaq.recognise(text).intent).toBe(intent);
    expect(withFaq.recognise(text).answerable).toBeUndefined();
  });

  it('a scam check ("是真的吗") is a question, not a complaint, and the FAQ has its warning', () => {
    const text = '有个人打电话说是你们银行的，让我把钱转到安全账户，是真的吗';
    expect(withFaq.recognise(text).intent).toBe('question');
    expect(index.search(text)).toMatchObject({ kind: 'answer', hit: { id: 'fraud-fake-customer-service' } });
  });

  it('a long story that asks something at the end stays a story, and the FAQ is not even searched for it', () => {
    const before = asked;
    const story = '上个月我在你们ATM取钱，卡被吞了，去网点领卡等了三个小时，柜员态度还很差，到现在也没人给个说法，这正常吗？';
    expect(withFaq.recognise(story).intent).toBe('complaint');
    expect(asked).toBe(before);
  });
});

describe('places in a list, as customers write them', () => {
  it.each([
    ['2', 2], ['第二个', 2], ['第2个', 2], ['第三条', 3], ['选一', 1], ['两个', 2], ['the second one', 2], ['second', 2], ['number 3', 3], ['#1', 1],
  ] as [string, number][])('%s → %s', (said, place) => {
    expect(ordinalOf(said)).toBe(place);
  });

  it.each(['二十', '2个人', 'second hand', '我选第二个方案吧', '12', '0'])('%s is not a place', (said) => {
    expect(ordinalOf(said)).toBeUndefined();
  });
});
