/** `npm run tickets:reindex` as an operator runs it (a child process on the test's Redis prefix). */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadContent } from '../../bot/content/loader';
import { Keys } from '../../bot/store/keys';
import { TicketService } from '../../bot/tickets/service';
import type { RedisBackend } from '../../bot/store/redis-backend';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';

describe('npm run tickets:reindex', () => {
  let backend: RedisBackend;
  let keys: Keys;
  beforeAll(async () => {
    backend = openTestBackend();
    // A loaded machine may take a moment to connect: the first command must not find it still opening.
    await backend.connected(10_000);
    keys = new Keys(uniquePrefix('reindex-cli'));
  });
  afterAll(async () => {
    await deleteKeys(backend.redis, keys.prefix);
    await backend.close();
  });

  it('puts the open complaints of the days asked back in their list and prints what it did', async () => {
    const tickets = new TicketService(backend, keys, loadContent().complaints, () => new Date('2026-11-20T02:00:00Z'));
    const made = await Promise.all(Array.from({ length: 3 }, (_, i) => tickets.create({
      customer: { channelId: 'directline', id: `cli-${i}`, anonymous: true, locale: 'zh-CN' },
      conversationRef: { conversation: { id: `cli-${i}` } },
      details: { category: 'fees', description: '年费', wish: '退' },
      consent: { personalData: { given: false, at: '2026-11-20T02:00:00Z', retentionDays: 1825 } },
      lawfulBasis: {},
      customerTexts: [],
    })));
    await backend.del(keys.openComplaints(made[0]!.department));
    const root = path.resolve(__dirname, '../..');
    const { stdout } = await promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['bot/tickets/reindex-cli.ts', '--since', '2026-11-19', '--until', '2026-11-21'], {
      cwd: root,
      env: { ...process.env, REDIS_KEY_PREFIX: keys.prefix, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    });
    expect(JSON.parse(stdout.trim())).toEqual({ days: 3, read: 3, open: 3 });
    expect((await tickets.listOpen(made[0]!.department)).map((t) => t.number).sort()).toEqual(made.map((t) => t.number).sort());
  }, 60_000);
});
