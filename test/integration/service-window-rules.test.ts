/**
 * The WeChat customer-service window on a real Redis, through its own API: the
 * 48 hours are measured on the injected clock to the millisecond, the allowance
 * is exactly five messages per customer message, and WeChat's own "closed"
 * (45015) and "used up" (45047) answers hold until the customer writes again.
 */
import { MESSAGES_PER_CUSTOMER_MESSAGE, ServiceWindow, WINDOW_MS } from '../../adapters/tencent/service-window';
import { Keys } from '../../bot/store/keys';
import type { RedisBackend } from '../../bot/store/redis-backend';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';

const HOUR = 3_600_000;

describe('WeChat service window rules', () => {
  let backend: RedisBackend;
  let keys: Keys;
  let at = Date.parse('2026-11-23T10:00:00+08:00');
  let window: ServiceWindow;
  let n = 0;
  const customer = () => `o_window_rules_${++n}`;

  beforeAll(() => {
    backend = openTestBackend();
    keys = new Keys(uniquePrefix('service-window'));
    window = new ServiceWindow(backend, keys, () => new Date(at));
  });
  afterAll(async () => {
    await deleteKeys(backend.redis, keys.prefix);
    await backend.close();
  });
  beforeEach(() => {
    at = Date.parse('2026-11-23T10:00:00+08:00');
  });

  it('is 48 hours long', () => {
    expect(WINDOW_MS).toBe(48 * HOUR);
    expect(MESSAGES_PER_CUSTOMER_MESSAGE).toBe(5);
  });

  it('is closed for a customer who never wrote', async () => {
    const id = customer();
    expect(await window.isOpen(id)).toBe(false);
    expect(await window.take(id)).toBe(false);
    // Asking does not spend an allowance that does not exist.
    expect(await backend.get(keys.serviceWindowSends('wechat-oa', id))).toBeNull();
  });

  it('stays open until the last millisecond of the 48 hours, on the app clock, and closes exactly at 48 hours', async () => {
    const id = customer();
    const wrote = at;
    await window.customerWrote(id);
    expect(await backend.get(keys.serviceWindow('wechat-oa', id))).toBe(String(wrote));
    at = wrote + 1 * 60_000; // a minute later: still open (a window cut to a minute would close here)
    expect(await window.isOpen(id)).toBe(true);
    at = wrote + WINDOW_MS - 1;
    expect(await window.isOpen(id)).toBe(true);
    at = wrote + WINDOW_MS;
    expect(await window.isOpen(id)).toBe(false);
    expect(await window.take(id)).toBe(false);
  });

  it('keeps the key in Redis no longer than the window', async () => {
    const id = customer();
    await window.customerWrote(id);
    const ttl = await backend.redis.pttl(keys.serviceWindow('wechat-oa', id));
    expect(ttl).toBeGreaterThan(WINDOW_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(WINDOW_MS);
  });

  it('allows five messages per customer message, then none until the customer writes again', async () => {
    const id = customer();
    await window.customerWrote(id);
    const taken: boolean[] = [];
    for (let i = 0; i < 7; i++) taken.push(await window.take(id));
    expect(taken).toEqual([true, true, true, true, true, false, false]);
    const sendsTtl = await backend.redis.pttl(keys.serviceWindowSends('wechat-oa', id));
    expect(sendsTtl).toBeGreaterThan(WINDOW_MS - 60_000);
    expect(sendsTtl).toBeLessThanOrEqual(WINDOW_MS);
    await window.customerWrote(id); // a fresh allowance
    expect(await window.take(id)).toBe(true);
  });

  it('believes WeChat when it says the window is closed (45015), until the customer writes again', async () => {
    const id = customer();
    await window.customerWrote(id);
    await window.close(id);
    expect(await window.isOpen(id)).toBe(false);
    expect(await window.take(id)).toBe(false);
    await window.customerWrote(id);
    expect(await window.isOpen(id)).toBe(true);
  });

  it('believes WeChat when it says the allowance is used up (45047), until the customer writes again', async () => {
    const id = customer();
    await window.customerWrote(id);
    expect(await window.take(id)).toBe(true);
    await window.useUp(id);
    expect(await backend.get(keys.serviceWindowSends('wechat-oa', id))).toBe(String(MESSAGES_PER_CUSTOMER_MESSAGE));
    const ttl = await backend.redis.pttl(keys.serviceWindowSends('wechat-oa', id));
    expect(ttl).toBeGreaterThan(WINDOW_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(WINDOW_MS);
    expect(await window.isOpen(id)).toBe(true); // open, but nothing more may be sent
    expect(await window.take(id)).toBe(false);
    await window.customerWrote(id);
    expect(await window.take(id)).toBe(true);
  });

  it('treats a stored time it cannot read, or zero, as closed', async () => {
    const garbled = customer();
    await backend.set(keys.serviceWindow('wechat-oa', garbled), 'not-a-time');
    expect(await window.isOpen(garbled)).toBe(false);
    const zero = customer();
    await backend.set(keys.serviceWindow('wechat-oa', zero), '0');
    at = WINDOW_MS - 1; // "now" within 48 h of the epoch: only the zero check keeps it closed
    expect(await window.isOpen(zero)).toBe(false);
  });

  it('uses the real clock when none is given', async () => {
    const real = new ServiceWindow(backend, keys);
    const id = customer();
    await real.customerWrote(id);
    const stored = Number(await backend.get(keys.serviceWindow('wechat-oa', id)));
    expect(Math.abs(stored - Date.now())).toBeLessThan(60_000);
    expect(await real.isOpen(id)).toBe(true);
  });

  it('keeps windows of different customers apart', async () => {
    const a = customer();
    const b = customer();
    await window.customerWrote(a);
    expect(await window.isOpen(b)).toBe(false);
    for (let i = 0; i < 5; i++) await window.take(a);
    await window.customerWrote(b);
    expect(await window.take(b)).toBe(true);
    expect(await window.take(a)).toBe(false);
  });
});
