/** What a Direct Line client may send us, validated at the boundary (passthrough keeps unknown fields). */
import { z } from 'zod';

const idString = z.string().min(1).max(256);

export const channelAccountSchema = z
  .object({ id: idString, name: z.string().max(256).optional(), role: z.string().max(32).optional() })
  .passthrough();

export const inboundActivitySchema = z
  .object({
    type: z.enum(['message', 'event', 'typing']),
    text: z.string().optional(),
    textFormat: z.string().max(32).optional(),
    locale: z.string().max(35).optional(),
    name: z.string().max(256).optional(),
    value: z.unknown().optional(),
    from: channelAccountSchema.optional(),
    attachments: z
      .array(z.object({ contentType: z.string().max(256) }).passthrough())
      .max(10)
      .optional(),
    entities: z.array(z.record(z.string(), z.unknown())).max(20).optional(),
    channelData: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();
export type InboundActivity = z.infer<typeof inboundActivitySchema>;

const userIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'user id: 1–64 letters, digits, "_", ".", ":" or "-"');

export const tokenRequestSchema = z
  .object({ user: z.object({ id: userIdSchema, name: z.string().max(256).optional() }).passthrough().optional() })
  .passthrough()
  .optional();

export const startConversationSchema = z
  .object({
    user: z.object({ id: userIdSchema.optional(), name: z.string().max(256).optional() }).passthrough().optional(),
    locale: z.string().max(35).optional(),
  })
  .passthrough()
  .optional();
