/**
 * Publishing content with Redis down, frozen and restarted (a real redis-server of the test's own, the app's
 * production timeouts), two instances on it: a publish the store cannot take is refused with 503 and nothing
 * changes; once Redis is back, a publish reaches the other instance within seconds (its subscriber reconnected,
 * or its check caught up); a frozen Redis costs checks, never the process.
 */
import { DeskStaff } from '../support/desk-staff';
import { readyzBecomes, startApp, type Started } from '../support/fault-app';
import { waitFor } from '../support/harness';
import { uniquePrefix } from '../support/redis';
import { redisServerInstalled, TestRedisServer } from '../support/redis-server';

const installed = redisServerInstalled();
if (!installed && process.env.CI === 'true') throw new Error('redis-server is not installed: CI must install it');
const maybe = installed ? describe : describe.skip;

const greetingChange = (text: string) => ({ changes: [{ file: 'locales/zh-CN/common.json', key: 'greeting', text }] });

maybe('publishing content with Redis faults', () => {
  let redis: TestRedisServer;
  let one: Started;
  let two: Started;
  let boss: DeskStaff;

  beforeAll(async () => {
    redis = await TestRedisServer.start({ persistence: 'aof' });
    const env = { REDIS_KEY_PREFIX: uniquePrefix('console-faults') };
    one = await startApp(redis.url, env);
    two = await startApp(redis.url, env);
    await one.app.desk!.staff.add({ username: 'chen.sup', name: '陈静', role: 'supervisor', teams: [], password: 'Desk-pass-2024' });
    boss = await DeskStaff.login(one.url, 'chen.sup');
  });
  afterAll(async () => {
    await one?.app.close();
    await two?.app.close();
    await redis?.destroy();
  });

  const publish = async (text: string) => {
    const draft = await boss.call('PUT', '/desk/api/content/draft/texts', greetingChange(text));
    if (draft.status !== 200) return draft;
    return boss.call('POST', '/desk/api/content/publish', { note: `问候语：${text.slice(0, 6)}` });
  };

  it('Redis down: the publish is refused (503) and nothing changes; after the restart a publish reaches both instances', async () => {
    await redis.stop();
    const refused = await publish('您好，Redis 停止时的问候语。');
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('STORE_UNAVAILABLE');
    expect([one.app.liveContent.version, two.app.liveContent.version]).toEqual([0, 0]);
    await redis.restart();
    await readyzBecomes(one.url, 200, 10_000);
    await readyzBecomes(two.url, 200, 10_000);
    const published = await waitFor(() => publish('您好，Redis 恢复后的问候语。'), (r) => r.status === 200, 10_000);
    const version = published.body.version.version;
    expect(one.app.liveContent.version).toBe(version);
    await waitFor(() => Promise.resolve(two.app.liveContent.version), (v) => v === version, 10_000);
    expect(two.app.translator.t('zh-CN', 'common:greeting')).toBe('您好，Redis 恢复后的问候语。');
  }, 60_000);

  it('a publish cut short by a killed process (kill -9 between its writes) leaves a consistent history', async () => {
    const versions = one.app.liveContent.versions;
    const live = await versions.liveNumber();
    const files = (await versions.files(live))!;
    const edited = (text: string) => ({ ...files, 'locales/zh-CN/common.json': files['locales/zh-CN/common.json']!.replace(/"greeting": "[^"]*"/, `"greeting": "${text}"`) });
    // Killed after storing the version, before making it live: nothing changed, the next publish takes the next number.
    const orphan = await one.app.backend.incr(one.app.keys.contentSequence());
    await one.app.backend.set(one.app.keys.contentVersion(orphan), 'half-written');
    expect(await versions.liveNumber()).toBe(live);
    const next = await versions.publish({ files: edited('您好，进程被杀之后的问候语。'), by: 'chen.sup', note: '进程被杀之后', base: live });
    expect(next.version).toBe(orphan + 1);
    expect(await versions.files(orphan)).toBeUndefined();
    // Killed after making a version live, before it joined the history: the history still shows what is live.
    const history = one.app.keys.contentHistory();
    const entries = await one.app.backend.range(history, 0, -1);
    await one.app.backend.del(history);
    for (const e of entries.slice(0, -1)) await one.app.backend.append(history, e);
    expect((await versions.history())[0]).toEqual(expect.objectContaining({ version: next.version, note: '进程被杀之后' }));
    await waitFor(() => Promise.resolve(two.app.liveContent.version), (v) => v === next.version, 10_000);
  }, 30_000);

  it('Redis frozen: checks fail quietly and the process goes on; thawed, the next publish arrives', async () => {
    redis.freeze();
    const started = Date.now();
    await two.app.liveContent.check().catch(() => undefined);
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 1500));
    redis.thaw();
    await readyzBecomes(two.url, 200, 10_000);
    const published = await waitFor(() => publish('您好，Redis 解冻后的问候语。'), (r) => r.status === 200, 10_000);
    await waitFor(() => Promise.resolve(two.app.liveContent.version), (v) => v === published.body.version.version, 10_000);
    expect(two.app.translator.t('zh-CN', 'common:greeting')).toBe('您好，Redis 解冻后的问候语。');
  }, 60_000);
});
