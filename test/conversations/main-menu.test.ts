/** Scripted conversations with the real bot over Direct Line: greeting, menu and global commands in three languages. */
import { startTestApp, type TestApp } from '../support/harness';
import { ScriptedCustomer, buttons, texts } from '../support/conversation';

describe('main menu conversations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('greets in simplified Chinese with the menu when the chat opens', async () => {
    const c = await ScriptedCustomer.start(t, 'zh-CN');
    const greeting = await c.greeting();
    expect(texts(greeting)).toMatch(/^您好/);
    expect(buttons(greeting)).toEqual(['我要投诉', '查询投诉进度', '撤销投诉', '转人工服务', '咨询问题', '切换语言', '使用帮助']);
  });

  it('answers 你好 with the greeting and menu', async () => {
    const c = await ScriptedCustomer.start(t, 'zh-CN');
    await c.greeting();
    const replies = await c.say('你好');
    expect(texts(replies)).toMatch(/您好！我是银行的在线客服助手/);
    expect(buttons(replies)).toContain('使用帮助');
  });

  it('answers in traditional Chinese when the customer writes traditional characters, even on an English page', async () => {
    const c = await ScriptedCustomer.start(t, 'en-US');
    expect(texts(await c.greeting())).toMatch(/^Hello/);
    const replies = await c.say('請問怎麼查詢進度');
    expect(texts(replies)).toMatch(/您目前沒有投訴紀錄/); // understood as a progress check (issue 9)
    expect(buttons(replies)).toEqual(['我要投訴', '查詢投訴進度', '撤銷投訴', '轉接專人服務', '諮詢問題', '切換語言', '使用說明']);
  });

  it('understands the help command in every language form and re-asks the same question', async () => {
    const c = await ScriptedCustomer.start(t, 'zh-CN');
    await c.greeting();
    for (const word of ['帮助', '幫助', 'HELP']) {
      const replies = await c.say(word);
      expect(replies.length).toBeGreaterThanOrEqual(2);
      expect(texts(replies)).toMatch(/取消|cancel|取消/i);
      expect(buttons(replies).length).toBe(7);
    }
  });

  it('says there is nothing to cancel at the menu, and restarts on 重新开始', async () => {
    const c = await ScriptedCustomer.start(t, 'zh-CN');
    await c.greeting();
    expect(texts(await c.say('取消'))).toMatch(/目前没有正在办理的事项/);
    expect(texts(await c.say('重新开始'))).toMatch(/好的，我们重新开始/);
  });

  it('switches language from the menu and remembers the choice for later messages', async () => {
    const c = await ScriptedCustomer.start(t, 'zh-CN');
    await c.greeting();
    const ask = await c.say('6'); // the sixth entry (change language), by its number
    expect(texts(ask)).toMatch(/请选择您希望使用的语言/);
    expect(buttons(ask)).toEqual(['简体中文', '繁體中文', 'English']);
    const changed = await c.say('English');
    expect(texts(changed)).toMatch(/continue in English/);
    expect(buttons(changed)).toEqual(['Make a complaint', 'Check my complaint', 'Withdraw a complaint', 'Talk to a person', 'Ask a question', 'Change language', 'Help']);
    // A Chinese message no longer switches back: the explicit choice wins.
    expect(texts(await c.say('帮助'))).toMatch(/You can send these at any time/);
  });

  it('politely refuses an over-long message and a message with nothing to read', async () => {
    const c = await ScriptedCustomer.start(t, 'zh-CN');
    await c.greeting();
    expect(texts(await c.say('我'.repeat(5001)))).toMatch(/超过 5000 个字/);
    expect(texts(await c.say('   '))).toMatch(/我暂时只能阅读文字消息/);
  });

  it('cancels in the middle of a task and returns to the menu', async () => {
    const c = await ScriptedCustomer.start(t, 'en');
    await c.greeting();
    await c.say('Change language');
    const replies = await c.say('cancel');
    expect(texts(replies)).toMatch(/I've cancelled that/);
    expect(buttons(replies)).toContain('Make a complaint');
  });
});
