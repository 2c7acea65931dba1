/**
 * The two guards every inbound message passes, on a real Redis, through their
 * own API: the turn lock (one turn of a conversation at a time, in arrival
 * order, across instances; renewed while a turn runs; released afterwards even
 * when the turn throws; a bounded wait) and the dedupe of platform retries.
 * Turns here wait on promises the test resolves, not on time; the only sleeps
 * give a wrong implementation the chance to start a turn it must not start.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Keys } from '../../bot/store/keys';
import type { RedisBackend } from '../../bot/store/redis-backend';
import { InboundDedupe } from '../../bot/turn/inbound-dedupe';
import { TurnLock } from '../../bot/turn/turn-lock';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';

/** A promise the test resolves by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** Runs a turn that holds the conversation until `until` settles; `started` resolves once it holds the lock. */
function holding(lock: TurnLock, conversation: string, until: Promise<unknown>, events?: string[], name = 'a') {
  const started = gate();
  const done = lock.run(conversation, async () => {
    events?.push(`${name} start`);
    started.open();
    await until;
    events?.push(`${name} end`);
  });
  return { started: started.opened, done };
}

/** Polls until `ready()` holds (a loaded machine may take a while to start a turn). */
async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ready(); i++) await sleep(10);
  expect(ready()).toBe(true);
}

describe('turn lock', () => {
  let backend: RedisBackend;
  let keys: Keys;
  beforeAll(() => {
    backend = openTestBackend();
    keys = new Keys(uniquePrefix('turn-lock-rules'));
  });
  afterAll(async () => {
    await deleteKeys(backend.redis, keys.prefix);
    await backend.close();
  });

  it('runs the turns of one conversation one at a time, in arrival order, and others beside them', async () => {
    const lock = new TurnLock(backend, keys, { ttlMs: 5000 });
    const events: string[] = [];
    const gates = [gate(), gate(), gate()];
    const turns = gates.map((g, i) =>
      lock.run('dl:same', async () => {
        events.push(`start ${i}`);
        await g.opened;
        events.push(`end ${i}`);
        return i;
      }),
    );
    const other = gate();
    const beside = lock.run('dl:other', async () => {
      events.push('start other');
      await other.opened;
      return 'other';
    });
    await until(() => events.length === 2);
    await sleep(100); // time for a wrong implementation to start turn 1 or 2 as well
    expect([...events].sort()).toEqual(['start 0', 'start other']);
    expect(lock.activeConversations).toBe(2);
    // Opened out of order: the turns still finish in the order they arrived.
    gates[2]!.open();
    gates[1]!.open();
    await sleep(50);
    expect(events).toHaveLength(2);
    gates[0]!.open();
    expect(await Promise.all(turns)).toEqual([0, 1, 2]);
    expect(events.slice(2)).toEqual(['end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
    other.open();
    expect(await beside).toBe('other');
    await sleep(0);
    expect(lock.activeConversations).toBe(0);
  });

  it('keeps a conversation queued on this instance until its last turn ends, when turns keep arriving', async () => {
    const lock = new TurnLock(backend, keys, { ttlMs: 5000 });
    const events: string[] = [];
    const [a, b, c] = [gate(), gate(), gate()];
    const first = holding(lock, 'dl:three', a.opened, events, 'a');
    const second = holding(lock, 'dl:three', b.opened, events, 'b');
    await first.started;
    a.open();
    await first.done;
    await second.started;
    // The first turn's end must not forget the second, still running: a third arriving now waits for it here.
    expect(lock.activeConversations).toBe(1);
    const third = holding(lock, 'dl:three', c.opened, events, 'c');
    await sleep(100);
    expect(events).toEqual(['a start', 'a end', 'b start']);
    b.open();
    await third.started;
    expect(lock.activeConversations).toBe(1);
    c.open();
    await third.done;
    await sleep(0);
    expect(lock.activeConversations).toBe(0);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('holds a Redis lock with its TTL while a turn runs and releases it after, even when the turn throws', async () => {
    const lock = new TurnLock(backend, keys, { ttlMs: 4000 });
    const key = keys.turnLock('dl:held');
    let ttlInside = -1;
    await lock.run('dl:held', async () => {
      ttlInside = await backend.redis.pttl(key);
    });
    expect(ttlInside).toBeGreaterThan(3000);
    expect(ttlInside).toBeLessThanOrEqual(4000);
    expect(await backend.get(key)).toBeNull();
    await expect(lock.run('dl:held', async () => Promise.reject(new Error('turn failed')))).rejects.toThrow('turn failed');
    expect(await backend.get(key)).toBeNull();
    // A failed turn does not stop the next one of the same conversation.
    expect(await lock.run('dl:held', async () => 'next')).toBe('next');
    expect(lock.activeConversations).toBe(0);
  });

  it('makes another instance wait for the lock, then run', async () => {
    const a = new TurnLock(backend, keys, { ttlMs: 5000 });
    const b = new TurnLock(backend, keys, { ttlMs: 5000 });
    const hold = gate();
    const events: string[] = [];
    const first = holding(a, 'dl:two-instances', hold.opened, events);
    await first.started;
    const second = b.run('dl:two-instances', async () => {
      events.push('b start');
    });
    await sleep(150); // time for a wrong implementation to let b in
    expect(events).toEqual(['a start']);
    hold.open();
    await Promise.all([first.done, second]);
    expect(events).toEqual(['a start', 'a end', 'b start']);
  });

  it('renews the lock while a turn runs longer than its TTL', async () => {
    const a = new TurnLock(backend, keys, { ttlMs: 600 });
    const b = new TurnLock(backend, keys, { ttlMs: 600, waitMs: 10_000 });
    const events: string[] = [];
    // Three TTLs: without renewal the lock would lapse and b would start.
    const first = holding(a, 'dl:long-turn', sleep(1800), events);
    await first.started;
    const second = b.run('dl:long-turn', async () => {
      events.push('b start');
    });
    await Promise.all([first.done, second]);
    expect(events).toEqual(['a start', 'a end', 'b start']);
  });

  it('gives up waiting after waitMs with TURN_LOCK_TIMEOUT', async () => {
    const a = new TurnLock(backend, keys, { ttlMs: 5000 });
    const b = new TurnLock(backend, keys, { ttlMs: 5000, waitMs: 100 });
    const hold = gate();
    const first = holding(a, 'dl:timeout', hold.opened);
    await first.started;
    let ran = false;
    await expect(b.run('dl:timeout', async () => (ran = true))).rejects.toMatchObject({ code: 'TURN_LOCK_TIMEOUT', httpStatus: 503 });
    expect(ran).toBe(false);
    hold.open();
    await first.done;
  });

  it('waits twice the TTL by default: longer than its own TTL, and not for ever', async () => {
    const a = new TurnLock(backend, keys, { ttlMs: 5000 });
    const b = new TurnLock(backend, keys, { ttlMs: 500 }); // waits up to 1000 ms
    const first = holding(a, 'dl:default-wait', sleep(700));
    await first.started;
    await expect(b.run('dl:default-wait', async () => 'ran after waiting longer than its TTL')).resolves.toBe('ran after waiting longer than its TTL');
    await first.done;
    const hold = gate();
    const held = holding(a, 'dl:default-wait', hold.opened);
    await held.started;
    await expect(b.run('dl:default-wait', async () => 'too late')).rejects.toMatchObject({ code: 'TURN_LOCK_TIMEOUT' });
    hold.open();
    await held.done;
  });
});

describe('inbound dedupe', () => {
  let backend: RedisBackend;
  let keys: Keys;
  beforeAll(() => {
    backend = openTestBackend();
    keys = new Keys(uniquePrefix('dedupe-rules'));
  });
  afterAll(async () => {
    await deleteKeys(backend.redis, keys.prefix);
    await backend.close();
  });

  it('says yes to the first sighting of a message id per channel, and no to a retry', async () => {
    const dedupe = new InboundDedupe(backend, keys, 60_000);
    expect(await dedupe.firstSighting('wechat-oa', 'o1:100')).toBe(true);
    expect(await dedupe.firstSighting('wechat-oa', 'o1:100')).toBe(false);
    expect(await dedupe.firstSighting('wechat-oa', 'o1:101')).toBe(true);
    expect(await dedupe.firstSighting('directline', 'o1:100')).toBe(true);
  });

  it('remembers a message id for the TTL only', async () => {
    const dedupe = new InboundDedupe(backend, keys, 60_000);
    await dedupe.firstSighting('wechat-oa', 'ttl:1');
    const ttl = await backend.redis.pttl(keys.inboundSeen('wechat-oa', 'ttl:1'));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
