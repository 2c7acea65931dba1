/** What a message asks for inside a dialog (dialogs/task-interruption.ts), with the real recognizer and content. */
import { loadContent } from '../../bot/content/loader';
import { IntentRecognizer } from '../../bot/understanding/recognizer';
import type { Intent } from '../../bot/understanding/policy';
import { TaskInterruptions } from '../../dialogs/task-interruption';

const content = loadContent();
const recognizer = new IntentRecognizer(content.intents, content.commands);
const PURPOSE: Record<string, Intent> = { intake: 'complaint', withdraw: 'withdraw', person: 'person', language: 'language' };
const decider = new TaskInterruptions(recognizer, {
  purposeOf: (id) => PURPOSE[id],
  // The pick only names what the menu would do; the main flow turns it into a dialog.
  pickFor: (_text, r) => (r.intent === 'question' ? { kind: 'say', key: 'question.notYet' } : { kind: 'entry', entry: { id: r.intent, labelKey: `menu.${r.intent}` } }),
});
/** The root stack, top first: a task started from the menu sits on the main loop. */
const fromMenu = (task: string) => [task, 'main.loop'];

describe('a message inside a dialog', () => {
  it('is an answer when it is one: a date, a phone number, a story that mentions progress or a person', () => {
    for (const text of ['上周五下午', '13812345678', '上个月我去网点查询进度的时候柜员态度很差，还多收了我五十元', 'An apology from the manager', '同意']) {
      expect(decider.decide(fromMenu('intake'), text)).toBeUndefined();
    }
  });

  it('runs a progress check on top of the intake, which goes on after it', () => {
    expect(decider.decide(fromMenu('intake'), '查询进度')).toMatchObject({ kind: 'onTop', pick: { entry: { id: 'progress' } } });
    expect(decider.decide(fromMenu('intake'), 'check my complaint')).toMatchObject({ kind: 'onTop' });
  });

  it('leaves the intake when the customer says it is not a complaint', () => {
    expect(decider.decide(fromMenu('intake'), '我是想查进度，不是新投诉')).toMatchObject({ kind: 'leave', saidKey: 'switch.leftComplaint', pick: { entry: { id: 'progress' } } });
    expect(decider.decide(fromMenu('intake'), '我不是投诉，只是问问')).toMatchObject({ kind: 'leave', pick: { kind: 'say' } });
    expect(decider.decide(fromMenu('intake'), 'not a complaint, just asking')).toMatchObject({ kind: 'leave' });
  });

  it('does not end a task that runs on top of another one: the one below must survive', () => {
    expect(decider.decide(['intake', 'person', 'main.loop'], '我不是投诉，只是问问')).toMatchObject({ kind: 'onTop' });
  });

  it('a new complaint ends another task, but is more of the same inside the intake (even under a person)', () => {
    expect(decider.decide(fromMenu('withdraw'), '我要投诉')).toMatchObject({ kind: 'leave', saidKey: 'switch.leftTask' });
    expect(decider.decide(fromMenu('intake'), '我要投诉')).toBeUndefined();
    expect(decider.decide(['person', 'intake', 'main.loop'], '我要投诉')).toBeUndefined();
  });

  it('a person is always a person, a language by name is a command, help is help', () => {
    expect(decider.decide(fromMenu('person'), '转人工服务')).toEqual({ kind: 'command', command: { kind: 'person' } });
    expect(decider.decide(fromMenu('intake'), '我要找人工')).toEqual({ kind: 'command', command: { kind: 'person' } });
    expect(decider.decide(fromMenu('intake'), '请用英文')).toEqual({ kind: 'command', command: { kind: 'language', locale: 'en' } });
    expect(decider.decide(fromMenu('withdraw'), '使用帮助')).toEqual({ kind: 'command', command: { kind: 'help' } });
  });

  it('a plain question inside a task is an answer (the customer may be asking within it)', () => {
    expect(decider.decide(fromMenu('intake'), '能退吗？')).toBeUndefined();
  });
});
