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

/** A colour as CSS hex (#rgb or #rrggbb): it goes into the page's style and Web Chat's styleOptions, so nothing else is allowed. */
const hexColour = z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'a colour like #0b5cad');

/** Relative luminance (WCAG 2.x) of a hex colour. */
function luminance(hex: string): number {
  const h = hex.length === 4 ? hex.replace(/^#(.)(.)(.)$/, '#$1$1$2$2$3$3') : hex;
  const channel = (i: number) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}
export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/**
 * The logo as inline SVG. It is shown only as an image (a data: URL in <img> and as Web Chat's avatar), where
 * SVG never runs script; still, anything active or external is refused so the file is safe wherever it goes.
 */
const logoSvg = z
  .string()
  .max(20_000, 'keep the logo under 20 000 characters')
  .refine((s) => /^\s*<svg[\s>]/.test(s) && /<\/svg>\s*$/.test(s), 'an inline <svg>…</svg>')
  .refine((s) => !/<script|<foreignObject|\son\w+\s*=|javascript:|(?:href|src)\s*=\s*["']?\s*(?:https?:|\/\/)/i.test(s), 'no script, event handlers or external references');

export const brandingSchema = z
  .object({
    $comment: z.string().optional(),
    /** The bank's name as customers know it, in each language. */
    name: z.object({ 'zh-CN': z.string().min(1).max(40), 'zh-TW': z.string().min(1).max(40), en: z.string().min(1).max(60) }).strict(),
    colours: z
      .object({
        /** Header, the customer's bubbles, buttons: white text sits on it. */
        primary: hexColour,
        /** The page behind the chat column. */
        background: hexColour,
      })
      .strict()
      .refine((c) => contrastRatio(c.primary, '#ffffff') >= 4.5, {
        message: 'primary must be dark enough for white text (contrast at least 4.5:1, WCAG AA)',
        path: ['primary'],
      }),
    logoSvg,
  })
  .strict();
export type Branding = z.infer<typeof brandingSchema>;
