/**
 * npm run content:export -- DIR [--force]
 * Writes the live content version (from the store; the files of content/ while nothing has been published) to DIR
 * in the same layout. Then `npm run content:check DIR` checks it, and a developer can copy it over content/.
 */
import { parseArgs } from 'node:util';
import { loadConfig, loadDotEnv } from '../config';
import { createLogger } from '../log';
import { openBackend } from '../store/open-backend';
import { Keys } from '../store/keys';
import { readBundle } from './files';
import { DEFAULT_CONTENT_DIR } from './loader';
import { ContentVersions } from './versions';
import { writeBundle } from './export';

async function main(): Promise<void> {
  loadDotEnv();
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { force: { type: 'boolean', default: false } } });
  const dir = positionals[0];
  if (!dir) throw new Error('usage: npm run content:export -- DIR [--force]');
  const config = loadConfig();
  const backend = openBackend(config, createLogger({ level: 'warn', hashKey: config.LOG_HASH_KEY }));
  try {
    const versions = new ContentVersions(backend, new Keys(config.REDIS_KEY_PREFIX), readBundle(config.CONTENT_DIR ?? DEFAULT_CONTENT_DIR), () => new Date());
    const live = await versions.liveNumber();
    const files = await versions.files(live);
    if (!files) throw new Error(`version ${live} is live but not in the store`);
    const written = writeBundle(files, dir, { force: values.force });
    const meta = live === 0 ? undefined : await versions.meta(live);
    console.log(`wrote ${written} files of ${live === 0 ? 'the content/ folder (nothing published yet)' : `version ${live} (${meta?.by ?? '?'}, ${meta?.at ?? '?'}: ${meta?.note ?? ''})`} to ${dir}`);
  } finally {
    await backend.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
