/** zod schemas of the complaint policy files in `content/policy/` (supervisor-editable numbers and lists). */
import { z } from 'zod';

const phrases = z.array(z.string().min(1));
const id = z.string().regex(/^[a-z][a-z0-9_]*$/);

export const categoriesSchema = z
  .object({
    $comment: z.string().optional(),
    categories: z.record(id, z.object({ department: id, complex: z.boolean(), asksAmount: z.boolean(), examples: phrases }).strict()),
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

export interface ComplaintPolicy {
  categories: z.infer<typeof categoriesSchema>['categories'];
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
  })
  .strict();
export type NoticesPolicy = z.infer<typeof noticesPolicySchema>;
