/**
 * The desk's one HTML page: a shell the desk script fills in. Texts come from
 * content (locales/<lng>/desk.json, and the triage reasons), passed to the
 * script as a JSON data block; no inline script runs, so the page's CSP needs
 * no nonce for scripts at all. The one inline style (the bank's colours)
 * carries the response's nonce.
 */
import type { Content } from '../content/loader';
import { flatten } from '../content/loader';
import type { SupportedLocale } from '../content/schemas';
import type { StaffProfile } from './staff';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** JSON safe inside a <script> data block. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

export interface PageData {
  locale: SupportedLocale;
  /** The signed-in staff member and their CSRF token; absent on the login page. */
  me?: StaffProfile;
  csrf?: string;
  /** Asset URLs carry their content hash, so a new deployment is never served from a stale cache. */
  assetVersion: string;
  /** Live-heartbeat period, so the page knows when the stream has gone quiet. */
  heartbeatMs: number;
  /** The longest reply (policy/desk.json). */
  replyMaxChars: number;
  /** Times are shown in the bank's time zone, whatever the laptop's. */
  timeZone: string;
  /** Which parts of the desk this bot serves (complaints, call-backs and dead letters need the ticket store). */
  features: { complaints: boolean; callbacks: boolean; deadLetters: boolean; alerts: boolean };
  /** Days a customer has to appeal an answer (policy/time-limits.json), for the answer form's default wording. */
  appealWindowDays: number;
}

/**
 * Every text the page needs, flat: the desk namespace, plus reason words from the triage namespace (`reason.*`)
 * and complaint category names from the intake namespace (`category.*`, as the customer chose them), and the
 * branch names of policy/branches.json (`branch.<id>`).
 */
export function pageTexts(content: Content, locale: SupportedLocale): Record<string, string> {
  const texts = Object.fromEntries(flatten(content.locales[locale].desk ?? {}));
  const borrowed: [string, string][] = [['triage', 'reason.'], ['intake', 'category.']];
  for (const [namespace, prefix] of borrowed) {
    const source = content.locales[locale][namespace];
    if (source) for (const [k, v] of flatten(source)) if (k.startsWith(prefix) && !(k in texts)) texts[k] = v;
  }
  // Branch names (policy/branches.json), so a complaint shows 陆家嘴支行 rather than its id.
  for (const b of content.complaints.branches) texts[`branch.${b.id}`] = b.name[locale];
  return texts;
}

export function renderDeskPage(content: Content, data: PageData, nonce: string): string {
  const texts = pageTexts(content, data.locale);
  const { primary, background } = content.branding.colours;
  const bank = content.branding.name[data.locale];
  const logo = `data:image/svg+xml;base64,${Buffer.from(content.branding.logoSvg).toString('base64')}`;
  const title = `${texts.title ?? 'Desk'} · ${bank}`;
  const v = encodeURIComponent(data.assetVersion);
  return `<!doctype html>
<html lang="${data.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/desk/assets/desk.css?v=${v}">
<link rel="stylesheet" href="/desk/assets/console.css?v=${v}">
<style nonce="${nonce}">:root{--brand:${primary};--page:${background}}</style>
<script type="module" src="/desk/assets/main.js?v=${v}"></script>
</head>
<body class="${data.me ? 'view-desk' : 'view-login'}">
<script type="application/json" id="desk-data">${scriptJson({ ...data, texts, bank, logo })}</script>
<div id="app" aria-live="polite"></div>
<noscript><p class="noscript">${escapeHtml(texts['login.hint'] ?? '')}</p></noscript>
</body>
</html>`;
}
