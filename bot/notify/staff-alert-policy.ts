/**
 * Which staff events alert whom, and in what words (content/policy/staff-alerts.json, supervisors edit it):
 * named groups of WeCom userids; per event the groups to alert ("$department": the group named after the
 * complaint's department, its team); when a growing queue counts as a surge and how often it may be said;
 * the alert texts with {{placeholders}}.
 */
import { z } from 'zod';

const userId = z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'a WeCom userid');
const groupRef = z.string().regex(/^(\$department|[A-Za-z0-9_-]{1,64})$/);

export const staffAlertPolicySchema = z
  .object({
    $comment: z.string().optional(),
    groups: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), z.array(userId).max(1000)),
    events: z
      .object({ urgentChat: z.array(groupRef), remind: z.array(groupRef), escalate: z.array(groupRef), surge: z.array(groupRef), complaintSurge: z.array(groupRef) })
      .strict(),
    surge: z.object({ waitingChats: z.number().int().min(2).max(10_000), everyMinutes: z.number().int().min(1).max(1440) }).strict(),
    texts: z
      .object({
        urgentChat: z.string().min(1).max(500),
        remind: z.string().min(1).max(500),
        escalate: z.string().min(1).max(500),
        surge: z.string().min(1).max(500),
        complaintSurge: z.string().min(1).max(500),
      })
      .strict(),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const [event, refs] of Object.entries(p.events)) {
      for (const ref of refs) {
        if (ref !== '$department' && !p.groups[ref]) ctx.addIssue({ code: 'custom', path: ['events', event], message: `group "${ref}" is not in groups` });
      }
    }
  });
export type StaffAlertPolicy = z.infer<typeof staffAlertPolicySchema>;
export type AlertKind = keyof StaffAlertPolicy['texts'];

/** The userids an event of `kind` goes to (a complaint's `department` for "$department"), each once. */
export function recipientsOf(policy: StaffAlertPolicy, kind: AlertKind, department?: string): string[] {
  const ids = policy.events[kind].flatMap((ref) => (ref === '$department' ? (department ? (policy.groups[department] ?? []) : []) : (policy.groups[ref] ?? [])));
  return [...new Set(ids)];
}

/** The alert's words with its values filled in (an unknown placeholder is left empty). */
export function alertText(policy: StaffAlertPolicy, kind: AlertKind, values: Record<string, string | number>): string {
  return policy.texts[kind].replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, k: string) => String(values[k] ?? ''));
}
