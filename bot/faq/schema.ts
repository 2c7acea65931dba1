/**
 * zod schemas of the FAQ knowledge base (`content/faq/*.json`) and of its
 * search policy (`content/policy/faq-search.json`); the types come from them.
 */
import { z } from 'zod';

/** The only interpolations an answer may use; each is filled from content/policy at render time (render.ts). */
export const FAQ_PLACEHOLDERS = [
  'regulatoryDays',
  'internalWorkingDays',
  'appealWindowDays',
  'appealAnswerDays',
  'callbackHours',
  'openTime',
  'closeTime',
  'bankName',
] as const;
export type FaqPlaceholder = (typeof FAQ_PLACEHOLDERS)[number];

export const FAQ_ACTIONS = ['complaint', 'person', 'progress', 'appeal'] as const;
export type FaqAction = (typeof FAQ_ACTIONS)[number];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'an ISO date like 2026-01-01')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a real date');

const question = z.string().trim().min(2, 'a question of at least 2 characters').max(200);
const answer = z.string().trim().min(4, 'an answer of at least 4 characters').max(600, 'keep an answer short (1-4 sentences)');

export const faqEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'kebab-case, like card-lost'),
    tags: z.array(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case words')).min(1),
    /** First item: the canonical question (shown as a choice); the rest: other ways customers ask. */
    questions: z
      .object({
        'zh-CN': z.array(question).min(3, 'at least 3 questions in zh-CN (the canonical one and other phrasings)'),
        'zh-TW': z.array(question).min(2, 'at least 2 questions in zh-TW'),
        en: z.array(question).min(2, 'at least 2 questions in en'),
      })
      .strict(),
    answer: z.object({ 'zh-CN': answer, 'zh-TW': answer, en: answer }).strict(),
    actions: z
      .array(z.enum(FAQ_ACTIONS))
      .refine((a) => new Set(a).size === a.length, 'an action listed twice')
      .optional(),
    validFrom: isoDate.optional(),
    validUntil: isoDate.optional(),
  })
  .strict()
  .refine((e) => !e.validFrom || !e.validUntil || e.validFrom <= e.validUntil, {
    message: 'validFrom is after validUntil',
    path: ['validUntil'],
  });
export type FaqEntry = z.infer<typeof faqEntrySchema>;

export const faqFileSchema = z.object({ $comment: z.string().optional(), entries: z.array(z.unknown()).min(1, 'no entries') }).strict();

const unit = z.number().min(0).max(1);
const phrase = z.string().trim().min(1);

export const faqSearchPolicySchema = z
  .object({
    $comment: z.string().optional(),
    /** Each group: the first form is the one kept; every other form is rewritten to it, in the knowledge base and in messages. */
    synonyms: z.array(z.array(phrase).min(2)).default([]),
    /** Words, character pairs and characters that say nothing about which question is asked (怎么, 如何, 吗, the, my …). */
    stopwords: z.array(phrase).default([]),
    weights: z
      .object({
        /** Relative weight of whole words, character pairs and single characters in the similarity. */
        word: z.number().min(0),
        bigram: z.number().min(0),
        char: z.number().min(0),
        /** Letters of English words (product names typed loosely: "mipay"): weak evidence, so that "what a nice day" meets nothing. */
        letter: z.number().min(0).default(0.3),
        /** 0..1: how much the share of the message explained counts against the share of the question covered. */
        queryShare: unit,
        /** 0..1: how much the similarity counts in the final score against the search library's BM25 score relative to the best one's. */
        similarity: unit,
      })
      .strict(),
    /** BM25 parameters of the search library (term saturation k, length normalisation b, floor d); its defaults when absent. */
    bm25: z.object({ k: z.number().positive(), b: unit, d: z.number().min(0) }).strict().optional(),
    /** How many nearest questions the search library hands on to the similarity. */
    candidates: z.number().int().min(3).max(200),
    thresholds: z
      .object({
        /** Answer directly at or above this similarity … */
        answer: unit,
        /** … and only when the second entry is at least this far below. */
        margin: unit,
        /** Offer choices at or above this similarity; below it there is no answer. */
        choices: unit,
        /** Entries within this distance of the first are offered with it as choices. */
        choiceSpread: unit,
        maxChoices: z.number().int().min(2).max(3),
      })
      .strict()
      .refine((t) => t.choices <= t.answer, { message: 'choices must not exceed answer', path: ['choices'] }),
  })
  .strict();
export type FaqSearchPolicy = z.infer<typeof faqSearchPolicySchema>;
