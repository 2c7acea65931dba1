/**
 * `npm run content:check [dir]`: validates the content folder exactly as the bot
 * does at start-up, and prints every problem with its file and key.
 */
import { ContentError, DEFAULT_CONTENT_DIR, flatten, loadContent } from './loader';
import { SUPPORTED_LOCALES } from './schemas';

const dir = process.argv[2] ?? DEFAULT_CONTENT_DIR;
try {
  const content = loadContent(dir);
  const texts = SUPPORTED_LOCALES.reduce(
    (n, l) => n + Object.values(content.locales[l]).reduce((m, tree) => m + flatten(tree).size, 0),
    0,
  );
  console.log(`content OK: ${dir} — ${content.namespaces.length} namespaces, ${texts} texts in ${SUPPORTED_LOCALES.join(', ')}, ${content.faq.entries.length} FAQ entries`);
} catch (error) {
  if (error instanceof ContentError) {
    console.error(`content INVALID: ${dir}`);
    for (const p of error.problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  throw error;
}
