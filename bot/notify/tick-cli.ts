/**
 * npm run notify:tick [-- --now 2026-12-01T10:00:00+08:00]
 * One tick of the status schedule and the outbox, as the every-minute cron runs it — at `--now` if given (for
 * operations and tests: "what would go out at 10:00?"). Uses the bot's configuration and store (REDIS_URL,
 * REDIS_KEY_PREFIX). Prints one JSON line: what the schedule ran and what the outbox did.
 */
import { parseArgs } from 'node:util';
import { createApp } from '../app';
import { loadConfig, loadDotEnv } from '../config';

async function main(): Promise<void> {
  loadDotEnv();
  const { values } = parseArgs({ options: { now: { type: 'string' } } });
  const at = values.now ? new Date(values.now) : undefined;
  if (at && Number.isNaN(at.getTime())) throw new Error('--now is an ISO time, e.g. 2026-12-01T10:00:00+08:00');
  const app = await createApp({ config: loadConfig(), scheduler: false, desk: false, ...(at ? { now: () => at } : {}) });
  try {
    const schedule = await app.notices.schedule.tick();
    const outbox = await app.outbox.tick();
    console.log(JSON.stringify({ at: (at ?? new Date()).toISOString(), schedule, outbox }));
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
