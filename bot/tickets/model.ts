/** The complaint record (DOMAIN.md "What to record"), its states and audit trail; zod is the source of the types. */
import { z } from 'zod';
import { LEVELS } from './policy';

export const STATUSES = ['received', 'accepted', 'assigned', 'in_progress', 'resolved', 'closed', 'reopened', 'withdrawn', 'merged'] as const;
export type TicketStatus = (typeof STATUSES)[number];

export const LAWFUL_BASES = ['consent', 'contract', 'legal_obligation', 'sensitive_separate_consent'] as const;

const iso = z.string().datetime({ offset: true });
const partialDate = z.string().regex(/^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$/);

export const auditEntrySchema = z
  .object({
    at: iso,
    by: z.string().min(1), // "customer", "bot", "staff:<id>", "system"
    action: z.string().min(1),
    from: z.enum(STATUSES).optional(),
    to: z.enum(STATUSES).optional(),
    changes: z.record(z.string(), z.unknown()).optional(),
    note: z.string().max(4000).optional(),
  })
  .strict();
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const resolutionSchema = z
  .object({
    findings: z.string().min(1), // what the complaint was about and what the investigation found
    accountability: z.string().min(1), // what was done about the people or process responsible
    correctiveAction: z.string().min(1), // the lesson and the corrective action
    customerSatisfied: z.enum(['yes', 'no', 'unknown']),
    handledAt: iso,
    handler: z.object({ name: z.string().min(1), contact: z.string().min(1) }).strict(),
    appealInfo: z.string().optional(), // required when the customer is not satisfied
  })
  .strict()
  .refine((r) => r.customerSatisfied !== 'no' || Boolean(r.appealInfo), { message: 'tell a dissatisfied customer how to appeal', path: ['appealInfo'] });
export type Resolution = z.infer<typeof resolutionSchema>;

export const clocksSchema = z
  .object({
    internalWorkingDays: z.number().int().positive(),
    internalDue: iso,
    regulatoryStart: iso,
    regulatoryLimitDays: z.number().int().positive(),
    pausedDays: z.number().int().min(0),
    pausedSince: iso.optional(),
    regulatoryDue: iso,
    extensions: z.array(z.object({ totalDays: z.number().int(), approvedBy: z.string().min(1), reason: z.string().min(1), at: iso }).strict()),
    pauses: z.array(z.object({ from: iso, to: iso.optional(), reason: z.string().min(1) }).strict()),
  })
  .strict();
export type TicketClocks = z.infer<typeof clocksSchema>;

export const complaintDetailsSchema = z
  .object({
    category: z.string().min(1),
    description: z.string().min(1).max(5000),
    occurredAt: iso.optional(),
    occurredText: z.string().max(200).optional(),
    // As precise as the customer said it ("2021", "2021-06", "2021-06-03"), and the end of a period; absent on older tickets.
    occurredOn: partialDate.optional(),
    occurredUntil: partialDate.optional(),
    // The two axes of the regulator's statistics (policy/business-lines.json, reasons.json); a ticket without them counts as "other".
    line: z.string().min(1).max(40).optional(),
    reason: z.string().min(1).max(40).optional(),
    // A collection agency, lender or platform the customer named.
    thirdParty: z.string().min(1).max(200).optional(),
    branch: z.string().max(100).optional(),
    channel: z.string().max(100).optional(),
    product: z.string().max(200).optional(),
    staff: z.string().max(100).optional(),
    amount: z.object({ value: z.number().nonnegative().max(1e12), currency: z.string().length(3) }).strict().optional(),
    cardTail: z.string().regex(/^\d{4}$/).optional(),
    wish: z.string().min(1).max(1000),
  })
  .strict();
export type ComplaintDetails = z.infer<typeof complaintDetailsSchema>;

export const ticketSchema = z
  .object({
    number: z.string().regex(/^TS-\d{8}-\d{4,}$/),
    status: z.enum(STATUSES),
    level: z.enum(LEVELS),
    department: z.string().min(1),
    complex: z.boolean(),
    createdAt: iso,
    updatedAt: iso,
    customer: z
      .object({
        channelId: z.string().min(1),
        id: z.string().min(1), // the channel identity (openid, Direct Line user id)
        name: z.string().max(100).optional(),
        phone: z.string().max(30).optional(),
        anonymous: z.boolean(),
        locale: z.string(),
      })
      .strict(),
    conversationRef: z.record(z.string(), z.unknown()),
    details: complaintDetailsSchema,
    evidence: z.array(z.object({ kind: z.string(), url: z.string().max(2000).optional(), name: z.string().max(200).optional(), addedAt: iso }).strict()),
    consent: z
      .object({
        personalData: z.object({ given: z.boolean(), at: iso, retentionDays: z.number().int().positive() }).strict(),
        financialData: z.object({ given: z.boolean(), at: iso }).strict().optional(),
      })
      .strict(),
    lawfulBasis: z.record(z.string(), z.enum(LAWFUL_BASES)),
    clocks: clocksSchema,
    callback: z.object({ requestedAt: iso, expectedBy: iso, phone: z.string().optional() }).strict().optional(),
    resolution: resolutionSchema.optional(),
    // Everyone who took, worked on or answered the complaint (staff ids, first time each, in order): handlers.ts.
    handlers: z.array(z.string()),
    // Who holds it now; cleared by an appeal, which puts it back in the department's queue.
    owner: z.string().min(1).optional(),
    // The handlers at the latest appeal: none of them may take it again. Defaulted for tickets stored before it existed.
    barredHandlers: z.array(z.string()).default([]),
    /** The customer's satisfaction survey after the answer (1–5, an optional comment). */
    survey: z.object({ score: z.number().int().min(1).max(5), comment: z.string().max(1000).optional(), at: iso }).strict().optional(),
    /** Merged: the earlier complaint on the same matter that carries on in its place (merge.ts). */
    mergedInto: z.string().regex(/^TS-\d{8}-\d{4,}$/).optional(),
    mergedMessages: z.number().int().min(0),
    audit: z.array(auditEntrySchema).min(1),
  })
  .strict();
export type Ticket = z.infer<typeof ticketSchema>;
