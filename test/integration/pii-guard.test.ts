/**
 * The split number guard over real Redis, and the PII middleware in a real
 * botbuilder pipeline (TestAdapter): the bot never sees a card number, whether
 * typed in one message, in full-width digits, or over two messages, and the
 * platform's raw copy in channelData is masked with it.
 */
import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { Keys } from '../../bot/store/keys';
import type { RedisBackend } from '../../bot/store/redis-backend';
import { SplitNumberGuard } from '../../bot/privacy/split-number-guard';
import { PiiMiddleware } from '../../bot/turn/pii-middleware';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';

const TTL_MS = 120_000;

describe('split number guard on Redis', () => {
  let backend: RedisBackend;
  let keys: Keys;
  let guard: SplitNumberGuard;
  beforeAll(() => {
    backend = openTestBackend();
  });
  beforeEach(() => {
    keys = new Keys(uniquePrefix('pii'));
    guard = new SplitNumberGuard(backend, keys, { ttlMs: TTL_MS, scope: 'test' });
  });
  afterEach(() => deleteKeys(backend.redis, keys.prefix));
  afterAll(() => backend.close());

  it('masks the second half of a card typed over two messages, per conversation', async () => {
    expect(await guard.mask('directline:c1', '卡号6222 0211')).toEqual({ text: '卡号6222 0211', found: [] });
    // Another conversation's message in between changes nothing for this one.
    expect(await guard.mask('directline:c2', '2345 6789 012')).toEqual({ text: '2345 6789 012', found: [] });
    expect(await guard.mask('directline:c1', '2345 6789 012')).toEqual({ text: '****9012', found: ['card'] });
  });

  it('remembers only digit counts, for a short time, and forgets after a message without a number', async () => {
    await guard.mask('wechat-oa:o1', '卡号6222 0211');
    const key = keys.piiNumberTail('test', 'wechat-oa:o1');
    const stored = await backend.redis.get(key);
    expect(stored).not.toBeNull();
    expect(stored).not.toMatch(/6222|0211/);
    const ttl = await backend.redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL_MS);
    await guard.mask('wechat-oa:o1', '稍等');
    expect(await backend.redis.exists(key)).toBe(0);
    expect((await guard.mask('wechat-oa:o1', '2345 6789 012')).text).toBe('2345 6789 012');
  });

  it('keeps separate memories per scope (the web inbox and the turn pipeline see the same message)', async () => {
    const inbox = new SplitNumberGuard(backend, keys, { ttlMs: TTL_MS, scope: 'inbox' });
    await inbox.mask('directline:c1', '卡号6222 0211', { messageId: 'a' });
    await guard.mask('directline:c1', '卡号6222 0211', { messageId: 'a' });
    const masked = await inbox.mask('directline:c1', '2345 6789 012', { messageId: 'b' });
    expect(masked.text).toBe('****9012');
    expect((await guard.mask('directline:c1', masked.text, { messageId: 'b' })).text).toBe('****9012');
  });
});

describe('PII middleware in the turn pipeline', () => {
  let backend: RedisBackend;
  let keys: Keys;
  beforeAll(() => {
    backend = openTestBackend();
    keys = new Keys(uniquePrefix('pii-mw'));
  });
  afterAll(async () => {
    await deleteKeys(backend.redis, keys.prefix);
    await backend.close();
  });

  function pipeline() {
    const seen: Partial<Activity>[] = [];
    const adapter = new TestAdapter(async (context: TurnContext) => {
      seen.push({ text: context.activity.text, channelData: context.activity.channelData });
      await context.sendActivity('ok');
    }, { channelId: 'wechat-oa', conversation: { id: `o${uniquePrefix('c').slice(9, 17)}`, isGroup: false, conversationType: 'personal', name: '' } });
    adapter.use(new PiiMiddleware(new SplitNumberGuard(backend, keys, { ttlMs: TTL_MS, scope: 'turn' })));
    return { adapter, seen };
  }
  const wechatText = (text: string): Partial<Activity> => ({ type: 'message', text, channelData: { wechat: { MsgType: 'text', Content: text } } });

  it('shows the bot and the channel data only the masked text, and says what was hidden', async () => {
    const { adapter, seen } = pipeline();
    await adapter.send(wechatText('卡号６２２２　０２１２　３４５６　７８９０，PIN码 9988')).assertReply('ok');
    expect(seen[0]!.text).toBe('卡号****7890，PIN码 [已隐藏/hidden]');
    expect(seen[0]!.channelData).toEqual({ wechat: { MsgType: 'text', Content: '卡号****7890，PIN码 [已隐藏/hidden]' }, maskedPii: ['password', 'card'] });
  });

  it('catches a card typed over two messages and leaves phone numbers to the intake', async () => {
    const { adapter, seen } = pipeline();
    await adapter.send(wechatText('卡号6222 0211')).assertReply('ok').send(wechatText('2345 6789 012 电话13812345678')).assertReply('ok');
    expect(seen.map((a) => a.text)).toEqual(['卡号6222 0211', '****9012 电话13812345678']);
    expect((seen[1]!.channelData as { maskedPii: string[] }).maskedPii).toEqual(['card']);
  });

  it('leaves messages without personal data untouched', async () => {
    const { adapter, seen } = pipeline();
    await adapter.send(wechatText('查询 TS-20261123-0001，金额5000元')).assertReply('ok');
    expect(seen[0]).toEqual({ text: '查询 TS-20261123-0001，金额5000元', channelData: { wechat: { MsgType: 'text', Content: '查询 TS-20261123-0001，金额5000元' } } });
  });
});
