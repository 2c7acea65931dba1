/** The message recognizer (bot/understanding): the fixture of customers' phrasings, and the cases the issue names. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ContentError, DEFAULT_CONTENT_DIR, loadContent } from '../../bot/content/loader';
import { IntentRecognizer } from '../../bot/understanding/recognizer';
import { evaluate, parseLabelled } from '../../bot/understanding/evaluate';
import { foldText, dropFillers } from '../../bot/understanding/normalise';

const content = loadContent();
const recognizer = new IntentRecognizer(content.intents, content.commands);
const intentOf = (text: string, expecting: 'menu' | 'answer' = 'menu') => recognizer.recognise(text, expecting).intent;

describe('intent recognizer', () => {
  it('reaches at least 95% on the fixture of 400+ phrasings in zh-CN, zh-TW and English', () => {
    const rows = parseLabelled(readFileSync(path.join(__dirname, '..', 'fixtures', 'intents.jsonl'), 'utf8'));
    expect(rows.length).toBeGreaterThanOrEqual(400);
    const result = evaluate(rows, recognizer);
    if (result.accuracy < 0.95) console.log(result.misses);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.95);
    // Every intent is in the fixture.
    expect(Object.values(result.perIntent).every((f) => f.support > 0)).toBe(true);
    expect(Object.keys(result.perIntent)).toHaveLength(14);
  });

  it.each([
    ['查询进度', 'progress'],
    ['我的投诉进度怎么样', 'progress'],
    ['处理到哪了', 'progress'],
    ['how is my complaint going', 'progress'],
    ['我是想查进度，不是新投诉', 'progress'],
    ['我要找人工', 'person'],
    ['转人工', 'person'],
    ['真人', 'person'],
    ['客服', 'person'],
    ['agent', 'person'],
    ['talk to a person', 'person'],
    ['信用卡年费怎么免', 'question'],
    ['我不是投诉，只是问问', 'question'],
    ['我要投诉', 'complaint'],
    ['信用卡莫名其妙扣了我两百多的年费，我从来没开通过', 'complaint'],
    ['撤销投诉', 'withdraw'],
    ['申请复核 TS-20260101-0001', 'appeal'],
    ['English', 'language'],
    ['你好', 'greeting'],
    ['谢谢', 'thanks'],
    ['再见', 'goodbye'],
    ['取消', 'cancel'],
    ['重新开始', 'restart'],
    ['帮助', 'help'],
  ])('%s → %s', (text, intent) => {
    expect(intentOf(text)).toBe(intent);
  });

  it('counts a negation against the phrase it negates', () => {
    expect(intentOf('不要人工')).not.toBe('person');
    expect(intentOf('不是投诉')).not.toBe('complaint');
    expect(intentOf("I don't want to talk to a person")).not.toBe('person');
    expect(intentOf('客服态度太差了')).toBe('complaint');
  });

  it('normalises width, case, traditional characters and fillers', () => {
    expect(intentOf('查詢進度')).toBe('progress');
    expect(intentOf('ＨＥＬＬＯ')).toBe('greeting');
    expect(intentOf('請問一下我要轉人工嗎？')).toBe('person');
    expect(intentOf('Can you please check my complaint')).toBe('progress');
    expect(dropFillers(foldText('請問，我想查詢一下進度呢？'), content.intents.fillers.map((f) => foldText(f).trim())).trim()).toBe('查询进度');
  });

  it('returns the runner-up, the language asked for and a complaint number', () => {
    const r = recognizer.recognise('我的投诉进度怎么样');
    expect(r.runnerUp.score).toBeLessThan(r.score);
    expect(recognizer.recognise('请用繁体').locale).toBe('zh-TW');
    expect(recognizer.recognise('switch to english').locale).toBe('en');
    expect(recognizer.recognise('ts-20260305-0012 处理得怎么样')).toMatchObject({ intent: 'progress', ticketNumber: 'TS-20260305-0012' });
  });

  it('takes an answer to a prompt as an answer unless the message clearly asks for something else', () => {
    for (const answer of ['不记得了', '前几天吧', '记不清了', '大概上个月', '13800138000', '2000元', '希望退还年费']) {
      expect(intentOf(answer, 'answer')).toBe('none');
    }
    expect(intentOf('我要找人工', 'answer')).toBe('person');
    expect(intentOf('我不是投诉，只是问问', 'answer')).toBe('question');
    // A weak hint is not enough inside a dialog: the customer is answering.
    expect(intentOf('在柜台，人工窗口', 'answer')).toBe('none');
  });

  it('is fast enough to run on every message', () => {
    const text = '上个月你们银行扣了我300块钱年费，我根本没开通过这个服务，打客服电话也没人管，我要投诉';
    const started = process.hrtime.bigint();
    for (let i = 0; i < 2000; i++) recognizer.recognise(text);
    const micros = Number(process.hrtime.bigint() - started) / 1000 / 2000;
    expect(micros).toBeLessThan(1000);
  });

  it('rejects an intents policy with a broken pattern or a missing intent, naming the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'content-'));
    try {
      cpSync(DEFAULT_CONTENT_DIR, dir, { recursive: true });
      const file = path.join(dir, 'policy', 'intents.json');
      const json = JSON.parse(readFileSync(file, 'utf8'));
      json.intents.complaint.patterns.push({ pattern: '(unclosed', weight: 1 });
      delete json.intents.help;
      writeFileSync(file, JSON.stringify(json));
      let problems: string[] = [];
      try {
        loadContent(dir);
      } catch (error) {
        if (error instanceof ContentError) problems = error.problems;
        else throw error;
      }
      expect(problems.join('\n')).toMatch(/policy\/intents\.json: intents\.complaint\.patterns\.\d+\.pattern: not a valid regular expression/);
      expect(problems.join('\n')).toMatch(/policy\/intents\.json: intents\.help/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
