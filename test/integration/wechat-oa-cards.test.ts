/**
 * The intake's cards on WeChat, which shows no cards: the summary before
 * submission and the receipt arrive as clean lines — one field per line, the
 * choices numbered, no empty lines, no Markdown — through the real app and a
 * simulated WeChat user (safe mode), with the fake WeChat server on loopback.
 */
import { renderText } from '../../adapters/tencent/render';
import { AES_KEY, APP_ID, SECRET, TOKEN, wechatEnv } from '../fakes/wechat-account';
import { FakeWeChatServer } from '../fakes/wechat-server';
import { SimulatedWeChatUser } from '../fakes/wechat-user';
import { startTestApp, type TestApp } from '../support/harness';
import { uniquePrefix } from '../support/redis';

describe('intake cards on WeChat', () => {
  const fake = new FakeWeChatServer(APP_ID, SECRET);
  let t: TestApp;
  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({ env: wechatEnv(fake) });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  const user = () => new SimulatedWeChatUser({ botUrl: t.url, token: TOKEN, appId: APP_ID, aesKey: AES_KEY, safeMode: true, openId: `o${uniquePrefix('u').slice(7, 15)}` });

  it('shows the summary as one block of lines with numbered choices, and the receipt without Markdown', async () => {
    const u = user();
    await u.send(u.event('subscribe'));
    await u.send(u.text('我昨天下午在陆家嘴支行ATM取款5000元，钱没出来但卡里扣了，希望尽快退款，电话13812345678'));
    const summary = (await u.send(u.text('1'))).reply ?? ''; // "1. 同意"
    const lines = summary.split('\n');
    expect(lines[0]).toBe('请确认您的投诉信息：');
    expect(lines).toContain('金额：¥5,000.00');
    expect(lines).toContain('联系电话：138****5678');
    expect(lines.slice(-3)).toEqual(['1. 确认提交', '2. 修改信息', '（回复数字即可选择）']);
    expect(lines.filter((l) => l.trim() === '')).toEqual([]); // no empty-line gaps
    const noMarkdown = (s: string) => expect(s.replace(/\d\*{4}\d/g, '')).not.toMatch(/[*\\]/); // masked digits aside
    noMarkdown(summary); // no Markdown from the web card
    const receipt = (await u.send(u.text('1'))).reply ?? ''; // "1. 确认提交"
    expect(receipt).toMatch(/^您的投诉已登记，编号 TS-\d{8}-\d{4}。/);
    noMarkdown(receipt);
  });

  it('turns a message that has only an Adaptive Card into its lines', () => {
    const card = {
      type: 'AdaptiveCard',
      version: '1.3',
      body: [
        { type: 'Container', items: [{ type: 'TextBlock', text: '投诉回执' }] },
        { type: 'ColumnSet', columns: [{ type: 'Column', items: [{ type: 'TextBlock', text: '联系电话：' }] }, { type: 'Column', items: [{ type: 'TextBlock', text: '138\\*\\*\\*\\*5678' }] }] },
        { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: '金额：' }, { type: 'TextRun', text: '¥5,000.00' }] },
        { type: 'TextBlock', text: '编号 **TS-20260101-0001**。' },
        { type: 'Image', url: 'data:image/png;base64,AAAA' },
      ],
    };
    const text = renderText([{ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] }], '（回复数字即可选择）');
    expect(text).toBe('投诉回执\n联系电话：138****5678\n金额：¥5,000.00\n编号 TS-20260101-0001。');
  });
});
