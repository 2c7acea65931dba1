/**
 * Ticket numbers on a real Redis, through TicketNumbers.issue: the format and
 * the local day, the counter's lifetime, and recovery when the counter is lost
 * while tickets remain — the search for the highest number taken (gallop, then
 * bisect) must land on it exactly, so one clash costs one retry, and a number
 * is never issued twice. The "tickets" are documents written create-if-absent,
 * exactly as TicketService writes them.
 */
import { randomUUID } from 'node:crypto';
import { Keys } from '../../bot/store/keys';
import type { RedisBackend } from '../../bot/store/redis-backend';
import { formatTicketNumber, TicketNumbers } from '../../bot/tickets/numbers';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';

const DAY = '2026-11-23';
const AT = new Date('2026-11-23T10:00:00+08:00');

describe('ticket numbers', () => {
  let backend: RedisBackend;
  let keys: Keys;
  let numbers: TicketNumbers;
  let attempts: string[];

  /** Writes the ticket only if its number is free, like TicketService.create; records every number tried. */
  const create = async (number: string) => {
    attempts.push(number);
    const written = await backend.writeDocument(keys.ticket(number), { eTag: randomUUID(), json: JSON.stringify({ number }) }, randomUUID());
    return written === 'written' ? number : undefined;
  };
  /** Tickets that exist although the counter does not know them (it was lost). */
  const existing = (seqs: number[]) => Promise.all(seqs.map((s) => create(formatTicketNumber(DAY, s))));
  const loseCounter = () => backend.del(keys.ticketSequence(DAY));

  beforeAll(() => {
    backend = openTestBackend();
  });
  beforeEach(() => {
    keys = new Keys(uniquePrefix('ticket-numbers'));
    numbers = new TicketNumbers(backend, keys, 'Asia/Shanghai');
    attempts = [];
  });
  afterEach(() => deleteKeys(backend.redis, keys.prefix));
  afterAll(() => backend.close());

  it('formats the local date and a counter of at least four digits', () => {
    expect(formatTicketNumber('2026-11-23', 7)).toBe('TS-20261123-0007');
    expect(formatTicketNumber('2026-11-23', 12345)).toBe('TS-20261123-12345');
  });

  it('numbers by the local day in the policy time zone, from 1, and keeps the counter three days', async () => {
    expect(await numbers.issue(new Date('2026-11-23T23:59:00+08:00'), create)).toBe('TS-20261123-0001');
    expect(await numbers.issue(new Date('2026-11-23T16:00:00Z'), create)).toBe('TS-20261124-0001'); // midnight in Shanghai
    expect(await numbers.issue(AT, create)).toBe('TS-20261123-0002');
    const ttl = await backend.redis.pttl(keys.ticketSequence(DAY));
    expect(ttl).toBeGreaterThan(3 * 86_400_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(3 * 86_400_000);
  });

  it('finds the highest number taken after the counter is lost, with one retry', async () => {
    await existing(Array.from({ length: 37 }, (_, i) => i + 1));
    await loseCounter();
    attempts = [];
    expect(await numbers.issue(AT, create)).toBe('TS-20261123-0038');
    expect(attempts).toEqual(['TS-20261123-0001', 'TS-20261123-0038']);
    expect(await backend.get(keys.ticketSequence(DAY))).toBe('38');
  });

  it.each([2, 3, 5, 9, 64, 65])('after a lost counter with tickets 1–%d taken, issues the next one with one retry', async (highest) => {
    await existing(Array.from({ length: highest }, (_, i) => i + 1));
    await loseCounter();
    attempts = [];
    expect(await numbers.issue(AT, create)).toBe(formatTicketNumber(DAY, highest + 1));
    expect(attempts).toHaveLength(2);
  });

  it('moves past a run of taken numbers and stops at the first free one above it', async () => {
    await existing([1, 2, 3, 4, 5, 7, 40]);
    await loseCounter();
    attempts = [];
    // 2, 3, 5 taken and 9 free: the bisection between 5 and 9 finds 7 taken, 8 free.
    expect(await numbers.issue(AT, create)).toBe('TS-20261123-0008');
    expect(attempts).toEqual(['TS-20261123-0001', 'TS-20261123-0008']);
    // Later the counter reaches 40, which is taken: one clash, and 41.
    for (let seq = 9; seq < 40; seq++) await numbers.issue(AT, create);
    attempts = [];
    expect(await numbers.issue(AT, create)).toBe('TS-20261123-0041');
    expect(attempts).toEqual(['TS-20261123-0040', 'TS-20261123-0041']);
  });

  it('jumps past every probe when all of them are taken (the highest probe is 2^16 above)', async () => {
    const probes = Array.from({ length: 17 }, (_, k) => 1 + 2 ** k);
    await existing([1, ...probes]);
    await loseCounter();
    attempts = [];
    expect(await numbers.issue(AT, create)).toBe(formatTicketNumber(DAY, 65_538));
    expect(attempts).toEqual(['TS-20261123-0001', 'TS-20261123-65538']);
  });

  it('gives up after the first try and five clashes', async () => {
    await expect(numbers.issue(AT, async (n) => (attempts.push(n), undefined))).rejects.toMatchObject({ code: 'STATE_CONFLICT', httpStatus: 409 });
    expect(attempts).toHaveLength(6);
  });
});
