/**
 * The WeCom customer-service channel with Redis down, frozen and restarted
 * (a real redis-server of the test's own; the app opens it with the production
 * timeouts): a callback the store cannot check is answered 503, so WeCom sends
 * it again; a pull that fails half-way keeps its cursor; once Redis is back,
 * every message the customer sent is answered, none twice.
 */
import { readyzBecomes, startApp, type Started } from '../support/fault-app';
import { redisServerInstalled, TestRedisServer } from '../support/redis-server';
import { KfCustomer, OPEN_KFID, fakeWeCom, until, wecomEnv } from '../fakes/wecom-account';

const installed = redisServerInstalled();
if (!installed && process.env.CI === 'true') throw new Error('redis-server is not installed: CI must install it');
const maybe = installed ? describe : describe.skip;

maybe('WeCom customer service with Redis faults', () => {
  const fake = fakeWeCom();
  let redis: TestRedisServer;
  let t: Started;

  beforeAll(async () => {
    await fake.start();
    // With persistence, as production runs it (REDIS.md): a restart keeps the cursor and what was already answered.
    redis = await TestRedisServer.start({ persistence: 'aof' });
    t = await startApp(redis.url, wecomEnv(fake));
    await readyzBecomes(t.url, 200, 5000);
  });
  afterAll(async () => {
    await t?.app.close();
    await redis?.destroy();
    await fake.stop();
  });

  it('Redis down: the callback is refused with 503 and nothing pulled; after the restart the message is answered once', async () => {
    const c = new KfCustomer(fake, t.url);
    await c.says('使用帮助');
    await redis.stop();
    fake.customerWrites(OPEN_KFID, c.external, '帮助');
    const calls = fake.syncCalls.length;
    const refused = await fake.deliverCallback(t.url, OPEN_KFID);
    expect(refused.status).toBe(503);
    expect(fake.syncCalls.length).toBe(calls);
    await redis.restart();
    // WeCom sends the callback again (or the next one comes): the waiting message is pulled and answered.
    let answered = false;
    for (let i = 0; i < 20 && !answered; i++) {
      const again = await fake.deliverCallback(t.url, OPEN_KFID);
      answered = again.status === 200;
      if (!answered) await new Promise((r) => setTimeout(r, 250));
    }
    await until(() => c.received().length === 2, 'the answer after the restart', 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.received()).toHaveLength(2);
  });

  it('Redis frozen during a pull: the pull fails, is tried again, and every message is answered once', async () => {
    const customers = [new KfCustomer(fake, t.url), new KfCustomer(fake, t.url)];
    for (const c of customers) fake.customerWrites(OPEN_KFID, c.external, '使用帮助');
    // The platform is slow to answer the pull; Redis freezes meanwhile and thaws a little later.
    fake.delayNextSync.push(300);
    expect((await fake.deliverCallback(t.url, OPEN_KFID)).status).toBe(200);
    redis.freeze();
    await new Promise((r) => setTimeout(r, 1500));
    redis.thaw();
    await until(() => customers.every((c) => c.received().length >= 1), 'both answered', 15_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(customers.map((c) => c.received().length)).toEqual([1, 1]);
  });
});
