/**
 * Loads and checks `content/faq/*.json` and `content/policy/faq-search.json`
 * for bot/content/loader.ts. Every problem names the file and the entry id
 * (not an array index: supervisors know entries by id), so that start-up and
 * `npm run content:check` say exactly what to fix.
 */
import type { z } from 'zod';
import type { ContentFiles } from '../content/files';
import { SUPPORTED_LOCALES, type SupportedLocale } from '../content/schemas';
import type { ServicePhrases } from '../content/service-phrases';
import { FAQ_PLACEHOLDERS, faqEntrySchema, faqFileSchema, faqSearchPolicySchema, type FaqEntry, type FaqSearchPolicy } from './schema';

export interface FaqContent {
  entries: FaqEntry[];
  search: FaqSearchPolicy;
}

export interface FaqLoadContext {
  /** The content being loaded (a folder or a published version). */
  files: ContentFiles;
  /** A path as shown in problems (relative to the working directory). */
  rel: (file: string) => string;
  /** The loader's reader: parses and checks a JSON file, its problems (named by file) go to the loader's list; undefined when it failed. */
  readJson: <T>(file: string, schema: z.ZodType<T>) => T | undefined;
  servicePhrases: ServicePhrases;
  findForbidden: (text: string, phrases: ServicePhrases) => string[];
  /** Keys of a `faq` namespace in content/locales (texts around the answers), which no entry id may take. */
  localeKeys: (locale: SupportedLocale) => string[];
}

const INTERPOLATION = /\{\{\s*([^}]*?)\s*\}\}/g;
/** i18next features beyond plain placeholders (nesting, unescaped) are refused: an answer fills only the listed values. */
const OTHER_I18N = /\$t\(|\{\{\s*-/;

export function loadFaq(ctx: FaqLoadContext): { faq?: FaqContent; problems: string[] } {
  const problems: string[] = [];
  const policyFile = 'policy/faq-search.json';
  const search = ctx.readJson(policyFile, faqSearchPolicySchema);
  let unread = search === undefined;
  const entries: FaqEntry[] = [];
  const seen = new Map<string, string>();
  // No folder: no knowledge base yet (every question gets "no answer"); the search policy is still checked.
  const names = ctx.files.list('faq').filter((f) => f.endsWith('.json'));
  for (const name of names) {
    const file = `faq/${name}`;
    const shown = ctx.rel(file);
    const parsed = ctx.readJson(file, faqFileSchema);
    if (!parsed) {
      unread = true;
      continue;
    }
    parsed.entries.forEach((raw, i) => {
      const label = entryLabel(raw, i);
      const result = faqEntrySchema.safeParse(raw);
      if (!result.success) {
        for (const issue of result.error.issues) problems.push(`${shown}: ${label}: ${issue.path.join('.') || '(entry)'}: ${issue.message}`);
        return;
      }
      const entry = result.data;
      const earlier = seen.get(entry.id);
      if (earlier) problems.push(`${shown}: ${label}: id used twice (also in ${earlier})`);
      seen.set(entry.id, shown);
      problems.push(...checkEntry(entry, ctx).map((p) => `${shown}: ${label}: ${p}`));
      // Answers share the i18next namespace `faq` with content/locales/*/faq.json: an id must not hide one of its texts.
      if (SUPPORTED_LOCALES.some((l) => ctx.localeKeys(l).includes(entry.id))) problems.push(`${shown}: ${label}: id is also a key of content/locales/*/faq.json`);
      entries.push(entry);
    });
  }
  return problems.length > 0 || unread || !search ? { problems } : { faq: { entries, search }, problems };
}

function checkEntry(entry: FaqEntry, ctx: FaqLoadContext): string[] {
  const problems: string[] = [];
  const allowed = new Set<string>(FAQ_PLACEHOLDERS);
  const used = (text: string) => [...text.matchAll(INTERPOLATION)].map((m) => m[1] ?? '');
  const reference = used(entry.answer['zh-CN']).sort().join(',');
  for (const locale of SUPPORTED_LOCALES) {
    const answer = entry.answer[locale];
    for (const name of used(answer)) {
      if (!allowed.has(name)) problems.push(`answer.${locale}: placeholder {{${name}}} is not one of ${FAQ_PLACEHOLDERS.join(', ')}`);
    }
    if (OTHER_I18N.test(answer)) problems.push(`answer.${locale}: only plain {{placeholders}} are allowed`);
    const mine = used(answer).sort().join(',');
    if (mine !== reference) problems.push(`answer.${locale}: placeholders {${mine}} differ from zh-CN {${reference}}`);
    for (const hit of ctx.findForbidden(answer, ctx.servicePhrases)) problems.push(`answer.${locale}: contains the forbidden service phrase "${hit}"`);
    // The canonical question is shown to customers as a choice, so it is held to the same rule.
    entry.questions[locale].forEach((q, i) => {
      for (const hit of ctx.findForbidden(q, ctx.servicePhrases)) problems.push(`questions.${locale}.${i}: contains the forbidden service phrase "${hit}"`);
    });
  }
  return problems;
}

function entryLabel(raw: unknown, index: number): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? `entry "${id}"` : `entry #${index + 1} (no id)`;
}
