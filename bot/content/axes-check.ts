/**
 * Cross-checks of the complaint axes (business lines, reasons, learned reason
 * weights) against the categories and the locale files: every name a file
 * refers to exists, and every line and reason has a label in every language
 * (the category question and the summary show them).
 */
import type { BusinessLines, Reasons, ReasonWeights } from '../tickets/policy';
import { SUPPORTED_LOCALES, type SupportedLocale } from './schemas';

export interface AxesFiles {
  categories: Record<string, { reason?: string }>;
  lines: BusinessLines;
  reasons: Reasons;
  weights?: ReasonWeights;
  /** Dotted keys of each locale's intake.json. */
  intakeKeys: Record<SupportedLocale, Set<string>>;
  /** File names as they are shown in problems. */
  file: { categories: string; reasons: string; weights: string; intake: (locale: SupportedLocale) => string };
}

export function checkAxes(f: AxesFiles): string[] {
  const problems: string[] = [];
  for (const [id, reason] of Object.entries(f.reasons.reasons)) {
    if (!(reason.category in f.categories)) problems.push(`${f.file.reasons}: reasons.${id}.category: "${reason.category}" is not in categories.json`);
  }
  for (const [id, category] of Object.entries(f.categories)) {
    if (category.reason && !(category.reason in f.reasons.reasons)) problems.push(`${f.file.categories}: categories.${id}.reason: "${category.reason}" is not in reasons.json`);
  }
  if (f.weights) {
    f.weights.reasons.forEach((id, i) => {
      if (!(id in f.reasons.reasons)) problems.push(`${f.file.weights}: reasons.${i}: "${id}" is not in reasons.json`);
    });
  }
  for (const locale of SUPPORTED_LOCALES) {
    const keys = f.intakeKeys[locale];
    for (const id of Object.keys(f.lines.lines)) if (!keys.has(`line.${id}`)) problems.push(`${f.file.intake(locale)}: line.${id}: missing (policy/business-lines.json has it)`);
    for (const id of Object.keys(f.reasons.reasons)) if (!keys.has(`reason.${id}`)) problems.push(`${f.file.intake(locale)}: reason.${id}: missing (policy/reasons.json has it)`);
  }
  return problems;
}
