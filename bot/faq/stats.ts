/**
 * What supervisors learn from the FAQ (issue 11): per entry, how often "did
 * this help?" was answered yes or no; per unanswered question, how often it
 * was asked, when last, and one masked sample of its phrasing. Kept in Redis
 * for `npm run faq:misses` and the supervisor console.
 *
 * Recording never holds up a customer's reply: the writes run in the
 * background, a store fault is logged (without the text) and the answer the
 * customer got stands. `drained()` lets shutdown and tests wait for them.
 */
import { createHash } from 'node:crypto';
import { normaliseUtterance } from '../content/commands';
import type { Logger } from '../log';
import { maskText } from '../privacy/mask';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';

/** An unanswered question keeps its figures this long after it was last asked. */
const MISS_TTL_MS = 90 * 86_400_000;
/** A sample phrasing is cut to this many characters (enough to read it, not a whole story). */
const SAMPLE_CHARS = 120;

export interface FaqMiss {
  count: number;
  lastSeen: Date;
  /** The latest phrasing, personal data masked. */
  sample: string;
}

export interface FaqFeedbackFigures {
  id: string;
  helped: number;
  notHelped: number;
}

export class FaqStats {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {}

  feedback(id: string, helpful: boolean): void {
    this.track('feedback', () => this.backend.incr(this.keys.faqFeedback(id, helpful ? 'helped' : 'notHelped')).then(() => undefined));
  }

  /** A question the knowledge base had no answer for. The same question, however spaced or cased, is one line. */
  miss(text: string): void {
    // Spaces and punctuation do not make another question ("能办 星座卡吗" = "能办星座卡吗？").
    const normal = normaliseUtterance(text).replace(/[\s\p{P}\p{S}]/gu, '');
    if (!normal) return;
    const hash = createHash('sha256').update(normal).digest('hex').slice(0, 16);
    const sample = [...maskText(text.trim())].slice(0, SAMPLE_CHARS).join('');
    this.track('miss', async () => {
      await this.backend.incr(this.keys.faqMissCount(hash), MISS_TTL_MS);
      const at = this.now().getTime();
      await this.backend.set(this.keys.faqMissSample(hash), JSON.stringify({ sample, at }), { ttlMs: MISS_TTL_MS });
      await this.backend.schedule(this.keys.faqMisses(), hash, at);
    });
  }

  /** Unanswered questions asked in the last 90 days, most asked first (then most recently asked). */
  async misses(limit = 50): Promise<FaqMiss[]> {
    const index = this.keys.faqMisses();
    // Forget questions not asked for 90 days (their counters have expired too).
    const stale = await this.backend.due(index, this.now().getTime() - MISS_TTL_MS, 1000);
    await Promise.all(stale.map((old) => this.backend.unschedule(index, old)));
    const hashes = await this.backend.due(index, Number.MAX_SAFE_INTEGER, 10_000);
    // All reads at once: one round trip's wait for the whole list, not two per question.
    const read = await Promise.all(hashes.map((h) => Promise.all([this.backend.get(this.keys.faqMissCount(h)), this.backend.get(this.keys.faqMissSample(h))])));
    const found: FaqMiss[] = [];
    for (const [count, last] of read) {
      const seen = parseLast(last);
      if (count !== null && seen) found.push({ count: Number(count), ...seen });
    }
    return found.sort((a, b) => b.count - a.count || b.lastSeen.getTime() - a.lastSeen.getTime()).slice(0, limit);
  }

  async feedbackFigures(ids: string[]): Promise<FaqFeedbackFigures[]> {
    const read = async (id: string): Promise<FaqFeedbackFigures> => {
      const [helped, notHelped] = await Promise.all([this.backend.get(this.keys.faqFeedback(id, 'helped')), this.backend.get(this.keys.faqFeedback(id, 'notHelped'))]);
      return { id, helped: Number(helped ?? 0), notHelped: Number(notHelped ?? 0) };
    };
    return Promise.all(ids.map(read));
  }

  /** Resolves when the writes started so far have finished. */
  async drained(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private track(what: string, write: () => Promise<void>): void {
    const p = write()
      .catch((error: unknown) => this.logger.warn({ code: 'FAQ_STATS', what, err: error instanceof Error ? error.message : String(error) }, 'FAQ figures not recorded'))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }
}

/** The stored latest phrasing and time of a miss (anything else, e.g. written by an older version, is skipped). */
function parseLast(raw: string | null): { sample: string; lastSeen: Date } | undefined {
  if (raw === null) return undefined;
  try {
    const v = JSON.parse(raw) as { sample?: unknown; at?: unknown };
    return typeof v.sample === 'string' && typeof v.at === 'number' ? { sample: v.sample, lastSeen: new Date(v.at) } : undefined;
  } catch {
    return undefined;
  }
}
