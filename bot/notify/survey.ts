/**
 * The satisfaction survey after an answer (DOMAIN.md: at least 85% satisfied): the question goes out through
 * the outbox with the answers 1–5 (buttons; a numbered list on WeChat, where the number is the score), and
 * the customer's reply is read here — a score, in digits or words, with an optional comment in the same
 * message ("4 处理得挺快"). Only the next reply, and only when it holds a score, is taken; anything else goes on
 * to the bot as usual and ends the wait — nobody is trapped in a survey, and a "1" picking a numbered menu item
 * later is never read as a score. The score is stored on the complaint and counted per month for supervisors.
 */
import { AppError } from '../errors';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import type { Ticket } from '../tickets/model';
import type { TicketService } from '../tickets/service';

export interface SurveyAnswer {
  score: number;
  comment?: string;
}

/** Words for a score (simplified, traditional and English), longest first so 非常满意 wins over 满意. */
const WORDS: [RegExp, number][] = [
  [/^(非常不满意|非常不滿意|很不满意|很不滿意|very (dis|un)satisfied|very poor|terrible)/i, 1],
  [/^(不太满意|不太滿意|不满意|不滿意|(dis|un)satisfied|poor|bad)/i, 2],
  [/^(一般|还行|還行|neutral|okay|ok|so-so|average)/i, 3],
  [/^(非常满意|非常滿意|很满意|很滿意|very satisfied|excellent|great)/i, 5],
  [/^(满意|滿意|satisfied|good)/i, 4],
];
// A score stands alone or is followed by a space or punctuation ("4 处理得挺快", "5分，很快"): "1楼的ATM…" is not a 1.
const END = '(?=$|[\\s,，。.、:：;；!！?？\\-–—])';
const DIGIT = new RegExp(`^([1-5])(?:\\s*(?:分|星|颗星|顆星|stars?|points?|\\/\\s*5))?${END}`, 'i');
const HANZI = new RegExp(`^([一二两兩三四五])\\s*(?:分|星|颗星|顆星)${END}`);
const HANZI_SCORE: Record<string, number> = { 一: 1, 二: 2, 两: 2, 兩: 2, 三: 3, 四: 4, 五: 5 };

/** The score and comment in a reply, or undefined when it holds no score. */
export function parseSurveyAnswer(text: string): SurveyAnswer | undefined {
  const t = text.trim().replace(/^[“"'「]+|[”"'」]+$/g, '');
  let score: number | undefined;
  let rest = '';
  const digit = DIGIT.exec(t) ?? HANZI.exec(t);
  if (digit) {
    score = /[1-5]/.test(digit[1]!) ? Number(digit[1]) : HANZI_SCORE[digit[1]!];
    rest = t.slice(digit[0].length);
  } else {
    for (const [re, value] of WORDS) {
      const m = re.exec(t);
      if (m) {
        score = value;
        rest = t.slice(m[0].length);
        break;
      }
    }
  }
  if (score === undefined) return undefined;
  // The label of the tapped button ("5 非常满意") is not a comment.
  const comment = rest.replace(/^[\s,，。.、:：;；!！\-–—]+/, '').replace(/^(非常不满意|非常不滿意|不满意|不滿意|一般|满意|滿意|非常满意|非常滿意|very (dis)?satisfied|(dis)?satisfied|neutral)\s*/i, '').trim();
  return { score, ...(comment ? { comment: comment.slice(0, 1000) } : {}) };
}

const PENDING_TTL_DAY_MS = 86_400_000;

export class Surveys {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly tickets: TicketService,
    private readonly timeZone: string,
    private readonly now: () => Date,
  ) {}

  /** The survey of this complaint now waits for its customer's reply (for `openDays`). */
  async open(ticket: Ticket, openDays: number): Promise<void> {
    await this.backend.set(this.keys.surveyPending(ticket.customer.channelId, ticket.customer.id), ticket.number, { ttlMs: openDays * PENDING_TTL_DAY_MS });
  }

  /** The complaint whose survey waits for this customer, if any. */
  pendingFor(channelId: string, customerId: string): Promise<string | null> {
    return this.backend.get(this.keys.surveyPending(channelId, customerId));
  }

  /** The customer wrote something else: the survey no longer waits for them. */
  async drop(channelId: string, customerId: string): Promise<void> {
    await this.backend.del(this.keys.surveyPending(channelId, customerId));
  }

  /** Stores the answer on the complaint and in the month's figures; the survey is then closed. */
  async record(channelId: string, customerId: string, number: string, answer: SurveyAnswer): Promise<void> {
    try {
      await this.tickets.recordSurvey(number, answer.score, answer.comment);
    } catch (error) {
      // Answered already (a second reply racing the first): the first answer counts, once.
      if (error instanceof AppError && error.code === 'STATE_CONFLICT') return void (await this.backend.del(this.keys.surveyPending(channelId, customerId)));
      throw error;
    }
    await this.backend.del(this.keys.surveyPending(channelId, customerId));
    const month = this.month(this.now());
    const ttl = 800 * PENDING_TTL_DAY_MS;
    await this.backend.incr(this.keys.surveyCount(month, 'responses'), ttl);
    if (answer.score >= 4) await this.backend.incr(this.keys.surveyCount(month, 'satisfied'), ttl);
  }

  /** A month's answers and the share satisfied (4 or 5). */
  async figures(month: string): Promise<{ month: string; responses: number; satisfied: number; rate: number | null }> {
    const [responses, satisfied] = await Promise.all((['responses', 'satisfied'] as const).map(async (w) => Number((await this.backend.get(this.keys.surveyCount(month, w))) ?? 0)));
    return { month, responses: responses!, satisfied: satisfied!, rate: responses ? satisfied! / responses : null };
  }

  month(at: Date): string {
    return new Intl.DateTimeFormat('en-CA', { timeZone: this.timeZone, year: 'numeric', month: '2-digit' }).format(at).slice(0, 7);
  }
}
