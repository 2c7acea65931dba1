/** `npm run notify:due` and `npm run notify:tick -- --now …` as an operator runs them, on the test's Redis prefix. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../support/harness';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

describe('the status schedule CLIs', () => {
  let t: TestApp;
  const now = () => new Date('2026-11-23T10:00:00+08:00');
  beforeAll(async () => {
    t = await startTestApp({ now, scheduler: false });
  });
  afterAll(() => t.close());

  const cli = (script: string, args: string[]) =>
    run(path.join(ROOT, 'node_modules/.bin/tsx'), [script, ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'development', REDIS_KEY_PREFIX: t.prefix, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', DIRECT_LINE_SECRET: 'test-secret-0123456789-0123456789-abcdef', LOG_LEVEL: 'error' },
    });

  it('lists what is planned, and runs one tick as if at a given time', async () => {
    const ticket = await t.app.tickets.create({
      customer: { channelId: 'nowhere', id: 'cli-customer', anonymous: true, locale: 'zh-CN' },
      conversationRef: { conversation: { id: 'cli-customer' } },
      details: { category: 'fees', description: '年费扣了两次', wish: '退一次' },
      consent: { personalData: { given: false, at: now().toISOString(), retentionDays: 1825 } },
      lawfulBasis: {},
      customerTexts: [],
    });
    const due = await cli('bot/notify/due-cli.ts', ['--limit', '20']);
    expect(due.stdout).toMatch(new RegExp(`2026-11-25 10:00  progress   ${ticket.number}`));
    expect(due.stdout).toMatch(new RegExp(`remind     ${ticket.number}`));

    const early = JSON.parse((await cli('bot/notify/tick-cli.ts', ['--now', '2026-11-25T09:59:00+08:00'])).stdout.trim());
    expect(early.schedule.ran).toBe(0);
    const tick = JSON.parse((await cli('bot/notify/tick-cli.ts', ['--now', '2026-11-25T10:00:00+08:00'])).stdout.trim());
    expect(tick).toMatchObject({ at: '2026-11-25T02:00:00.000Z', schedule: { ran: 1, failed: 0 }, outbox: { ran: true } });
    // The next update is planned two working days on; the one that ran is not planned again.
    expect(await t.app.notices.schedule.plannedAt(ticket.number, 'progress')).toBe(Date.parse('2026-11-27T10:00:00+08:00'));
    await expect(cli('bot/notify/tick-cli.ts', ['--now', 'yesterday'])).rejects.toMatchObject({ stderr: expect.stringContaining('--now is an ISO time') });
  }, 120_000);
});
