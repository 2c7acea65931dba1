/**
 * A live handoff: one customer conversation waiting for, or talking with, a
 * member of staff. Stored as one document per conversation (optimistic
 * concurrency on its eTag), with the waiting queue and the active list as
 * sorted sets beside it. Channel-agnostic: staff replies reach the customer
 * through the channel's own ProactiveChannel.
 */
import { z } from 'zod';

export const HANDOFF_STATUSES = ['waiting', 'with_staff', 'ended'] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

export const LEVELS = ['general', 'important', 'urgent', 'major'] as const;
export type HandoffLevel = (typeof LEVELS)[number];

export const handoffChatSchema = z.object({
  /** channel:conversation, the same key as the turn lock. */
  key: z.string(),
  channelId: z.string(),
  conversationId: z.string(),
  customerId: z.string(),
  locale: z.string(),
  status: z.enum(HANDOFF_STATUSES),
  level: z.enum(LEVELS),
  /** Why the chat came to a person (triage reason ids, or 'asksPerson'). */
  reasons: z.array(z.string()),
  ticketNumber: z.string().optional(),
  /** Team that should take it (the ticket's department), when known. */
  team: z.string().optional(),
  askedAt: z.string(),
  claimedBy: z.string().optional(),
  claimedAt: z.string().optional(),
  firstStaffReplyAt: z.string().optional(),
  endedAt: z.string().optional(),
  endedBy: z.string().optional(),
  /** 'staff' (ended by staff), 'bot' (handed back), 'customer' (stopped waiting), 'expired'. */
  endedHow: z.enum(['staff', 'bot', 'customer', 'expired']).optional(),
  /** The customer has written since it ended, and was brought back to the menu. */
  resumed: z.boolean().optional(),
  /** Last time a waiting customer was told their message was passed on. */
  notedAt: z.string().optional(),
});
export type HandoffChat = z.infer<typeof handoffChatSchema>;

export interface TranscriptEntry {
  from: 'customer' | 'bot' | 'staff';
  /** Masked as the customer's transcript is (the PII middleware ran before it was recorded). */
  text: string;
  at: string;
  /** The staff member's id, for staff lines. */
  staffId?: string;
}

/** Lower sorts first in the queue: the most serious level, then the earliest asker. */
export function queueScore(level: HandoffLevel, askedAtMs: number): number {
  const rank = { major: 0, urgent: 1, important: 2, general: 3 }[level];
  return rank * 1e13 + askedAtMs;
}

/** What the desk is told, over pub/sub, so every instance's open desks update at once. */
export type HandoffEvent =
  | { type: 'queued' | 'claimed' | 'ended' | 'transferred'; key: string }
  | { type: 'message'; key: string; entry: TranscriptEntry };

/** Why a request for a person does not reach a person now. */
export type NotOnDuty = 'outsideHours' | 'nobodyOnDuty';

export type RequestOutcome =
  | { queued: true; chat: HandoffChat; position: number; waitMinutes: number }
  | { queued: false; reason: NotOnDuty }
  | { queued: false; reason: 'alreadyQueued'; chat: HandoffChat };
