/**
 * npm run tickets:reindex [-- --since YYYY-MM-DD] [--until YYYY-MM-DD]
 * Puts every open complaint stored since that day (default: 400 days back) into its department's list for the
 * desk (reindex.ts). For an upgrade from a version before the lists existed; safe to run again at any time.
 * Reads REDIS_URL and REDIS_KEY_PREFIX like the bot. Prints one JSON line: days walked, tickets read, open ones.
 */
import { parseArgs } from 'node:util';
import { loadConfig, loadDotEnv } from '../config';
import { loadContent } from '../content/loader';
import { createLogger } from '../log';
import { Keys } from '../store/keys';
import { openBackend } from '../store/open-backend';
import { addCalendarDays, localDate } from './calendar';
import { OpenComplaints } from './open-index';
import { reindexOpenComplaints } from './reindex';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  // Ticket numbers carry the bank's local date.
  const today = localDate(new Date(), loadContent().complaints.timeLimits.timezone);
  const { values } = parseArgs({ options: { since: { type: 'string', default: addCalendarDays(today, -400) }, until: { type: 'string', default: today } } });
  if (!DAY.test(values.since) || !DAY.test(values.until)) throw new Error('--since and --until are dates, YYYY-MM-DD');
  const backend = openBackend(config, createLogger({ level: 'warn', hashKey: config.LOG_HASH_KEY }));
  try {
    const keys = new Keys(config.REDIS_KEY_PREFIX);
    const result = await reindexOpenComplaints(backend, keys, new OpenComplaints(backend, keys), values.since, values.until);
    console.log(JSON.stringify(result));
  } finally {
    await backend.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
