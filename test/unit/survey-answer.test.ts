/** Reading a customer's reply to the satisfaction survey (bot/notify/survey.ts): a score in digits or words, a comment after it, and what is not a score. */
import { parseSurveyAnswer } from '../../bot/notify/survey';

describe('survey answers', () => {
  it.each([
    ['5', { score: 5 }],
    [' 4 ', { score: 4 }],
    ['5分', { score: 5 }],
    ['3 分', { score: 3 }],
    ['5星', { score: 5 }],
    ['5/5', { score: 5 }],
    ['五分', { score: 5 }],
    ['两分', { score: 2 }],
    ['4 处理得挺快', { score: 4, comment: '处理得挺快' }],
    ['2，处理太慢了', { score: 2, comment: '处理太慢了' }],
    ['1分 态度很差', { score: 1, comment: '态度很差' }],
    ['5 非常满意', { score: 5 }],
    ['4 滿意', { score: 4 }],
    ['非常满意', { score: 5 }],
    ['很满意，谢谢', { score: 5, comment: '谢谢' }],
    ['满意', { score: 4 }],
    ['一般', { score: 3 }],
    ['不满意', { score: 2 }],
    ['非常不滿意', { score: 1 }],
    ['very satisfied', { score: 5 }],
    ['Satisfied, thanks', { score: 4, comment: 'thanks' }],
    ['dissatisfied', { score: 2 }],
    ['3 stars', { score: 3 }],
  ])('%s', (text, expected) => {
    expect(parseSurveyAnswer(text)).toEqual(expected);
  });

  it.each(['帮助', '10', '15元', '1楼的ATM又坏了', '6', '0', '我想再投诉一次', '谢谢', ''])('is not a score: %s', (text) => {
    expect(parseSurveyAnswer(text)).toBeUndefined();
  });
});
