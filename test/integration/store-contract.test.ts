/**
 * One contract for both state backends (Redis and the in-memory twin) and for
 * the botbuilder Storage built on them: the twin must behave like Redis.
 */
import { BackendStorage } from '../../bot/store/bot-storage';
import { Keys } from '../../bot/store/keys';
import { MemoryBackend } from '../../bot/store/memory-backend';
import type { StateBackend } from '../../bot/store/backend';
import { RedisBackend } from '../../bot/store/redis-backend';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';

type Maker = () => { backend: StateBackend; cleanup: () => Promise<void> };

const makers: [string, Maker][] = [
  ['memory', () => { const b = new MemoryBackend(); return { backend: b, cleanup: () => b.close() }; }],
  ['redis', () => {
    const b = openTestBackend();
    return { backend: b, cleanup: async () => b.close() };
  }],
];

describe.each(makers)('%s backend', (_name, make) => {
  let backend: StateBackend;
  let cleanup: () => Promise<void>;
  let keys: Keys;
  let storage: BackendStorage;

  beforeEach(() => {
    ({ backend, cleanup } = make());
    keys = new Keys(uniquePrefix('store'));
    storage = new BackendStorage(backend, keys);
  });
  afterEach(async () => {
    if (backend instanceof RedisBackend) await deleteKeys(backend.redis, keys.prefix);
    await cleanup();
  });

  describe('Storage', () => {
    it('reads nothing for an unknown key', async () => {
      expect(await storage.read(['nope'])).toEqual({});
    });

    it('writes and reads back with a fresh eTag', async () => {
      await storage.write({ a: { count: 1, nested: { text: '你好' } } });
      const items = await storage.read(['a', 'missing']);
      expect(Object.keys(items)).toEqual(['a']);
      expect(items.a).toMatchObject({ count: 1, nested: { text: '你好' } });
      expect(typeof items.a.eTag).toBe('string');
    });

    it('refuses a write with a stale eTag and keeps the newer value', async () => {
      await storage.write({ a: { v: 1 } });
      const first = (await storage.read(['a'])).a;
      await storage.write({ a: { ...first, v: 2 } });
      await expect(storage.write({ a: { ...first, v: 3 } })).rejects.toMatchObject({ code: 'STORAGE_ETAG_CONFLICT' });
      expect((await storage.read(['a'])).a.v).toBe(2);
    });

    it('overwrites with eTag "*" or no eTag', async () => {
      await storage.write({ a: { v: 1 } });
      await storage.write({ a: { v: 2, eTag: '*' } });
      await storage.write({ a: { v: 3 } });
      expect((await storage.read(['a'])).a.v).toBe(3);
    });

    it('deletes', async () => {
      await storage.write({ a: { v: 1 }, b: { v: 2 } });
      await storage.delete(['a']);
      expect(Object.keys(await storage.read(['a', 'b']))).toEqual(['b']);
    });

    it('lets exactly one of several concurrent writers with the same eTag win', async () => {
      await storage.write({ c: { n: 0 } });
      const base = (await storage.read(['c'])).c;
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => storage.write({ c: { ...base, n: i + 1 } })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const winner = results.findIndex((r) => r.status === 'fulfilled');
      expect((await storage.read(['c'])).c.n).toBe(winner + 1);
    });

    it('loses no increment when concurrent writers retry on conflict', async () => {
      await storage.write({ c: { n: 0 } });
      const increment = async () => {
        for (;;) {
          const item = (await storage.read(['c'])).c;
          try {
            await storage.write({ c: { ...item, n: item.n + 1 } });
            return;
          } catch {
            /* conflict: read again */
          }
        }
      };
      await Promise.all(Array.from({ length: 15 }, increment));
      expect((await storage.read(['c'])).c.n).toBe(15);
    });
  });

  describe('primitives', () => {
    it('set only-if-absent behaves like SET NX', async () => {
      const k = keys.inboundSeen('test', 'm1');
      expect(await backend.set(k, '1', { onlyIfAbsent: true, ttlMs: 10_000 })).toBe(true);
      expect(await backend.set(k, '2', { onlyIfAbsent: true, ttlMs: 10_000 })).toBe(false);
      expect(await backend.get(k)).toBe('1');
    });

    it('expires keys', async () => {
      const k = keys.turnLock('x');
      await backend.set(k, 'v', { ttlMs: 50 });
      await new Promise((r) => setTimeout(r, 120));
      expect(await backend.get(k)).toBeNull();
    });

    it('deletes and renews only when the value matches (lock ownership)', async () => {
      const k = keys.turnLock('y');
      await backend.set(k, 'mine', { ttlMs: 10_000 });
      expect(await backend.deleteIfEquals(k, 'theirs')).toBe(false);
      expect(await backend.expireIfEquals(k, 'theirs', 10)).toBe(false);
      expect(await backend.expireIfEquals(k, 'mine', 10_000)).toBe(true);
      expect(await backend.deleteIfEquals(k, 'mine')).toBe(true);
      expect(await backend.get(k)).toBeNull();
    });

    it('appends to lists and reads ranges like LRANGE', async () => {
      const k = keys.directLineActivities('c1');
      for (const v of ['a', 'b', 'c', 'd']) await backend.append(k, v, 60_000);
      expect(await backend.length(k)).toBe(4);
      expect(await backend.range(k, 1, -1)).toEqual(['b', 'c', 'd']);
      expect(await backend.range(k, 0, 1)).toEqual(['a', 'b']);
      expect(await backend.range(k, 9, -1)).toEqual([]);
    });

    it('appends once per claim: a second claim changes nothing and returns the first value', async () => {
      const k = (name: string) => `${keys.prefix}${name}`;
      const first = await backend.appendOnce(k('claim:{c}:x'), 'id-1', k('list:{c}'), 'a', 60_000);
      expect(first).toEqual({ appended: true, length: 1 });
      const again = await backend.appendOnce(k('claim:{c}:x'), 'id-2', k('list:{c}'), 'b', 60_000);
      expect(again).toEqual({ appended: false, existing: 'id-1' });
      const other = await backend.appendOnce(k('claim:{c}:y'), 'id-3', k('list:{c}'), 'c', 60_000);
      expect(other).toEqual({ appended: true, length: 2 });
      expect(await backend.range(k('list:{c}'), 0, -1)).toEqual(['a', 'c']);
      const racing = await Promise.all(Array.from({ length: 10 }, (_, i) => backend.appendOnce(k('claim:{c}:z'), `r${i}`, k('list:{c}'), `z${i}`, 60_000)));
      expect(racing.filter((r) => r.appended)).toHaveLength(1);
      expect(await backend.length(k('list:{c}'))).toBe(3);
    });

    it('counts with incr', async () => {
      const k = keys.rateWindow('t', 1);
      const values = await Promise.all(Array.from({ length: 20 }, () => backend.incr(k, 60_000)));
      expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('incr with a floor jumps past it and never goes back below it', async () => {
      const k = keys.ticketSequence('2026-01-05');
      expect(await backend.incr(k, 60_000)).toBe(1);
      expect(await backend.incr(k, 60_000, 10)).toBe(11);
      expect(await backend.incr(k, 60_000, 5)).toBe(12);
      expect(await backend.incr(k, 60_000)).toBe(13);
    });

    it('reports itself healthy when it answers and takes a write', async () => {
      expect(await backend.healthy(keys.health('contract'))).toBe(true);
    });

    it('keeps a schedule ordered by due time, and lets only one worker take an entry', async () => {
      const k = keys.outboxSchedule();
      await backend.schedule(k, 'late', 300);
      await backend.schedule(k, 'early', 100);
      await backend.schedule(k, 'middle', 200);
      expect(await backend.due(k, 250, 10)).toEqual(['early', 'middle']);
      expect(await backend.due(k, 1000, 1)).toEqual(['early']);
      const takes = await Promise.all([backend.unschedule(k, 'early'), backend.unschedule(k, 'early')]);
      expect(takes.sort()).toEqual([false, true]);
      await backend.schedule(k, 'middle', 500); // rescheduling moves it
      expect(await backend.due(k, 400, 10)).toEqual(['late']);
    });

    it('delivers published messages to subscribers until they unsubscribe', async () => {
      const channel = keys.directLineEvents('c2');
      const got: string[] = [];
      const off = await backend.subscribe(channel, (m) => got.push(m));
      await backend.publish(channel, 'one');
      for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      await off();
      await backend.publish(channel, 'two');
      await new Promise((r) => setTimeout(r, 50));
      expect(got).toEqual(['one']);
    });
  });
});
