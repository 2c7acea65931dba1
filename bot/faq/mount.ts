/**
 * The FAQ feature, wired in one place for bot/app.ts: the knowledge base the
 * dialogs search, its figures in Redis, and the reload that rebuilds the index
 * from `content/` without a restart (SIGHUP, or `reload()`).
 *
 * A reload checks the whole content folder exactly as start-up does; a
 * version with any problem is refused (logged with the file and entry named)
 * and the running knowledge base stays as it was. Only the FAQ is replaced.
 * Once a supervisor has published a content version (the console), content is
 * changed there and reaches every instance without a signal; SIGHUP is then refused.
 */
import type { i18n } from 'i18next';
import type { Translator } from '../content/i18n';
import { ContentError, loadContent, type Content } from '../content/loader';
import type { Logger } from '../log';
import type { BotMetrics } from '../metrics';
import type { Mounted } from '../mount';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import { FaqKnowledge } from './knowledge';
import { publishFaqAnswers } from './render';
import { FaqStats } from './stats';
import type { DayCounters } from '../reports/day-counters';

export interface FaqDeps {
  content: Content;
  i18n: i18n;
  translator: Translator;
  backend: StateBackend;
  keys: Keys;
  metrics: BotMetrics;
  logger: Logger;
  now: () => Date;
  counters?: DayCounters;
  /** False while a version published in the console is live: the folder is then not what customers see. */
  folderIsLive?: () => boolean;
}

export type FaqReload = { ok: true; entries: number } | { ok: false; problems: string[] };

export interface FaqFeature extends Mounted {
  knowledge: FaqKnowledge;
  stats: FaqStats;
  /** Reads content/ again and, when all of it is valid, swaps in the new knowledge base. */
  reload(): FaqReload;
}

export function createFaq(deps: FaqDeps): FaqFeature {
  const { content, logger } = deps;
  const stats = new FaqStats(deps.backend, deps.keys, deps.now, logger);
  const knowledge = new FaqKnowledge({ faq: content.faq, translator: deps.translator, policy: content, stats, metrics: deps.metrics, now: deps.now, counters: deps.counters });
  logger.info({ entries: knowledge.size }, 'FAQ knowledge base ready');

  const reload = (): FaqReload => {
    if (deps.folderIsLive && !deps.folderIsLive()) {
      const problems = ['a content version published in the console is live: change the FAQ there (docs/console.md)'];
      logger.warn({ code: 'FAQ_RELOAD_REFUSED' }, problems[0]);
      return { ok: false, problems };
    }
    try {
      const fresh = loadContent(content.dir);
      // Answers first: an answer the new index finds must already be there to be rendered.
      publishFaqAnswers(deps.i18n, fresh.faq.entries, (l) => fresh.locales[l].faq);
      knowledge.replace(fresh.faq);
      logger.info({ entries: knowledge.size }, 'FAQ knowledge base reloaded');
      return { ok: true, entries: knowledge.size };
    } catch (error) {
      const problems = error instanceof ContentError ? error.problems : [error instanceof Error ? error.message : String(error)];
      logger.error({ code: 'FAQ_RELOAD_REFUSED', problems }, 'FAQ reload refused: the knowledge base in use is unchanged');
      return { ok: false, problems };
    }
  };
  const onHangup = () => void reload();

  return {
    knowledge,
    stats,
    reload,
    start: () => void process.on('SIGHUP', onHangup),
    stop: async () => void process.off('SIGHUP', onHangup),
    drained: () => stats.drained(),
  };
}
