/**
 * StateBackend over Redis (ioredis). Multi-step atomic operations are Lua
 * scripts so two bot instances can never interleave inside one of them.
 */
import { Redis } from 'ioredis';
import type { CasResult, SetOptions, StateBackend, StoredDocument } from './backend';

const LUA = {
  deleteIfEquals: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`,
  expireIfEquals: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`,
  incrWithTtl: `local n = redis.call('INCR', KEYS[1]) if tonumber(ARGV[1]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n`,
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

type ScriptName = keyof typeof LUA;
type ScriptFn = (...args: (string | number)[]) => Promise<number>;

export class RedisBackend implements StateBackend {
  readonly kind = 'redis' as const;
  private subscriber: Redis | undefined;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();
  private closed = false;
  /** Connection errors (ioredis reconnects by itself); set by the app to log them. */
  onError: (error: Error) => void = () => undefined;

  constructor(readonly redis: Redis) {
    redis.on('error', (error: Error) => this.onError(error));
    for (const [name, lua] of Object.entries(LUA)) {
      redis.defineCommand(name, { numberOfKeys: 1, lua });
    }
  }

  static connect(url: string): RedisBackend {
    return new RedisBackend(
      new Redis(url, { enableAutoPipelining: true, maxRetriesPerRequest: 3, lazyConnect: false }),
    );
  }

  private script(name: ScriptName): ScriptFn {
    return (this.redis as unknown as Record<ScriptName, ScriptFn>)[name].bind(this.redis);
  }

  get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  async set(key: string, value: string, options: SetOptions = {}): Promise<boolean> {
    const { ttlMs, onlyIfAbsent } = options;
    let reply: string | null;
    if (ttlMs && onlyIfAbsent) reply = await this.redis.set(key, value, 'PX', ttlMs, 'NX');
    else if (ttlMs) reply = await this.redis.set(key, value, 'PX', ttlMs);
    else if (onlyIfAbsent) reply = await this.redis.set(key, value, 'NX');
    else reply = await this.redis.set(key, value);
    return reply === 'OK';
  }

  async del(...keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys);
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.pexpire(key, ttlMs)) === 1;
  }

  async deleteIfEquals(key: string, expected: string): Promise<boolean> {
    return (await this.script('deleteIfEquals')(key, expected)) === 1;
  }

  async expireIfEquals(key: string, expected: string, ttlMs: number): Promise<boolean> {
    return (await this.script('expireIfEquals')(key, expected, ttlMs)) === 1;
  }

  incr(key: string, ttlMs = 0): Promise<number> {
    return this.script('incrWithTtl')(key, ttlMs);
  }

  append(key: string, value: string, ttlMs = 0): Promise<number> {
    return this.script('appendWithTtl')(key, value, ttlMs);
  }

  range(key: string, start: number, stop: number): Promise<string[]> {
    return this.redis.lrange(key, start, stop);
  }

  length(key: string): Promise<number> {
    return this.redis.llen(key);
  }

  async schedule(key: string, member: string, score: number): Promise<void> {
    await this.redis.zadd(key, score, member);
  }

  due(key: string, maxScore: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(key, '-inf', maxScore, 'LIMIT', 0, limit);
  }

  async unschedule(key: string, member: string): Promise<boolean> {
    return (await this.redis.zrem(key, member)) === 1;
  }

  async readDocuments(keys: string[]): Promise<(StoredDocument | null)[]> {
    return Promise.all(
      keys.map(async (key) => {
        const [eTag, json] = await this.redis.hmget(key, 'e', 'd');
        return eTag != null && json != null ? { eTag, json } : null;
      }),
    );
  }

  async writeDocument(key: string, doc: StoredDocument, expectedETag: string | undefined, ttlMs = 0): Promise<CasResult> {
    const expected = expectedETag === undefined || expectedETag === '*' ? '' : expectedETag;
    const ok = await this.script('writeDocument')(key, expected, doc.eTag, doc.json, ttlMs);
    return ok === 1 ? 'written' : 'conflict';
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.redis.publish(channel, message);
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    const subscriber = this.ensureSubscriber();
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      await subscriber.subscribe(channel);
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
      this.subscriber.on('error', (error: Error) => this.onError(error));
      this.subscriber.on('message', (channel: string, message: string) => {
        for (const handler of this.handlers.get(channel) ?? []) handler(message);
      });
    }
    return this.subscriber;
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.redis.quit().catch(() => undefined), this.subscriber?.quit().catch(() => undefined)]);
  }
}
