// Notices that could not be delivered (supervisors, issue 12): why each failed, and one decision — send it again,
// or mark it handled (the customer was told another way). A colleague's decision first wins.
import { api, errorText } from './api.js';
import { channelName, dayTimeOf, h, sheetFrame, t, toast } from './util.js';

/** Why it failed, in words (desk.json dead.error.<CODE>); the code itself when there are none. */
const whyText = (code) => {
  if (!code) return '—';
  const text = t(`dead.error.${code}`);
  return text === `dead.error.${code}` ? code : text;
};

export function renderDeadLetters({ openComplaint }) {
  const rows = h('tbody');
  const empty = h('p', { class: 'empty', hidden: true }, t('dead.empty'));

  async function decide(id, action, body) {
    try {
      await api('POST', `/desk/api/dead-letters/${encodeURIComponent(id)}/${action}`, body);
      toast(t(`dead.done.${action}`));
    } catch (e) {
      toast(errorText(e), 'error');
    }
    await load();
  }

  async function load() {
    try {
      const { notices } = await api('GET', '/desk/api/dead-letters', undefined, { background: true });
      rows.replaceChildren(...notices.map((n) => {
        const note = h('input', { type: 'text', name: 'note', maxlength: 500, placeholder: t('dead.notePlaceholder'), 'aria-label': t('dead.note') });
        return h('tr', { 'data-notice': n.id },
          h('td', { class: 'mono' }, dayTimeOf(n.createdAt)),
          h('td', {}, h('button', { class: 'link mono', type: 'button', onclick: () => openComplaint(n.number) }, n.number)),
          h('td', { class: 'text' }, h('b', {}, t(`dead.change.${n.change}`)), h('small', {}, n.text)),
          h('td', {}, channelName(n.channel)),
          h('td', {}, t('dead.attempts', { count: n.attempts })),
          h('td', { class: 'error-text', title: n.lastError ?? '' }, whyText(n.lastError)),
          h('td', {}, h('div', { class: 'cell-actions' },
            h('button', { class: 'btn small primary', type: 'button', 'data-action': 'retry', onclick: () => decide(n.id, 'retry', {}) }, t('dead.retry')),
            note,
            h('button', { class: 'btn small', type: 'button', 'data-action': 'handled', onclick: () => decide(n.id, 'handled', note.value.trim() ? { note: note.value.trim() } : {}) }, t('dead.handled')))));
      }));
      empty.hidden = notices.length > 0;
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  void load();
  const el = sheetFrame({
    title: t('dead.title'), lead: t('dead.lead'), rows, empty, refresh: load,
    heads: ['when', 'complaint', 'notice', 'channel', 'head.attempts', 'why', 'action'].map((k) => t(`dead.${k}`)),
  });
  return { el, refresh: load };
}
