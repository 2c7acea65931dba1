// The audit log (supervisors): one day at a time, newest first, in pages.
import { api, errorText } from './api.js';
import { channelName, h, t, timeOf, toast } from './util.js';

export function renderAudit() {
  const day = h('input', { type: 'date', 'aria-label': t('audit.day') });
  const rows = h('tbody');
  const more = h('button', { class: 'btn small', type: 'button', hidden: true }, t('audit.more'));
  const empty = h('p', { class: 'empty', hidden: true }, t('audit.empty'));
  let shown = 0;
  let names = {};

  const chatLabel = (key) => {
    if (!key) return '';
    const [channel, ...rest] = key.split(':');
    return `${channelName(channel)} · ${rest.join(':').slice(-8)}`;
  };
  const detail = (e) => [e.to ? `→ ${names[e.to] ?? e.to}` : '',
    e.of ? (e.of === 'queue' ? t('audit.ofQueue') : t('audit.of', { name: names[e.of] ?? e.of })) : '', e.chars !== undefined ? t('audit.chars', { count: e.chars }) : '', e.client ?? ''].filter(Boolean).join(' · ');

  async function load(reset) {
    if (reset) {
      shown = 0;
      rows.replaceChildren();
    }
    try {
      const query = new URLSearchParams({ skip: String(shown), ...(day.value ? { day: day.value } : {}) });
      const page = await api('GET', `/desk/api/audit?${query}`);
      names = page.names;
      day.value = page.day;
      rows.append(...page.entries.map((e) => h('tr', {},
        h('td', { class: 'mono' }, timeOf(e.at)),
        h('td', {}, names[e.staff] ? `${names[e.staff]}（${e.staff}）` : e.staff),
        h('td', {}, t(`audit.actions.${e.action}`)),
        h('td', { class: 'mono' }, chatLabel(e.chat)),
        h('td', {}, detail(e)))));
      shown += page.entries.length;
      more.hidden = shown >= page.total;
      empty.hidden = page.total > 0;
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  day.addEventListener('change', () => load(true));
  more.addEventListener('click', () => load(false));
  void load(true);
  return h('section', { class: 'audit' },
    h('div', { class: 'card' },
      h('header', {}, h('h2', {}, t('audit.title')), day, h('p', {}, t('audit.lead'))),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ['when', 'who', 'action', 'chat', 'detail'].map((k) => h('th', {}, t(`audit.${k}`))))),
        rows)),
      empty,
      h('div', { class: 'more' }, more)));
}
