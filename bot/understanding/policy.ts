/**
 * zod schema of `content/policy/intents.json`: the phrase lists, patterns and
 * weights the recognizer scores a message with. Supervisors edit the file; the
 * bot and `npm run content:check` validate it the same way.
 */
import { z } from 'zod';

/** What a message can mean, besides "none" (an answer to the current prompt). */
/** In this order on a tie: a message naming a complaint and its progress equally asks about an existing one. */
export const INTENTS = [
  'progress',
  'withdraw',
  'appeal',
  'complaint',
  'person',
  'question',
  'language',
  'greeting',
  'thanks',
  'goodbye',
  'cancel',
  'restart',
  'help',
] as const;
export type Intent = (typeof INTENTS)[number] | 'none';

const phrases = z.array(z.string().min(1));
const regex = z.string().min(1).refine((p) => {
  try {
    new RegExp(p, 'u');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

const intentRulesSchema = z
  .object({
    $comment: z.string().optional(),
    /** Counts when it is the whole message (after fillers are dropped). */
    exact: phrases.default([]),
    /** Counts wherever it appears (Latin phrases on word boundaries), with its group's weight. */
    contains: z.array(z.object({ $comment: z.string().optional(), weight: z.number(), phrases: phrases.min(1) }).strict()).default([]),
    /** Regular expressions over the normalised text; `raw: true` matches before fillers are dropped (for 吗, 呢). */
    patterns: z.array(z.object({ $comment: z.string().optional(), pattern: regex, weight: z.number(), raw: z.boolean().optional() }).strict()).default([]),
  })
  .strict();

export const intentsPolicySchema = z
  .object({
    $comment: z.string().optional(),
    /** Dropped before matching: 我要/我想/请问/帮我/一下/吗/呢/please/can you. */
    fillers: phrases,
    negation: z
      .object({
        /** Cues that negate a phrase a few characters (Chinese) or words (English) later: 不是, 不要, don't. */
        cues: phrases,
        /** Cues that negate only when right before the phrase (不投诉). */
        immediate: phrases,
        chineseWindow: z.number().int().positive(),
        englishWords: z.number().int().positive(),
      })
      .strict(),
    /** Weight of an `exact` phrase. */
    exactWeight: z.number().positive(),
    /** Added to "question" when the message carries a question mark. */
    questionMark: z.number(),
    /** A long message reads as a story (a complaint) unless something else is said. */
    story: z.object({ minChineseChars: z.number().int().positive(), minEnglishWords: z.number().int().positive(), weight: z.number() }).strict(),
    /** Score "none" has: the message must beat it to mean something other than an answer to the prompt. */
    none: z.object({ menu: z.number(), answer: z.number() }).strict(),
    /** Inside a dialog, a global intent (a person, cancel…) interrupts only when this sure and the message this short. */
    interrupt: z
      .object({ minScore: z.number(), maxChars: z.number().int().positive().describe('Chinese characters'), maxWords: z.number().int().positive().describe('English words') })
      .strict(),
    ticketNumber: regex,
    /**
     * A sure answer in the knowledge base (bot/faq) against another reading:
     * a short message that asks something ("投诉多久有结果", "有人让我转到安全账户，是真的吗")
     * is a question when the FAQ answers it directly — unless it is about the
     * customer's own case (`personal`: "我的投诉多久有结果" is a progress check).
     * A weak reading (below interrupt.minScore) gives way even without a question form.
     */
    knowledge: z
      .object({
        $comment: z.string().optional(),
        maxChars: z.number().int().positive().describe('Chinese characters'),
        maxWords: z.number().int().positive().describe('English words'),
        personal: phrases,
      })
      .strict()
      .default({ maxChars: 40, maxWords: 16, personal: [] }),
    /** Names of each language, for "language" (which one the customer wants). */
    languages: z.object({ 'zh-CN': phrases, 'zh-TW': phrases, en: phrases }).strict(),
    intents: z.object(Object.fromEntries(INTENTS.map((i) => [i, intentRulesSchema])) as Record<(typeof INTENTS)[number], typeof intentRulesSchema>).strict(),
  })
  .strict();

export type IntentsPolicy = z.infer<typeof intentsPolicySchema>;
