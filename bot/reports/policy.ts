/**
 * How the supervisors' reports count and warn (content/policy/reports.json):
 * the default and longest ranges, and the surge rule — a category whose
 * complaints today rise well above its recent daily average is flagged on the
 * console and told to supervisors (staff-alerts.json, event complaintSurge).
 */
import { z } from 'zod';

export const reportsPolicySchema = z
  .object({
    $comment: z.string().optional(),
    /** Days a report covers when the supervisor picks none, and the most it may cover. */
    defaultDays: z.number().int().min(1).max(366),
    maxDays: z.number().int().min(1).max(366),
    surge: z
      .object({
        /** The days before today whose daily average is the baseline. */
        baselineDays: z.number().int().min(7).max(90),
        /** Today's count must reach this… */
        minToday: z.number().int().min(1),
        /** …be this many times the baseline… */
        factor: z.number().min(1).max(100),
        /** …and exceed it by at least this many complaints. */
        minAbove: z.number().min(0),
        /** How often the running bot checks (minutes). */
        checkEveryMinutes: z.number().int().min(1).max(1440),
      })
      .strict(),
  })
  .strict()
  .refine((p) => p.defaultDays <= p.maxDays, { message: 'defaultDays must not exceed maxDays', path: ['defaultDays'] });
export type ReportsPolicy = z.infer<typeof reportsPolicySchema>;
