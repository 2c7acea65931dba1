/**
 * What the FAQ keeps for supervisors, in a real Redis (issue 11): unanswered
 * questions (count, last asked, a masked sample; one line however the same
 * question is spaced or cased), "did this help?" per entry, `npm run
 * faq:misses`; a store that is down loses the figures, never the customer's
 * answer; and the knowledge base reloads from content/ without a restart,
 * refusing a broken version.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { createLogger } from '../../bot/log';
import { FaqStats } from '../../bot/faq/stats';
import { Keys } from '../../bot/store/keys';
import { RedisBackend } from '../../bot/store/redis-backend';
import { deleteKeys, openTestBackend, testRedisUrl, uniquePrefix } from '../support/redis';
import { startTestApp, daytimeClock, type TestApp } from '../support/harness';
import { ScriptedCustomer, texts } from '../support/conversation';
import { copyContent } from '../support/content';

function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', hashKey: 'k', destination: new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }) });
  return { logger, lines };
}

describe('FAQ figures in Redis', () => {
  const backend = openTestBackend();
  const prefix = uniquePrefix('faq');
  let now = new Date('2026-12-01T02:00:00Z');
  const stats = new FaqStats(backend, new Keys(prefix), () => now, capturingLogger().logger);
  afterAll(async () => {
    await deleteKeys(backend.redis, prefix);
    await backend.close();
  });

  it('counts unanswered questions as one line however they are written, masks the sample, and lists the most asked first', async () => {
    stats.miss('能办 星座卡吗');
    stats.miss('能办星座卡吗？');
    stats.miss('能办星座卡吗');
    now = new Date('2026-12-01T03:00:00Z');
    stats.miss('我身份证110101199003071234能在外地补办吗');
    await stats.drained();
    const misses = await stats.misses();
    expect(misses.map((m) => m.count)).toEqual([3, 1]);
    expect(misses[0]!.sample).toContain('星座卡');
    expect(misses[1]!.sample).not.toContain('110101199003071234');
    expect(misses[1]!.lastSeen.toISOString()).toBe('2026-12-01T03:00:00.000Z');
  });

  it('forgets a question not asked for 90 days', async () => {
    now = new Date('2027-03-05T00:00:00Z');
    stats.miss('外汇怎么买');
    await stats.drained();
    expect((await stats.misses()).map((m) => m.sample)).toEqual(['外汇怎么买']);
  });

  it('counts "did this help?" per entry and verdict', async () => {
    stats.feedback('card-lost', true);
    stats.feedback('card-lost', true);
    stats.feedback('card-lost', false);
    await stats.drained();
    expect(await stats.feedbackFigures(['card-lost', 'atm-card-retained'])).toEqual([
      { id: 'card-lost', helped: 2, notHelped: 1 },
      { id: 'atm-card-retained', helped: 0, notHelped: 0 },
    ]);
  });

  it('npm run faq:misses lists them from the Redis the bot uses', () => {
    const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'bot/faq/misses-cli.ts', '--json'], {
      cwd: path.join(__dirname, '..', '..'),
      encoding: 'utf8',
      env: { ...process.env, REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix, NODE_ENV: 'development' },
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(out.misses[0]).toMatchObject({ count: 1, sample: '外汇怎么买' });
    expect(out.feedback).toEqual([{ id: 'card-lost', helped: 2, notHelped: 1 }]);
    const text = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'bot/faq/misses-cli.ts'], {
      cwd: path.join(__dirname, '..', '..'),
      encoding: 'utf8',
      env: { ...process.env, REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix, NODE_ENV: 'development' },
      timeout: 30_000,
    });
    expect(text.stdout).toMatch(/Unanswered questions[^]*1 {2}2027-03-05 00:00 {2}外汇怎么买/);
  }, 60_000);

  it('with Redis unreachable, recording fails quietly: logged without the text, nothing thrown', async () => {
    const down = RedisBackend.connect('redis://127.0.0.1:1', { connectTimeoutMs: 100, commandTimeoutMs: 100 });
    const { logger, lines } = capturingLogger();
    const broken = new FaqStats(down, new Keys(prefix), () => new Date(), logger);
    expect(() => broken.miss('我的手机13812345678收不到验证码')).not.toThrow();
    expect(() => broken.feedback('card-lost', true)).not.toThrow();
    await broken.drained();
    const logged = lines.join('');
    expect(logged).toMatch(/FAQ_STATS/);
    expect(logged).not.toMatch(/13812345678|验证码/);
    await down.close().catch(() => undefined);
  }, 20_000);
});

describe('the knowledge base reloads without a restart', () => {
  let dir: string;
  let t: TestApp;
  const file = () => path.join(dir, 'faq', 'atm.json');
  const rewrite = (change: (json: any) => void) => {
    const json = JSON.parse(readFileSync(file(), 'utf8'));
    change(json);
    writeFileSync(file(), JSON.stringify(json, null, 2));
  };
  beforeAll(async () => {
    dir = copyContent('faq-reload-');
    t = await startTestApp({ now: daytimeClock(), env: { CONTENT_DIR: dir } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a changed answer and a new entry are served after a reload; a broken version is refused and the old one stays', async () => {
    rewrite((json) => {
      const retained = json.entries.find((e: any) => e.id === 'atm-card-retained');
      retained.answer['zh-CN'] = '新答案：请联系ATM所属网点领取被吞的卡，带上本人有效身份证件。';
      json.entries.push({
        id: 'atm-deposit-foreign-coins',
        tags: ['atm', 'coins'],
        questions: { 'zh-CN': ['ATM能存硬币吗', '硬币能在ATM存吗', '存款机收不收硬币'], 'zh-TW': ['ATM能存硬幣嗎', '存款機收硬幣嗎'], en: ['Can I deposit coins at an ATM?', 'Does the ATM take coins?'] },
        answer: { 'zh-CN': 'ATM不收硬币，请到网点柜台存入。', 'zh-TW': 'ATM不收硬幣，請到分行櫃台存入。', en: 'ATMs do not take coins; please deposit them at a branch counter.' },
      });
    });
    // Before the reload: the old answer, and no entry about coins.
    const c = await ScriptedCustomer.start(t, 'zh-CN');
    await c.greeting();
    expect(texts(await c.say('卡被ATM吞了怎么办'))).not.toContain('新答案');
    expect(t.app.faq.reload()).toEqual({ ok: true, entries: t.app.content.faq.entries.length + 1 });
    await c.say('有帮助');
    expect(texts(await c.say('卡被ATM吞了怎么办'))).toContain('新答案');
    await c.say('有帮助');
    expect(texts(await c.say('ATM能存硬币吗'))).toContain('ATM不收硬币');

    // A broken version (an answer missing in English): refused, named, and the running one is kept.
    rewrite((json) => {
      delete json.entries.find((e: any) => e.id === 'atm-card-retained').answer.en;
    });
    const refused = t.app.faq.reload();
    expect(refused.ok).toBe(false);
    expect(refused.ok ? [] : refused.problems).toEqual(expect.arrayContaining([expect.stringMatching(/faq\/atm\.json: entry "atm-card-retained": answer\.en/)]));
    expect(t.logs.join('')).toMatch(/FAQ_RELOAD_REFUSED/);
    expect(t.app.faq.knowledge.answer('atm-card-retained', 'en')?.text.length).toBeGreaterThan(10);
    expect(t.app.faq.knowledge.answer('atm-card-retained', 'zh-CN')?.text).toContain('新答案');
  }, 30_000);

  it('SIGHUP reloads', async () => {
    rewrite((json) => {
      const retained = json.entries.find((e: any) => e.id === 'atm-card-retained');
      retained.answer.en = 'Reloaded by SIGHUP: call the number on the ATM and collect the card at its branch with your ID.';
    });
    process.emit('SIGHUP', 'SIGHUP');
    expect(t.app.faq.knowledge.answer('atm-card-retained', 'en')?.text).toMatch(/^Reloaded by SIGHUP/);
  });
});
