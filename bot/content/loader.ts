/**
 * Loads and validates the `content/` folder: every file against its zod schema,
 * then cross-checks (every locale has the same keys and placeholders; no text
 * contains a forbidden service phrase). Problems are collected, not thrown one
 * by one, so a supervisor sees every mistake with its file and key at once.
 */
import { staffAlertPolicySchema, type StaffAlertPolicy } from '../notify/staff-alert-policy';
import { reportsPolicySchema, type ReportsPolicy } from '../reports/policy';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FolderFiles, type ContentFiles } from './files';
import type { z } from 'zod';
import { AppError } from '../errors';
import { SERVICE_PHRASES, type ServicePhrases } from './service-phrases';
import {
  branchesSchema,
  businessLinesSchema,
  calendarPolicySchema,
  categoriesSchema,
  reasonsSchema,
  reasonWeightsSchema,
  storyReadingSchema,
  intakePolicySchema,
  noticesPolicySchema,
  levelsSchema,
  officeHoursSchema,
  timeLimitsSchema,
  type ComplaintPolicy,
} from '../tickets/policy';
import { intentsPolicySchema, type IntentsPolicy } from '../understanding/policy';
import { triagePolicySchema, type TriagePolicy } from '../triage/policy';
import { checkTriageReasons } from '../triage/content-check';
import { triageWeightsSchema, type TriageWeights } from '../triage/weights';
import { checkDeskContent, deskPolicySchema, type DeskPolicy } from '../desk/policy';
import { checkAxes } from './axes-check';
import { loadFaq, type FaqContent } from '../faq/content';
import {
  commandsSchema,
  SUPPORTED_LOCALES,
  DEFAULT_LOCALE,
  localeTreeSchema,
  type Commands,
  type LocaleTree,
  type SupportedLocale,
  type WeChatTemplates,
  wechatTemplatesSchema,
  brandingSchema,
  type Branding,
} from './schemas';

export interface Content {
  dir: string;
  namespaces: string[];
  locales: Record<SupportedLocale, Record<string, LocaleTree>>;
  commands: Commands;
  servicePhrases: ServicePhrases;
  wechatTemplates: WeChatTemplates;
  complaints: ComplaintPolicy;
  /** The bank's name per language, colours and logo (policy/branding.json). */
  branding: Branding;
  /** What messages mean: phrase lists and weights of the recognizer (bot/understanding). */
  intents: IntentsPolicy;
  /** Which staff events alert whom in WeCom, and in what words (policy/staff-alerts.json). */
  staffAlerts: StaffAlertPolicy;
  /** The supervisors' reports: ranges and the surge rule (policy/reports.json). */
  reports: ReportsPolicy;
  /** Emotion, complexity and handoff rules (bot/triage). */
  triage: TriagePolicy;
  /** The learned layer of triage (policy/triage-weights.json), when a supervisor has published one (npm run triage:eval -- --train). */
  triageWeights?: TriageWeights;
  /** The staff desk: sessions, login limits, canned replies, better wordings (bot/desk). */
  desk: DeskPolicy;
  /** The FAQ knowledge base and its search policy (content/faq/, policy/faq-search.json; bot/faq). */
  faq: FaqContent;
}

export class ContentError extends AppError {
  constructor(readonly problems: string[]) {
    super('CONTENT_INVALID', `Invalid content:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** The top-level `content/` folder, found from this file whether run from source or from `dist/`. */
export const DEFAULT_CONTENT_DIR = findContentDir(__dirname);

function findContentDir(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'content', 'locales');
    if (existsSync(candidate)) return path.dirname(candidate);
    if (path.dirname(dir) === dir) return path.resolve('content');
  }
}

/**
 * Loads content from a folder (the default: content/) or from files held in memory (a published version, a
 * draft). Paths inside are relative to the content root.
 */
export function loadContent(source: string | ContentFiles = DEFAULT_CONTENT_DIR): Content {
  const files = typeof source === 'string' ? new FolderFiles(source) : source;
  const dir = files.origin;
  const problems: string[] = [];
  const rel = (file: string) => files.shown(file);

  const readJson = <T>(file: string, schema: z.ZodType<T>): T | undefined => {
    let raw: unknown;
    const text = files.read(file);
    if (text === undefined) {
      problems.push(`${rel(file)}: missing`);
      return undefined;
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      problems.push(`${rel(file)}: ${error instanceof SyntaxError ? `not valid JSON (${error.message})` : 'cannot be read'}`);
      return undefined;
    }
    const result = schema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) problems.push(`${rel(file)}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      return undefined;
    }
    return result.data;
  };

  const localesDir = 'locales';
  const namespaceSet = new Set<string>();
  for (const locale of SUPPORTED_LOCALES) {
    const names = files.list(`${localesDir}/${locale}`).filter((f) => f.endsWith('.json'));
    if (names.length === 0) problems.push(`${rel(`${localesDir}/${locale}`)}: missing locale folder`);
    for (const f of names) namespaceSet.add(f.slice(0, -5));
  }
  const namespaces = [...namespaceSet].sort();

  const locales = {} as Content['locales'];
  for (const locale of SUPPORTED_LOCALES) {
    locales[locale] = {};
    for (const ns of namespaces) {
      const file = `${localesDir}/${locale}/${ns}.json`;
      if (files.read(file) === undefined) {
        problems.push(`${rel(file)}: missing (other locales have namespace "${ns}")`);
        continue;
      }
      const tree = readJson(file, localeTreeSchema);
      if (tree) locales[locale][ns] = tree;
    }
  }

  const commands = readJson('policy/commands.json', commandsSchema);
  const servicePhrases: ServicePhrases = SERVICE_PHRASES;
  const wechatTemplates = readJson('policy/wechat-templates.json', wechatTemplatesSchema);
  const policy = (name: string) => `policy/${name}.json`;
  const categories = readJson(policy('categories'), categoriesSchema);
  const levels = readJson(policy('levels'), levelsSchema);
  const timeLimits = readJson(policy('time-limits'), timeLimitsSchema);
  const officeHours = readJson(policy('office-hours'), officeHoursSchema);
  const branches = readJson(policy('branches'), branchesSchema);
  const intake = readJson(policy('intake'), intakePolicySchema);
  const notices = readJson(policy('notices'), noticesPolicySchema);
  const calendar = readJson(policy('calendar'), calendarPolicySchema);
  const intents = readJson(policy('intents'), intentsPolicySchema);
  const branding = readJson(policy('branding'), brandingSchema);
  const triage = readJson(policy('triage'), triagePolicySchema);
  const triageWeights = files.read(policy('triage-weights')) !== undefined ? readJson(policy('triage-weights'), triageWeightsSchema) : undefined;
  const lines = readJson(policy('business-lines'), businessLinesSchema);
  const reasons = readJson(policy('reasons'), reasonsSchema);
  const storyReading = readJson(policy('story-reading'), storyReadingSchema);
  const staffAlerts = readJson(policy('staff-alerts'), staffAlertPolicySchema);
  const reports = readJson(policy('reports'), reportsPolicySchema);
  // Learned weights are published by a supervisor when the bank has trained some (npm run intake:eval -- --train).
  const weightsFile = policy('reason-weights');
  const reasonWeights = files.read(weightsFile) !== undefined ? readJson(weightsFile, reasonWeightsSchema) : undefined;

  if (problems.length === 0) {
    problems.push(...crossCheckLocales(locales, namespaces, localesDir, rel));
    problems.push(...checkServicePhrases(locales, servicePhrases, localesDir, rel));
  }
  if (problems.length === 0 && wechatTemplates) {
    for (const [name, t] of Object.entries(wechatTemplates.templates)) {
      for (const [field, text] of Object.entries(t.fields)) {
        for (const hit of findForbiddenPhrases(text, servicePhrases)) {
          problems.push(`${rel('policy/wechat-templates.json')}: templates.${name}.fields.${field}: contains the forbidden service phrase "${hit}"`);
        }
      }
    }
  }
  if (problems.length === 0 && categories) {
    for (const category of Object.keys(categories.categories)) {
      for (const locale of SUPPORTED_LOCALES) {
        if (!flatten(locales[locale].intake ?? {}).has(`category.${category}`)) {
          problems.push(`${rel(`${localesDir}/${locale}/intake.json`)}: category.${category}: missing (policy/categories.json has it)`);
        }
      }
    }
  }
  if (problems.length === 0 && categories && lines && reasons) {
    const intakeKeys = Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, new Set(flatten(locales[l].intake ?? {}).keys())])) as Record<SupportedLocale, Set<string>>;
    const file = { categories: rel(policy('categories')), reasons: rel(policy('reasons')), weights: rel(weightsFile), intake: (l: SupportedLocale) => rel(`${localesDir}/${l}/intake.json`) };
    problems.push(...checkAxes({ categories: categories.categories, lines, reasons, weights: reasonWeights, intakeKeys, file }));
  }
  if (problems.length === 0 && triage) {
    const triageKeys = Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, new Set(flatten(locales[l].triage ?? {}).keys())])) as Record<SupportedLocale, Set<string>>;
    problems.push(...checkTriageReasons(triage, triageKeys, (l) => rel(`${localesDir}/${l}/triage.json`)));
  }
  const desk = readJson(policy('desk'), deskPolicySchema);
  if (problems.length === 0 && desk) problems.push(...checkDeskContent(desk, (l) => new Set(flatten(locales[l].desk ?? {}).keys()), rel(policy('desk'))));
  const faq = loadFaq({ files, rel, readJson, servicePhrases, findForbidden: findForbiddenPhrases, localeKeys: (l) => Object.keys(locales[l]?.faq ?? {}) });
  problems.push(...faq.problems);
  if (problems.length > 0 || !faq.faq || !desk || !triage || !commands || !wechatTemplates || !categories || !levels || !timeLimits || !officeHours || !branches || !intake || !notices || !calendar || !intents || !branding || !lines || !reasons || !storyReading || !staffAlerts || !reports) {
    throw new ContentError(problems);
  }
  const complaints: ComplaintPolicy = {
    categories: categories.categories,
    lines,
    reasons,
    reasonWeights,
    storyReading,
    levels,
    timeLimits,
    officeHours,
    branches: branches.branches,
    intake,
    notices,
    calendar,
  };
  return { dir, namespaces, locales, commands, servicePhrases, wechatTemplates, complaints, intents, branding, triage, triageWeights, desk, staffAlerts, reports, faq: faq.faq };
}

/** Flattens a locale tree to dotted keys → text (list items as key.0, key.1 …). */
export function flatten(tree: LocaleTree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else if (Array.isArray(v)) v.forEach((item, i) => out.set(`${key}.${i}`, item));
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort().join(',');

function crossCheckLocales(
  locales: Content['locales'],
  namespaces: string[],
  localesDir: string,
  rel: (f: string) => string,
): string[] {
  const problems: string[] = [];
  for (const ns of namespaces) {
    const reference = flatten(locales[DEFAULT_LOCALE][ns] ?? {});
    for (const locale of SUPPORTED_LOCALES) {
      if (locale === DEFAULT_LOCALE) continue;
      const file = rel(`${localesDir}/${locale}/${ns}.json`);
      const other = flatten(locales[locale][ns] ?? {});
      for (const [key, text] of reference) {
        const theirs = other.get(key);
        if (theirs === undefined) problems.push(`${file}: ${key}: missing (present in ${DEFAULT_LOCALE})`);
        else if (placeholders(theirs) !== placeholders(text)) {
          problems.push(`${file}: ${key}: placeholders {${placeholders(theirs)}} differ from ${DEFAULT_LOCALE} {${placeholders(text)}}`);
        }
      }
      for (const key of other.keys()) if (!reference.has(key)) problems.push(`${file}: ${key}: not in ${DEFAULT_LOCALE}`);
    }
  }
  return problems;
}

/** Finds forbidden service phrases (服务禁语) in a text; exported for other content kinds (FAQ answers). */
export function findForbiddenPhrases(text: string, phrases: ServicePhrases): string[] {
  const hits = phrases.forbidden.filter((p) => text.includes(p));
  for (const word of phrases.rudeAddress) {
    // Only as a call to the customer: at the start of a sentence and followed by punctuation ("喂，你…").
    const call = new RegExp(`(^|[\\s。！？!?；;：:，,])${word}[\\s，,！!～~。]`);
    if (call.test(text)) hits.push(`${word}（称呼）`);
  }
  return hits;
}

function checkServicePhrases(
  locales: Content['locales'],
  phrases: ServicePhrases,
  localesDir: string,
  rel: (f: string) => string,
): string[] {
  const problems: string[] = [];
  for (const locale of SUPPORTED_LOCALES) {
    for (const [ns, tree] of Object.entries(locales[locale])) {
      for (const [key, text] of flatten(tree)) {
        for (const hit of findForbiddenPhrases(text, phrases)) {
          problems.push(`${rel(`${localesDir}/${locale}/${ns}.json`)}: ${key}: contains the forbidden service phrase "${hit}"`);
        }
      }
    }
  }
  return problems;
}
