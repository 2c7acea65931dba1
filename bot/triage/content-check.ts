/**
 * Staff read triage reasons in words: every reason id the policy can give
 * needs `reason.<id>` in each locale's triage.json. Called by the content
 * loader, so a supervisor who adds a signal without its words hears about it
 * from `npm run content:check`, not from a blank line on the desk.
 */
import type { SupportedLocale } from '../content/schemas';
import type { TriagePolicy } from './policy';
import { Triage } from './triage';

export function checkTriageReasons(policy: TriagePolicy, keys: Record<SupportedLocale, Set<string>>, file: (l: SupportedLocale) => string): string[] {
  const problems: string[] = [];
  const ids = new Triage(policy).reasonIds();
  for (const [locale, have] of Object.entries(keys) as [SupportedLocale, Set<string>][]) {
    for (const id of ids) if (!have.has(`reason.${id}`)) problems.push(`${file(locale)}: reason.${id}: missing (policy/triage.json can give it)`);
  }
  return problems;
}
