/**
 * `content/policy/desk.json`: the numbers a supervisor may tune for the staff
 * desk (session lifetimes, login limits, audit retention) and its wording
 * tables: canned replies and the better wording offered when a reply holds a
 * forbidden service phrase. The texts themselves live in
 * `content/locales/<lng>/desk.json`; `checkDeskContent` makes sure each id has them.
 */
import { z } from 'zod';
import { SUPPORTED_LOCALES, type SupportedLocale } from '../content/schemas';
import { FORBIDDEN_PHRASE_GROUP_NAMES } from '../content/service-phrases';
import type { ComplaintPolicy } from '../tickets/policy';

const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an identifier');

export const deskPolicySchema = z
  .object({
    $comment: z.string().optional(),
    session: z
      .object({
        /** A session nobody has used for this long is over (the staff member logs in again). */
        idleMinutes: z.number().int().min(5).max(480),
        /** However busy, a session ends after this long (one shift). */
        absoluteHours: z.number().int().min(1).max(24),
      })
      .strict(),
    login: z
      .object({
        /** Failed logins are counted per fixed window of this many minutes. */
        windowMinutes: z.number().int().min(1).max(1440),
        /** Wrong passwords for one account in a window before it is refused until the window ends. */
        failuresPerAccount: z.number().int().min(1).max(100),
        /** Wrong passwords from one address (any account) in a window before it is refused. */
        failuresPerAddress: z.number().int().min(1).max(10_000),
      })
      .strict(),
    /** Days an audit day is kept after its last entry. */
    auditRetentionDays: z.number().int().min(30).max(3650),
    /** Longest staff reply, in characters. */
    replyMaxChars: z.number().int().min(100).max(5000),
    /** Canned replies in the order staff see them; each needs canned.<id>.label and .text in locales/<lng>/desk.json. */
    canned: z.array(id).min(1),
    /** A group of forbidden phrases (bot/content/service-phrases.ts, named, never quoted) → the better wording offered instead (better.<use> in desk.json). */
    suggestions: z.array(z.object({ group: z.enum(FORBIDDEN_PHRASE_GROUP_NAMES), use: id }).strict()),
    /** The better wording for a forbidden phrase that no row above names. */
    defaultSuggestion: id,
  })
  .strict();
export type DeskPolicy = z.infer<typeof deskPolicySchema>;

/**
 * Every text id the policy names exists in every locale's desk namespace (the
 * schema already holds each suggestion row to a group the guard has).
 */
export function checkDeskContent(policy: DeskPolicy, deskKeys: (locale: SupportedLocale) => Set<string>, file: string): string[] {
  const problems: string[] = [];
  const needed = [
    ...policy.canned.flatMap((c) => [`canned.${c}.label`, `canned.${c}.text`]),
    ...policy.suggestions.map((s) => `better.${s.use}`),
    `better.${policy.defaultSuggestion}`,
  ];
  for (const locale of SUPPORTED_LOCALES) {
    const keys = deskKeys(locale);
    for (const key of new Set(needed)) if (!keys.has(key)) problems.push(`${file}: needs "${key}" in locales/${locale}/desk.json`);
  }
  return problems;
}

/** The teams staff belong to: the departments that own complaints, by category (categories.json) and by business line (business-lines.json). */
export function deskTeams(complaints: Pick<ComplaintPolicy, 'categories' | 'lines'>): string[] {
  const departments = [...Object.values(complaints.categories).map((c) => c.department), ...Object.values(complaints.lines.lines).map((l) => l.department)];
  return [...new Set(departments)].sort();
}
