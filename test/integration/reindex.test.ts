/**
 * Rebuilding the departments' open-complaint lists from the tickets (bot/tickets/reindex.ts) on a real Redis:
 * complaints stored before the lists existed are found by walking the days' numbers, open ones listed, closed
 * ones not, a gap in the numbers skipped, and a second run changes nothing. (The CLI: reindex-cli.test.ts.)
 */
import { loadContent } from '../../bot/content/loader';
import { Keys } from '../../bot/store/keys';
import { OpenComplaints } from '../../bot/tickets/open-index';
import { reindexOpenComplaints } from '../../bot/tickets/reindex';
import { TicketService, type NewComplaint } from '../../bot/tickets/service';
import type { RedisBackend } from '../../bot/store/redis-backend';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';

const policy = loadContent().complaints;
let clock = Date.parse('2026-11-20T02:00:00Z');
const now = () => new Date(clock);

const complaint = (id: string): NewComplaint => ({
  customer: { channelId: 'directline', id, anonymous: false, locale: 'zh-CN' },
  conversationRef: { conversation: { id } },
  details: { category: 'business_error', description: '转账没到账', wish: '退款' },
  consent: { personalData: { given: true, at: now().toISOString(), retentionDays: 1825 } },
  lawfulBasis: { description: 'legal_obligation' },
  customerTexts: [],
});

describe('rebuilding the open-complaint lists', () => {
  let backend: RedisBackend;
  let keys: Keys;
  beforeAll(async () => {
    backend = openTestBackend();
    // A loaded machine may take a moment to connect: the first command must not find it still opening.
    await backend.connected(10_000);
    keys = new Keys(uniquePrefix('reindex'));
  });
  afterAll(async () => {
    await deleteKeys(backend.redis, keys.prefix);
    await backend.close();
  });

  it('finds every open complaint of every day by its number, lists it, leaves closed ones out, and is idempotent', async () => {
    const tickets = new TicketService(backend, keys, policy, now);
    const made = [];
    for (let day = 0; day < 3; day++) {
      for (let i = 0; i < 130; i++) made.push(await tickets.create(complaint(`r${day}-${i}`))); // more than one batch a day
      clock += 86_400_000;
    }
    await tickets.transition(made[5]!.number, 'withdrawn', 'customer');
    // A gap: one number of the second day is missing (a clash skipped it).
    await backend.del(keys.ticket(made[140]!.number));
    // The lists are lost (stored before they existed).
    const department = made[0]!.department;
    await backend.del(keys.openComplaints(department));
    expect(await tickets.listOpen(department, 1000)).toEqual([]);

    const open = new OpenComplaints(backend, keys);
    const first = await reindexOpenComplaints(backend, keys, open, '2026-11-19', '2026-11-23');
    expect(first).toEqual({ days: 5, read: 389, open: 388 });
    const listed = (await tickets.listOpen(department, 1000)).map((t) => t.number);
    expect(listed).toHaveLength(388);
    expect(listed).not.toContain(made[5]!.number);
    expect(await reindexOpenComplaints(backend, keys, open, '2026-11-19', '2026-11-23')).toEqual(first);
    expect((await tickets.listOpen(department, 1000)).length).toBe(388);
  }, 60_000);
});
