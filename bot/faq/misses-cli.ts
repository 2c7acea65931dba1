/**
 * `npm run faq:misses [-- --limit 50] [--json]`: what customers asked that the
 * knowledge base had no answer for (most asked first: count, last asked, a
 * masked sample), then the "did this help?" figures of every entry that has
 * any — read from the Redis the bot uses (REDIS_URL, REDIS_KEY_PREFIX).
 * Supervisors turn the first list into new entries or phrasings, and the
 * entries with many "no" into better answers.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadDotEnv } from '../config';
import { loadContent } from '../content/loader';
import { createLogger } from '../log';
import { openBackend } from '../store/open-backend';
import { Keys } from '../store/keys';
import { FaqStats } from './stats';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { limit: { type: 'string', default: '50' }, json: { type: 'boolean', default: false } } });
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new ConfigError(['--limit must be a positive whole number']);
  loadDotEnv();
  const config = loadConfig();
  if (!config.REDIS_URL) throw new ConfigError(['REDIS_URL is not set: the figures are in the Redis the bot uses']);
  const content = loadContent(config.CONTENT_DIR);
  const logger = createLogger({ level: 'warn', hashKey: config.LOG_HASH_KEY });
  const backend = openBackend(config, logger);
  try {
    const stats = new FaqStats(backend, new Keys(config.REDIS_KEY_PREFIX), () => new Date(), logger);
    const misses = await stats.misses(limit);
    const feedback = (await stats.feedbackFigures(content.faq.entries.map((e) => e.id))).filter((f) => f.helped + f.notHelped > 0);
    feedback.sort((a, b) => b.notHelped - a.notHelped || b.helped - a.helped);
    if (values.json) {
      console.log(JSON.stringify({ misses, feedback }));
      return;
    }
    console.log(`Unanswered questions (last 90 days, most asked first): ${misses.length}`);
    for (const m of misses) console.log(`${String(m.count).padStart(5)}  ${m.lastSeen.toISOString().slice(0, 16).replace('T', ' ')}  ${m.sample}`);
    console.log(`\n"Did this help?" by entry (most "no" first): ${feedback.length}`);
    for (const f of feedback) console.log(`${String(f.helped).padStart(5)} yes ${String(f.notHelped).padStart(5)} no  ${f.id}`);
  } finally {
    await backend.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
