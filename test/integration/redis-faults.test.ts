/**
 * Redis faults on a redis-server of this file's own (never the shared one):
 * down, frozen (SIGSTOP), refusing writes (OOM, MISCONF), back again; ticket
 * numbers after the day's counter is lost; production start-up on a Redis that
 * does not persist. Requests must fail within about the command timeout with a
 * 503 and Retry-After, /readyz must say "not ready" within 2 s of each fault,
 * and work must continue when Redis returns.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { createLogger } from '../../bot/log';
import { checkPersistence, verifyPersistence } from '../../bot/store/persistence';
import { RedisBackend } from '../../bot/store/redis-backend';
import type { NewComplaint } from '../../bot/tickets/service';
import { startConversation, waitFor } from '../support/harness';
import { chatTurnWorks, expectStoreUnavailable, get, post, readyzBecomes, say, startApp, timed, type Started } from '../support/fault-app';
import { uniquePrefix } from '../support/redis';
import { rawConnect } from '../support/raw-websocket';
import { redisServerInstalled, TestRedisServer } from '../support/redis-server';

const installed = redisServerInstalled();
if (!installed) {
  if (process.env.CI === 'true') throw new Error('redis-server is not installed: CI must install it (apt-get install redis-server)');
  console.warn('SKIPPED redis-faults: redis-server is not installed (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)');
}
const maybe = installed ? describe : describe.skip;

/** A value no log masking would hide: if it shows up, a command's arguments leaked. */
const MARKER = 'ARGUMENT-MARKER-7f3c';

/** Within 2 s of a fault, /readyz must say "not ready". */
const READY_WITHIN_MS = 2000;
/** A request during a fault must be answered within about the command timeout (1 s by default), not 20 s. */
const ANSWER_WITHIN_MS = 2500;

maybe('Redis faults', () => {
  let redis: TestRedisServer;
  let t: Started;
  let conv: { conversationId: string; token: string };

  beforeAll(async () => {
    // RDB save points on, so that a failing background save can stop writes (MISCONF); `dir` may be changed.
    redis = await TestRedisServer.start({ persistence: 'rdb', args: ['--enable-protected-configs', 'yes'] });
    t = await startApp(redis.url);
    conv = await startConversation(t.url);
  });
  afterAll(async () => {
    await t?.app.close();
    await redis?.destroy();
  });

  it('is ready and chats while Redis is healthy', async () => {
    expect((await get(`${t.url}/readyz`)).status).toBe(200);
    await chatTurnWorks(t.url);
  });

  it('Redis down: requests get 503 with Retry-After within about a second, /readyz 503 within 2 s, back to work when it returns', async () => {
    await redis.stop();
    expect(await readyzBecomes(t.url, 503, READY_WITHIN_MS)).toBeLessThan(READY_WITHIN_MS);

    const [token, tokenMs] = await timed(() => post(`${t.url}/webchat/token`, {}));
    expectStoreUnavailable(token);
    expect(tokenMs).toBeLessThan(ANSWER_WITHIN_MS);

    const [message, messageMs] = await timed(() => say(t.url, conv, 'hello?'));
    expectStoreUnavailable(message);
    expect(messageMs).toBeLessThan(ANSWER_WITHIN_MS);

    const [ready, readyMs] = await timed(() => get(`${t.url}/readyz`));
    expect(ready.status).toBe(503);
    expect(ready.body.checks.store).toBe(false);
    expect(readyMs).toBeLessThan(READY_WITHIN_MS);

    await redis.restart();
    await readyzBecomes(t.url, 200, 5000);
    await chatTurnWorks(t.url);
  });

  it('Redis frozen (SIGSTOP): requests get 503 within about a second, /readyz 503 within 2 s; thawed, work continues', async () => {
    redis.freeze();
    try {
      const [ready, readyMs] = await timed(() => get(`${t.url}/readyz`));
      expect(ready.status).toBe(503);
      expect(readyMs).toBeLessThan(READY_WITHIN_MS);

      const [token, tokenMs] = await timed(() => post(`${t.url}/webchat/token`, {}));
      expectStoreUnavailable(token);
      expect(tokenMs).toBeLessThan(ANSWER_WITHIN_MS);

      const [message, messageMs] = await timed(() => say(t.url, conv, 'are you there?'));
      expectStoreUnavailable(message);
      expect(messageMs).toBeLessThan(ANSWER_WITHIN_MS);

      // The stream upgrade answers the same way: 503 with Retry-After.
      const stream = await rawConnect(`${t.url.replace('http', 'ws')}/v3/directline/conversations/${conv.conversationId}/stream?t=${conv.token}`);
      expect(stream.status).toBe(503);
      expect(stream.head).toMatch(/Retry-After: \d+/i);
      stream.socket.destroy();
    } finally {
      redis.thaw();
    }
    await readyzBecomes(t.url, 200, 5000);
    await chatTurnWorks(t.url);
  });

  it('Redis out of memory (maxmemory, noeviction): /readyz 503 within 2 s, writes 503; ready again when memory is freed', async () => {
    await redis.command('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    await redis.command('CONFIG', 'SET', 'maxmemory', '1');
    try {
      const [ready, readyMs] = await timed(() => get(`${t.url}/readyz`));
      expect(ready.status).toBe(503);
      expect(readyMs).toBeLessThan(READY_WITHIN_MS);
      expectStoreUnavailable(await post(`${t.url}/webchat/token`, {}));
      expectStoreUnavailable(await say(t.url, conv, `my reference ${MARKER}`));

      // Redis's refusal reaches the caller as STORE_UNAVAILABLE with a reason, and without the command's arguments.
      const failure = await t.app.backend.set(`${t.app.config.REDIS_KEY_PREFIX}probe`, MARKER).then(() => undefined, (e: unknown) => e);
      expect(failure).toMatchObject({ code: 'STORE_UNAVAILABLE', httpStatus: 503, reason: 'OOM' });
      expect(inspect(failure, { depth: 10, showHidden: true })).not.toContain(MARKER);
      expect(t.logs.join('')).not.toContain(MARKER);
    } finally {
      await redis.command('CONFIG', 'SET', 'maxmemory', '0');
    }
    await readyzBecomes(t.url, 200, 5000);
    await chatTurnWorks(t.url);
  });

  it('Redis refusing writes after a failed background save (MISCONF): /readyz 503 within 2 s; ready again after a good save', async () => {
    // A data directory that vanishes makes the next snapshot fail, even for root.
    const doomed = mkdtempSync(join(tmpdir(), 'cfd-redis-doomed-'));
    await redis.command('CONFIG', 'SET', 'dir', doomed);
    rmSync(doomed, { recursive: true, force: true });
    await redis.command('BGSAVE');
    await waitFor(() => redis.command('INFO', 'persistence').then(String), (info) => /rdb_last_bgsave_status:err/.test(info), 5000);
    try {
      const [ready, readyMs] = await timed(() => get(`${t.url}/readyz`));
      expect(ready.status).toBe(503);
      expect(readyMs).toBeLessThan(READY_WITHIN_MS);
    } finally {
      await redis.command('CONFIG', 'SET', 'dir', redis.dir);
      await redis.command('BGSAVE');
      await waitFor(() => redis.command('INFO', 'persistence').then(String), (info) => /rdb_last_bgsave_status:ok/.test(info), 5000);
    }
    await readyzBecomes(t.url, 200, 5000);
    await chatTurnWorks(t.url);
  });

  it('logs why the store failed without the failed command\'s arguments', async () => {
    await redis.stop();
    expectStoreUnavailable(await say(t.url, conv, `down ${MARKER}`));
    await redis.restart();
    await readyzBecomes(t.url, 200, 5000);
    const logs = t.logs.join('');
    expect(logs).toContain('STORE_UNAVAILABLE');
    expect(logs).not.toContain(MARKER);
  });
});

maybe('Redis through Sentinel', () => {
  const servers: TestRedisServer[] = [];
  let t: Started | undefined;
  afterAll(async () => {
    await t?.app.close();
    await Promise.all(servers.map((s) => s.destroy()));
  });

  it('finds the primary through Sentinel, reports the failover, and works on the promoted replica', async () => {
    const primary = await TestRedisServer.start({ persistence: 'aof' });
    servers.push(primary);
    const replica = await TestRedisServer.replicaOf(primary, { persistence: 'aof' });
    servers.push(replica);
    const sentinel = await TestRedisServer.sentinel(primary, 'cfd-primary');
    servers.push(sentinel);
    // REDIS_URL's host is not used with sentinels (port 1 would refuse): only Sentinel knows where the primary is.
    t = await startApp('redis://127.0.0.1:1', { REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`, REDIS_SENTINEL_NAME: 'cfd-primary' });
    await readyzBecomes(t.url, 200, 5000);
    await chatTurnWorks(t.url);
    await waitFor(() => replica.command('INFO', 'replication').then(String), (info) => /master_link_status:up/.test(info), 10_000);

    await primary.kill();
    expect(await readyzBecomes(t.url, 503, READY_WITHIN_MS)).toBeLessThan(READY_WITHIN_MS);
    await readyzBecomes(t.url, 200, 20_000);
    expect(String(await replica.command('INFO', 'replication'))).toMatch(/role:master/);
    await chatTurnWorks(t.url);
  }, 60_000);
});

function complaint(customerId: string): NewComplaint {
  const at = new Date().toISOString();
  return {
    customer: { channelId: 'directline', id: customerId, anonymous: false, phone: '13812345678', locale: 'zh-CN' },
    conversationRef: { conversation: { id: `c-${customerId}` } },
    details: { category: 'business_error', description: '转账没到账', wish: '退款' },
    consent: { personalData: { given: true, at, retentionDays: 1825 } },
    lawfulBasis: { description: 'legal_obligation', phone: 'consent' },
    customerTexts: [],
  };
}

maybe('ticket numbers when Redis lost the day\'s counter', () => {
  let redis: TestRedisServer;
  let t: Started;
  beforeAll(async () => {
    redis = await TestRedisServer.start({ persistence: 'none' });
    t = await startApp(redis.url);
  });
  afterAll(async () => {
    await t?.app.close();
    await redis?.destroy();
  });

  it('never reissues a number and leaves earlier tickets untouched', async () => {
    const first = [];
    for (let i = 0; i < 3; i++) first.push(await t.app.tickets.create(complaint(`early${i}`)));
    const before = await Promise.all(first.map((x) => redis.command('HGET', `${t.app.config.REDIS_KEY_PREFIX}ticket:${x.number}`, 'd')));

    // What a Redis restart without persistence (or an evicted key) does to the counter.
    const sequenceKeys = (await redis.command('KEYS', `${t.app.config.REDIS_KEY_PREFIX}ticket-seq:*`)) as string[];
    expect(sequenceKeys).toHaveLength(1);
    await redis.command('DEL', sequenceKeys[0]!);

    const later = await Promise.all(Array.from({ length: 5 }, (_, i) => t.app.tickets.create(complaint(`late${i}`))));
    const numbers = [...first, ...later].map((x) => x.number);
    expect(new Set(numbers).size).toBe(numbers.length);

    const after = await Promise.all(first.map((x) => redis.command('HGET', `${t.app.config.REDIS_KEY_PREFIX}ticket:${x.number}`, 'd')));
    expect(after).toEqual(before);
    for (const x of first) expect((await t.app.tickets.get(x.number)).customer.id).toBe(x.customer.id);
    for (const x of later) expect((await t.app.tickets.get(x.number)).customer.id).toBe(x.customer.id);

    // The counter is back above every number issued, so the next one needs no search.
    const highest = Math.max(...numbers.map((n) => Number(n.split('-')[2])));
    expect(Number(await redis.command('GET', sequenceKeys[0]!))).toBeGreaterThanOrEqual(highest);
  });

  it('skips numbers that are taken even when the tickets left gaps', async () => {
    const prefix = t.app.config.REDIS_KEY_PREFIX;
    const made = [];
    for (let i = 0; i < 6; i++) made.push(await t.app.tickets.create(complaint(`gap${i}`)));
    // A hole in the middle (a creation that failed after taking its number).
    await redis.command('DEL', `${prefix}ticket:${made[2]!.number}`);
    const [sequenceKey] = (await redis.command('KEYS', `${prefix}ticket-seq:*`)) as string[];
    await redis.command('SET', sequenceKey!, '1');
    const next = await t.app.tickets.create(complaint('after-gap'));
    expect(made.map((x) => x.number)).not.toContain(next.number);
    expect((await t.app.tickets.get(made[5]!.number)).customer.id).toBe('gap5');
  });
});

maybe('Redis persistence at start-up', () => {
  const servers: TestRedisServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.destroy()));
  });
  const start = async (options: Parameters<typeof TestRedisServer.start>[0]) => {
    const s = await TestRedisServer.start(options);
    servers.push(s);
    return s;
  };
  const silent = createLogger({ level: 'silent' });

  it('tells AOF, RDB and no persistence apart, also when CONFIG is disabled', async () => {
    const cases: [Parameters<typeof TestRedisServer.start>[0], boolean][] = [
      [{ persistence: 'none' }, false],
      [{ persistence: 'rdb' }, true],
      [{ persistence: 'aof' }, true],
      [{ persistence: 'aof', args: ['--rename-command', 'CONFIG', ''] }, true],
      [{ persistence: 'none', args: ['--rename-command', 'CONFIG', ''] }, false],
    ];
    for (const [options, persistent] of cases) {
      const s = await start(options);
      const backend = RedisBackend.connect(s.url);
      try {
        await backend.connected(5000);
        const report = await checkPersistence(backend.redis);
        expect({ options, persistent: report.persistent }).toEqual({ options, persistent });
      } finally {
        await backend.close();
      }
    }
  });

  it('in production refuses a Redis that does not persist unless told to allow it; in development only warns', async () => {
    const s = await start({ persistence: 'none' });
    const backend = RedisBackend.connect(s.url);
    try {
      await expect(verifyPersistence(backend, { production: true, allowNoPersistence: false }, silent)).rejects.toMatchObject({ code: 'STORE_NOT_PERSISTENT' });
      await expect(verifyPersistence(backend, { production: true, allowNoPersistence: true }, silent)).resolves.toBeUndefined();
      await expect(verifyPersistence(backend, { production: false, allowNoPersistence: false }, silent)).resolves.toBeUndefined();
    } finally {
      await backend.close();
    }
  });

  it('the production process exits with a clear message on a Redis that does not persist', async () => {
    const s = await start({ persistence: 'none' });
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'bot/index.ts'], {
      cwd: join(__dirname, '../..'),
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: '0',
        REDIS_URL: s.url,
        REDIS_KEY_PREFIX: uniquePrefix('prod'),
        DIRECT_LINE_SECRET: 'test-secret-0123456789-0123456789-abcdef',
        LOG_HASH_KEY: 'test-hash-key',
        PUBLIC_URL: 'https://chat.example.test',
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(stderr).toMatch(/does not persist/);
    expect(stderr).toMatch(/REDIS_ALLOW_NO_PERSISTENCE/);
    expect(code).toBe(4);
  }, 60_000);
});
