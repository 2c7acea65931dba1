/** zod schemas of the complaint policy files in `content/policy/` (supervisor-editable numbers and lists). */
import { z } from 'zod';

const phrases = z.array(z.string().min(1));
const id = z.string().regex(/^[a-z][a-z0-9_]*$/);

export const categoriesSchema = z
  .object({
    $comment: z.string().optional(),
    categories: z.record(
      id,
      z
        .object({
          department: id,
          complex: z.boolean(),
          asksAmount: z.boolean(),
          examples: phrases,
          /** The reason (reasons.json) a complaint of this nature has when its words name none. */
          reason: id.optional(),
        })
        .strict(),
    ),
  })
  .strict()
  .refine((c) => 'other' in c.categories, { message: 'a category "other" is required' });

export const LEVELS = ['general', 'important', 'urgent', 'major'] as const;
export type Level = (typeof LEVELS)[number];

export const levelsSchema = z
  .object({
    $comment: z.string().optional(),
    order: z.tuple([z.literal('general'), z.literal('important'), z.literal('urgent'), z.literal('major')]),
    largeAmountCny: z.number().positive(),
    signals: z.record(id, phrases),
    rules: z.array(z.object({ level: z.enum(LEVELS), ifAny: z.array(id).min(1) }).strict()),
  })
  .strict();

export const timeLimitsSchema = z
  .object({
    $comment: z.string().optional(),
    timezone: z.string().min(1),
    internalWorkingDays: z.object({ general: z.number().int().positive(), complex: z.number().int().positive() }).strict(),
    internalWorkingDaysByLevel: z.partialRecord(z.enum(LEVELS), z.number().int().positive()),
    regulatoryCalendarDays: z.number().int().positive(),
    extensions: z.array(z.object({ name: id.or(z.string().regex(/^[a-zA-Z]+$/)), totalCalendarDays: z.number().int().positive() }).strict()),
    sameMatterLookbackDays: z.number().int().positive(),
    reopenWithinCalendarDays: z.number().int().positive(),
    appealAnswerCalendarDays: z.number().int().positive(),
  })
  .strict();

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
export const officeHoursSchema = z
  .object({
    $comment: z.string().optional(),
    timezone: z.string().min(1),
    open: hhmm,
    close: hhmm,
    callbackWithinWorkingHours: z.number().positive(),
  })
  .strict();

export const branchesSchema = z
  .object({
    $comment: z.string().optional(),
    branches: z.array(
      z.object({ id: z.string().min(1), name: z.object({ 'zh-CN': z.string().min(1), 'zh-TW': z.string().min(1), en: z.string().min(1) }).strict(), aliases: phrases }).strict(),
    ),
  })
  .strict();

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date');

/**
 * The published holiday schedules (放假调休安排), one entry per year as the State
 * Council General Office's notice gives it: the days off and the weekend days
 * made working days. An entry corrects the `chinese-days` data where they
 * disagree, and for years the package does not know it is the schedule (the
 * statutory days stay off). See `bot/tickets/calendar.ts`.
 */
export const calendarPolicySchema = z
  .object({
    $comment: z.string().optional(),
    years: z.record(
      z.string().regex(/^\d{4}$/, 'a year, e.g. "2027"'),
      z
        .object({
          source: z.string().min(1),
          daysOff: z.array(
            z
              .object({ name: z.string().min(1), from: isoDate, to: isoDate })
              .strict()
              .refine((r) => r.from <= r.to, { message: '"from" is after "to"' })
              .refine((r) => Date.parse(r.to) - Date.parse(r.from) < 31 * 86_400_000, { message: 'a holiday of more than a month' }),
          ),
          workingDays: z.array(isoDate),
        })
        .strict(),
    ),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const [year, entry] of Object.entries(c.years)) {
      entry.workingDays.forEach((day, i) => {
        const clash = entry.daysOff.find((r) => r.from <= day && day <= r.to);
        if (clash) ctx.addIssue({ code: 'custom', path: ['years', year, 'workingDays', i], message: `${day} is also a day off (${clash.name})` });
      });
    }
  });
export type CalendarPolicy = z.infer<typeof calendarPolicySchema>;

/** An example phrase (weight 1), or phrases sharing a weight (negative: counts against). */
const weighted = z.array(z.union([z.string().min(1), z.object({ weight: z.number().min(-10).max(10), phrases: phrases.min(1) }).strict()]));
const hasOther = (r: Record<string, unknown>) => 'other' in r;

/** Business lines (the product a complaint is about): the department that owns it, and phrases that name it. */
export const businessLinesSchema = z
  .object({
    $comment: z.string().optional(),
    /** A line is read when its phrases score at least this. */
    minScore: z.number().positive(),
    lines: z.record(id, z.object({ department: id, examples: weighted }).strict()).refine(hasOther, { message: 'a line "other" is required' }),
  })
  .strict();
export type BusinessLines = z.infer<typeof businessLinesSchema>;

/** Reasons (the regulator's causes of complaints), the nature category each implies, and the class public data uses for it. */
export const reasonsSchema = z
  .object({
    $comment: z.string().optional(),
    minScore: z.number().positive(),
    /** How many likely reasons the category question offers first (then "other"). */
    choices: z.number().int().min(2).max(3),
    reasons: z
      .record(
        id,
        z
          .object({
            /** The nature category (categories.json) when the words name none: time limits and the amount question follow it. */
            category: id,
            /** The complaint-reason class of public complaint data (客户服务类, 定价收费类, …), for learning and measuring. */
            reportClass: z.string().min(1).max(20),
            examples: weighted,
          })
          .strict(),
      )
      .refine(hasOther, { message: 'a reason "other" is required' }),
  })
  .strict();
export type Reasons = z.infer<typeof reasonsSchema>;

/**
 * Term weights learned from a bank's own labelled complaints (`npm run intake:eval -- --train`): per term
 * (a Chinese character or a pair of them, or an English word), one weight per reason in `reasons` order,
 * added to the rule phrases' scores. Optional: without the file the reason comes from the phrases alone.
 */
export const reasonWeightsSchema = z
  .object({
    $comment: z.string().optional(),
    trainedOn: z
      .object({
        stories: z.number().int().positive(),
        at: z.string().min(1),
        /** The settings cross-validation on the training stories chose, and the share it read right with them. */
        chosen: z.object({ lambda: z.number().min(0), phraseScale: z.number().min(0), folds: z.number().int().min(2), accuracy: z.number().min(0).max(1) }).strict().optional(),
      })
      .strict(),
    reasons: z.array(id).min(2),
    prior: z.array(z.number()),
    /**
     * How a story's terms are counted (absent: pairs of characters only, present or not, as the first files were):
     * single characters too; a term counts 1 or 1 + ln(times); l2: the counts are divided by their length.
     */
    features: z
      .object({ characters: z.boolean(), counts: z.enum(['presence', 'log']), norm: z.enum(['none', 'l2']) })
      .strict()
      .optional(),
    /** Per reason of reasons.json: what one point of its phrases adds to each learned reason (absent: nothing). */
    phrases: z.record(id, z.array(z.number())).optional(),
    /** How much one point of the rule phrases counts against the learned weights. */
    ruleWeight: z.number().min(0),
    /** A story with fewer known terms than this is read by the phrases alone. */
    minTerms: z.number().int().min(0),
    terms: z.record(z.string().min(1).max(40), z.array(z.number())),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (w.prior.length !== w.reasons.length) ctx.addIssue({ code: 'custom', path: ['prior'], message: `one prior per reason (${w.reasons.length})` });
    for (const [key, table] of [['terms', w.terms], ['phrases', w.phrases ?? {}]] as const) {
      for (const [term, ws] of Object.entries(table)) {
        if (ws.length !== w.reasons.length) ctx.addIssue({ code: 'custom', path: [key, term], message: `one weight per reason (${w.reasons.length})` });
      }
    }
  });
export type ReasonWeights = z.infer<typeof reasonWeightsSchema>;

/** How a story is read beyond the recognizers: which amount is disputed, vague times, third parties, short answers. */
export const storyReadingSchema = z
  .object({
    $comment: z.string().optional(),
    amount: z.object({ disputed: weighted, notDisputed: weighted }).strict(),
    time: z.object({ vague: phrases.min(1), notTheEvent: phrases }).strict(),
    answers: z.object({ skip: phrases.min(1), unknown: phrases.min(1), other: phrases.min(1) }).strict(),
    thirdParty: z.object({ generic: phrases.min(1), names: phrases, suffixes: phrases }).strict(),
  })
  .strict();
export type StoryReading = z.infer<typeof storyReadingSchema>;

export interface ComplaintPolicy {
  categories: z.infer<typeof categoriesSchema>['categories'];
  /** The business line of a complaint (routing, statistics): business-lines.json. */
  lines: BusinessLines;
  /** The reason of a complaint (the regulator's causes, statistics): reasons.json. */
  reasons: Reasons;
  /** Learned term weights for the reason (reason-weights.json), when a supervisor has published some. */
  reasonWeights?: ReasonWeights;
  /** How a story is read: amount cues, vague times, third parties, short answers (story-reading.json). */
  storyReading: StoryReading;
  levels: z.infer<typeof levelsSchema>;
  timeLimits: z.infer<typeof timeLimitsSchema>;
  officeHours: z.infer<typeof officeHoursSchema>;
  branches: z.infer<typeof branchesSchema>['branches'];
  intake: IntakePolicy;
  notices: NoticesPolicy;
  calendar: CalendarPolicy;
}

export const INTAKE_FIELDS = ['description', 'category', 'when', 'amount', 'wish', 'contact'] as const;
export type IntakeField = (typeof INTAKE_FIELDS)[number];

export const intakePolicySchema = z
  .object({
    $comment: z.string().optional(),
    retentionYears: z.number().int().positive(),
    resumeAfterMinutes: z.number().int().positive(),
    words: z
      .object({
        yes: phrases.min(1),
        no: phrases.min(1),
        none: phrases.min(1),
        anonymous: phrases.min(1),
        submit: phrases.min(1),
        edit: phrases.min(1),
        complaint: phrases.min(1),
        appeal: phrases.min(1),
        fields: z.object(Object.fromEntries(INTAKE_FIELDS.map((f) => [f, phrases.min(1)])) as Record<IntakeField, typeof phrases>).strict(),
      })
      .strict(),
  })
  .strict();
export type IntakePolicy = z.infer<typeof intakePolicySchema>;

export const noticesPolicySchema = z
  .object({
    $comment: z.string().optional(),
    timezone: z.string().min(1),
    quietHours: z.object({ start: hhmm, end: hhmm }).strict(),
    retryMinutes: z.array(z.number().positive()).min(1),
    maxAttempts: z.number().int().positive(),
    tick: z.string().min(9),
    /** The status schedule (bot/notify/plan.ts): nobody has to chase us. */
    schedule: z
      .object({
        $comment: z.string().optional(),
        /** A "still working on it" update while a complaint is open, every this many working days (0: none). */
        progressEveryWorkingDays: z.number().int().min(0).max(30),
        /** The satisfaction survey this many hours after the answer (0: none). */
        surveyAfterHours: z.number().min(0).max(720),
        /** How long a survey waits for its answer in the chat. */
        surveyOpenDays: z.number().int().min(1).max(60),
        /** The handler is reminded this many hours before the promised date. */
        remindBeforeHours: z.number().min(0).max(720),
        /** Supervisors hear of a missed promised date this many minutes after it. */
        escalateAfterMinutes: z.number().min(0).max(10_080),
        /** The share of survey answers of 4 or 5 the bank aims for (DOMAIN.md: 85%). */
        satisfactionTarget: z.number().min(0).max(1),
      })
      .strict(),
  })
  .strict();
export type NoticesPolicy = z.infer<typeof noticesPolicySchema>;
