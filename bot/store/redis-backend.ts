/**
 * StateBackend over Redis (ioredis). Multi-step atomic operations are Lua
 * scripts so two bot instances can never interleave inside one of them.
 *
 * Faults: every command goes through a ConnectionGate (a short, bounded wait
 * for a lost connection) and has a timeout; every failure leaves this class as
 * STORE_UNAVAILABLE (503) without the command's arguments (store-errors.ts).
 */
import type { Redis } from 'ioredis';
import type { CasResult, SetOptions, StateBackend, StoredDocument } from './backend';
import { ConnectionGate } from './connection-gate';
import { connectRedis, DEFAULT_REDIS_TIMEOUTS, type RedisTimeouts, type SentinelSettings } from './redis-connection';
import { StoreUnavailableError, toStoreError } from './store-errors';

const LUA = {
  deleteIfEquals: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`,
  expireIfEquals: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`,
  // ARGV: ttl ms (0 = keep), floor: the result is always above it (a counter found behind jumps forward).
  incrWithTtl: `
    local n = redis.call('INCR', KEYS[1])
    local floor = tonumber(ARGV[2])
    if n <= floor then n = floor + 1 redis.call('SET', KEYS[1], n, 'KEEPTTL') end
    if tonumber(ARGV[1]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
    return n`,
  appendWithTtl: `local n = redis.call('RPUSH', KEYS[1], ARGV[1]) if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return n`,
  // ARGV: expected eTag ('' = unconditional), new eTag, json, ttl ms (0 = none)
  writeDocument: `
    if ARGV[1] ~= '' then
      local current = redis.call('HGET', KEYS[1], 'e')
      if current and current ~= ARGV[1] then return 0 end
    end
    redis.call('HSET', KEYS[1], 'e', ARGV[2], 'd', ARGV[3])
    if tonumber(ARGV[4]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) else redis.call('PERSIST', KEYS[1]) end
    return 1`,
} as const;

/** Scripts over two keys (KEYS[1] a claim, KEYS[2] a list); they must share a Cluster slot. */
const LUA_TWO_KEYS = {
  // ARGV: claim value, list item, ttl ms. Returns {1, new length} or {0, existing claim}.
  appendOnce: `
    local existing = redis.call('GET', KEYS[1])
    if existing then return {0, existing} end
    -- A script is not rolled back on error: push first, so a failing push leaves no claim behind.
    local n = redis.call('RPUSH', KEYS[2], ARGV[2])
    redis.call('PEXPIRE', KEYS[2], ARGV[3])
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
    return {1, n}`,
} as const;

type ScriptName = keyof typeof LUA;
type ScriptFn = (...args: (string | number)[]) => Promise<number>;

export class RedisBackend implements StateBackend {
  readonly kind = 'redis' as const;
  private subscriber: Redis | undefined;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();
  private subscriberGate: ConnectionGate | undefined;
  private readonly gate: ConnectionGate;
  private closed = false;
  /** Connection errors (ioredis reconnects by itself); set by the app to log them. */
  onError: (error: Error) => void = () => undefined;

  constructor(
    readonly redis: Redis,
    private readonly timeouts: RedisTimeouts = DEFAULT_REDIS_TIMEOUTS,
  ) {
    this.gate = new ConnectionGate(redis, timeouts.commandTimeoutMs);
    redis.on('error', (error: Error) => this.onError(error));
    for (const [name, lua] of Object.entries(LUA)) {
      redis.defineCommand(name, { numberOfKeys: 1, lua });
    }
    for (const [name, lua] of Object.entries(LUA_TWO_KEYS)) {
      redis.defineCommand(name, { numberOfKeys: 2, lua });
    }
  }

  static connect(url: string, timeouts: Partial<RedisTimeouts> = {}, sentinel?: SentinelSettings): RedisBackend {
    const all = { ...DEFAULT_REDIS_TIMEOUTS, ...timeouts };
    return new RedisBackend(connectRedis(url, all, sentinel), all);
  }

  /** Start-up: waits up to `timeoutMs` for the connection; STORE_UNAVAILABLE if it does not come. */
  connected(timeoutMs: number): Promise<void> {
    return this.gate.untilReady(timeoutMs);
  }

  /** Waits (briefly, bounded) for the connection, runs `work`, and turns any failure into STORE_UNAVAILABLE. */
  private async run<T>(work: () => Promise<T>, gate = this.gate): Promise<T> {
    await gate.whenReady();
    try {
      return await work();
    } catch (error) {
      const failure = toStoreError(error);
      if (failure instanceof StoreUnavailableError && failure.reason === 'timeout') gate.stalled();
      throw failure;
    }
  }

  private script(name: ScriptName): ScriptFn {
    return (this.redis as unknown as Record<ScriptName, ScriptFn>)[name].bind(this.redis);
  }

  get(key: string): Promise<string | null> {
    return this.run(() => this.redis.get(key));
  }

  set(key: string, value: string, options: SetOptions = {}): Promise<boolean> {
    const { ttlMs, onlyIfAbsent } = options;
    return this.run(async () => {
      let reply: string | null;
      if (ttlMs && onlyIfAbsent) reply = await this.redis.set(key, value, 'PX', ttlMs, 'NX');
      else if (ttlMs) reply = await this.redis.set(key, value, 'PX', ttlMs);
      else if (onlyIfAbsent) reply = await this.redis.set(key, value, 'NX');
      else reply = await this.redis.set(key, value);
      return reply === 'OK';
    });
  }

  async del(...keys: string[]): Promise<void> {
    if (keys.length > 0) await this.run(() => this.redis.del(...keys));
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    return (await this.run(() => this.redis.pexpire(key, ttlMs))) === 1;
  }

  async deleteIfEquals(key: string, expected: string): Promise<boolean> {
    return (await this.run(() => this.script('deleteIfEquals')(key, expected))) === 1;
  }

  async expireIfEquals(key: string, expected: string, ttlMs: number): Promise<boolean> {
    return (await this.run(() => this.script('expireIfEquals')(key, expected, ttlMs))) === 1;
  }

  incr(key: string, ttlMs = 0, floor = 0): Promise<number> {
    return this.run(() => this.script('incrWithTtl')(key, ttlMs, floor));
  }

  append(key: string, value: string, ttlMs = 0): Promise<number> {
    return this.run(() => this.script('appendWithTtl')(key, value, ttlMs));
  }

  async dropFirst(key: string, count: number): Promise<void> {
    await this.run(() => this.redis.ltrim(key, count, -1));
  }

  range(key: string, start: number, stop: number): Promise<string[]> {
    return this.run(() => this.redis.lrange(key, start, stop));
  }

  length(key: string): Promise<number> {
    return this.run(() => this.redis.llen(key));
  }

  async appendOnce(claimKey: string, claimValue: string, listKey: string, value: string, ttlMs: number): Promise<{ appended: true; length: number } | { appended: false; existing: string }> {
    const run = (this.redis as unknown as Record<'appendOnce', (...args: (string | number)[]) => Promise<[number, number | string]>>).appendOnce;
    const [appended, result] = await this.run(() => run.call(this.redis, claimKey, listKey, claimValue, value, ttlMs));
    return appended === 1 ? { appended: true, length: Number(result) } : { appended: false, existing: String(result) };
  }

  async schedule(key: string, member: string, score: number): Promise<void> {
    await this.run(() => this.redis.zadd(key, score, member));
  }

  due(key: string, maxScore: number, limit: number): Promise<string[]> {
    return this.run(() => this.redis.zrangebyscore(key, '-inf', maxScore, 'LIMIT', 0, limit));
  }

  async unschedule(key: string, member: string): Promise<boolean> {
    return (await this.run(() => this.redis.zrem(key, member))) === 1;
  }

  async dueWithScores(key: string, maxScore: number, limit: number): Promise<{ member: string; score: number }[]> {
    const flat = await this.run(() => this.redis.zrangebyscore(key, '-inf', maxScore, 'WITHSCORES', 'LIMIT', 0, limit));
    const out: { member: string; score: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ member: flat[i]!, score: Number(flat[i + 1]) });
    return out;
  }

  async scoreOf(key: string, member: string): Promise<number | undefined> {
    const score = await this.run(() => this.redis.zscore(key, member));
    return score === null ? undefined : Number(score);
  }

  readDocuments(keys: string[]): Promise<(StoredDocument | null)[]> {
    return this.run(() =>
      Promise.all(
        keys.map(async (key) => {
          const [eTag, json] = await this.redis.hmget(key, 'e', 'd');
          return eTag != null && json != null ? { eTag, json } : null;
        }),
      ),
    );
  }

  async writeDocument(key: string, doc: StoredDocument, expectedETag: string | undefined, ttlMs = 0): Promise<CasResult> {
    const expected = expectedETag === undefined || expectedETag === '*' ? '' : expectedETag;
    const ok = await this.run(() => this.script('writeDocument')(key, expected, doc.eTag, doc.json, ttlMs));
    return ok === 1 ? 'written' : 'conflict';
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.run(() => this.redis.publish(channel, message));
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    const subscriber = this.ensureSubscriber();
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      try {
        await this.run(() => subscriber.subscribe(channel), this.subscriberGate);
      } catch (error) {
        this.handlers.delete(channel);
        throw error;
      }
    }
    set.add(handler);
    return async () => {
      const current = this.handlers.get(channel);
      if (!current || this.closed) return;
      current.delete(handler);
      if (current.size === 0) {
        this.handlers.delete(channel);
        await subscriber.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  private ensureSubscriber(): Redis {
    if (!this.subscriber) {
      // A connection in subscriber mode cannot run other commands, so pub/sub gets its own.
      this.subscriber = this.redis.duplicate({ enableAutoPipelining: false });
      this.subscriberGate = new ConnectionGate(this.subscriber, this.timeouts.commandTimeoutMs);
      this.subscriber.on('error', (error: Error) => this.onError(error));
      this.subscriber.on('message', (channel: string, message: string) => {
        for (const handler of this.handlers.get(channel) ?? []) handler(message);
      });
    }
    return this.subscriber;
  }

  async ping(): Promise<boolean> {
    return this.withinHealthTimeout(async () => (await this.redis.ping()) === 'PONG');
  }

  /**
   * Readiness: Redis answers a PING and accepts a write, within the health
   * timeout. PING alone passes on a Redis that refuses every write (OOM under
   * noeviction); a frozen Redis answers neither, and the timeout says so.
   */
  async healthy(healthKey: string): Promise<boolean> {
    return this.withinHealthTimeout(async () => {
      const [pong, written] = await Promise.all([this.redis.ping(), this.redis.set(healthKey, String(Date.now()), 'PX', 10_000)]);
      return pong === 'PONG' && written === 'OK';
    });
  }

  private async withinHealthTimeout(probe: () => Promise<boolean>): Promise<boolean> {
    const limit = this.timeouts.healthTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const attempt = (async () => {
      await this.gate.whenReady(limit);
      return probe();
    })();
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), limit);
    });
    try {
      return await Promise.race([attempt.catch(() => false), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.redis.quit().catch(() => undefined), this.subscriber?.quit().catch(() => undefined)]);
  }
}
