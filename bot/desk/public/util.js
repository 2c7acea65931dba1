// Texts, formatting and DOM helpers for the desk. Every word comes from content (the page's data block);
// elements are built with textContent only, so nothing a customer typed can become markup.

const data = JSON.parse(document.getElementById('desk-data').textContent);
export const page = data;

/** A text from content/locales/<lng>/desk.json, with {{placeholders}} filled; the key itself when missing. */
export function t(key, vars = {}) {
  const text = data.texts[key];
  if (text === undefined) return key;
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => (vars[name] === undefined ? '' : String(vars[name])));
}

const has = (key) => data.texts[key] !== undefined;
/** Triage reason ids in words (triage.json, then desk.json), else the id as it is. */
export const reasonText = (id) => (has(`reason.${id}`) ? t(`reason.${id}`) : id);
export const teamName = (id) => (has(`team.${id}`) ? t(`team.${id}`) : id);
/** Channel ids have hyphens (wechat-oa); text keys are identifiers (channel.wechatOa). */
const channelKey = (id) => `channel.${String(id).replace(/-(\w)/g, (_m, c) => c.toUpperCase())}`;
export const channelName = (id) => (has(channelKey(id)) ? t(channelKey(id)) : id);
export const levelName = (id) => t(`level.${id}`);
/** A complaint's status in staff words (desk.json complaint.status.*). */
export const statusName = (id) => t(`complaint.status.${id}`);
/** A complaint category as the customer chose it (intake.json category.*), else the id. */
export const categoryName = (id) => (has(`category.${id}`) ? t(`category.${id}`) : id);
/** A branch by name (policy/branches.json), else as written. */
export const branchName = (id) => (has(`branch.${id}`) ? t(`branch.${id}`) : id);
export const languageName = (locale) => t(`language.${String(locale).replace('-', '')}`);

/** "3 分钟" from milliseconds. */
export function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return t('time.justNow');
  if (s < 3600) return t('time.minutes', { n: Math.floor(s / 60) });
  return t('time.hours', { n: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

const clock = new Intl.DateTimeFormat(data.locale, { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: data.timeZone });
const dayClock = new Intl.DateTimeFormat(data.locale, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: data.timeZone });

/** The server's clock, as of its last answer: a laptop whose clock is off still shows the right waiting times. */
let offset = 0;
export const syncClock = (serverNow) => {
  if (serverNow) offset = Date.parse(serverNow) - Date.now();
};
export const serverNow = () => Date.now() + offset;
const dayOnly = new Intl.DateTimeFormat(data.locale, { month: '2-digit', day: '2-digit', weekday: 'short', timeZone: data.timeZone });
export const timeOf = (iso) => clock.format(new Date(iso));
/** A promised date: the day and its weekday (working days matter), in the bank's time zone: 12/04 周五. */
export const dateOf = (iso) => {
  const parts = dayOnly.formatToParts(new Date(iso));
  const part = (type) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('month')}/${part('day')} ${part('weekday')}`;
};
export const dayTimeOf = (iso) => dayClock.format(new Date(iso));

/** h('div', {class: 'x', onclick}, child, 'text', …): an element; strings become text nodes. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

export const initial = (name) => Array.from(String(name ?? '?').trim())[0] ?? '?';

let toasts;
/** A short message at the top of the screen. */
export function toast(message, kind = 'info') {
  toasts ??= document.body.appendChild(h('div', { class: 'toasts', role: 'status' }));
  // The same words again (several quick steps) replace the one shown instead of piling up.
  for (const old of toasts.children) if (old.textContent === message) old.remove();
  const el = toasts.appendChild(h('div', { class: `toast ${kind}` }, message));
  setTimeout(() => el.remove(), kind === 'error' ? 6000 : 3500);
}

/** A modal built by `build(close)`; resolves with what `close` is called with. */
export function modal(build) {
  return new Promise((resolve) => {
    const dialog = document.body.appendChild(h('dialog'));
    const close = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    dialog.append(build(close));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      close(undefined);
    });
    dialog.showModal();
  });
}

export function confirmDialog(title, body, confirmLabel, danger = false) {
  return modal((close) =>
    h('div', { class: 'dialog' },
      h('h3', {}, title),
      h('p', {}, body),
      h('div', { class: 'buttons' },
        h('button', { class: 'btn', type: 'button', onclick: () => close(false) }, t('end.cancel')),
        h('button', { class: `btn ${danger ? 'danger' : 'primary'}`, type: 'button', onclick: () => close(true) }, confirmLabel))));
}

/** A page of the desk that is one table (call-backs, undelivered notices, alerts): title, refresh, lead, the table, an empty note. */
export function sheetFrame({ title, lead, heads, rows, empty, refresh, before = null }) {
  return h('section', { class: 'sheet' },
    before,
    h('div', { class: 'card' },
      h('header', {}, h('h2', {}, title),
        h('button', { class: 'btn small', type: 'button', onclick: () => refresh() }, t('callbacks.refresh')),
        h('p', {}, lead)),
      h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, heads.map((text) => h('th', {}, text)))), rows)),
      empty));
}
