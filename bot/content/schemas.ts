/** zod schemas for every file under the top-level `content/` folder. */
import { z } from 'zod';

export const SUPPORTED_LOCALES = ['zh-CN', 'zh-TW', 'en'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: SupportedLocale = 'zh-CN';

/** A locale file: nested objects whose leaves are non-empty strings (or lists of them). */
export type LocaleTree = { [key: string]: string | string[] | LocaleTree };
export const localeTreeSchema: z.ZodType<LocaleTree> = z.lazy(() =>
  z.record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'keys are identifiers'),
    z.union([z.string().min(1, 'empty text'), z.array(z.string().min(1)).min(1), localeTreeSchema]),
  ),
);

const phraseList = z.array(z.string().min(1)).min(1);

export const commandsSchema = z
  .object({
    $comment: z.string().optional(),
    help: phraseList,
    cancel: phraseList,
    restart: phraseList,
    greeting: phraseList,
    person: phraseList,
    language: z.object({ 'zh-CN': phraseList, 'zh-TW': phraseList, en: phraseList }).strict(),
  })
  .strict();
export type Commands = z.infer<typeof commandsSchema>;


export const wechatTemplatesSchema = z
  .object({
    $comment: z.string().optional(),
    templates: z.record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/),
      z.object({ templateId: z.string().max(128), url: z.string().optional(), fields: z.record(z.string(), z.string()) }).strict(),
    ),
  })
  .strict();
export type WeChatTemplates = z.infer<typeof wechatTemplatesSchema>;
