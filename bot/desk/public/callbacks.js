// Call-backs (issue 12): every call-back no one has finished, soonest due first. Claiming one shows the full
// number to the claimer only (tap to call on a phone); the outcome closes it, or — no answer — puts it back for a
// later try. A complaint's call-back opens the complaint.
import { api, errorText } from './api.js';
import { channelName, dayTimeOf, h, languageName, sheetFrame, syncClock, t, toast } from './util.js';

const OUTCOMES = ['reached', 'no_answer', 'wrong_number', 'not_needed'];

export function renderCallbacks({ me, openComplaint }) {
  const rows = h('tbody');
  const empty = h('p', { class: 'empty', hidden: true }, t('callbacks.empty'));
  let names = {};
  const nameOf = (id) => {
    const username = String(id ?? '').replace(/^staff:/, '');
    return username === me.username ? t('chat.you') : (names[username] ?? username);
  };

  async function act(id, action, body) {
    try {
      await api('POST', `/desk/api/callbacks/${encodeURIComponent(id)}/${action}`, body);
      toast(action === 'claim' ? t('callbacks.claimed') : t('callbacks.recorded'));
    } catch (e) {
      toast(e.code === 'CALLBACK_TAKEN' && e.detail.by ? `${errorText(e)}（${nameOf(e.detail.by)}）` : errorText(e), 'error');
    }
    await load();
  }

  const actionsFor = (c) => {
    if (!c.claimedBy) return [h('button', { class: 'btn small primary', type: 'button', 'data-action': 'claim', onclick: () => act(c.id, 'claim', {}) }, t('callbacks.claim'))];
    if (!c.phone) return [h('span', { class: 'muted' }, t('callbacks.with', { name: nameOf(c.claimedBy) }))];
    const select = h('select', { 'aria-label': t('callbacks.outcome'), name: 'outcome' },
      OUTCOMES.map((o) => h('option', { value: o }, t(`callbacks.outcomes.${o}`))));
    const note = h('input', { type: 'text', name: 'note', maxlength: 500, placeholder: t('callbacks.notePlaceholder'), 'aria-label': t('callbacks.note') });
    return [select, note, h('button', { class: 'btn small primary', type: 'button', 'data-action': 'outcome',
      onclick: () => act(c.id, 'outcome', { outcome: select.value, ...(note.value.trim() ? { note: note.value.trim() } : {}) }) }, t('callbacks.record'))];
  };

  async function load() {
    try {
      const data = await api('GET', '/desk/api/callbacks', undefined, { background: true });
      syncClock(data.now);
      names = data.names ?? {};
      rows.replaceChildren(...data.callbacks.map((c) => h('tr', { 'data-callback': c.id, class: c.overdue ? 'overdue' : '' },
        h('td', { class: 'mono' }, dayTimeOf(c.dueBy), c.overdue ? h('span', { class: 'due overdue' }, t('callbacks.late')) : null),
        h('td', { class: 'mono phone' }, c.phone ? h('a', { href: `tel:${c.phone}` }, c.phone) : c.phoneTail ? t('complaints.phoneTail', { tail: c.phoneTail }) : '—'),
        h('td', {}, c.ticketNumber ? h('button', { class: 'link mono', type: 'button', onclick: () => openComplaint(c.ticketNumber) }, c.ticketNumber) : t('callbacks.noComplaint')),
        h('td', {}, `${channelName(c.channel)} · ${languageName(c.locale)}`),
        h('td', {}, c.tries ? t('callbacks.tries', { count: c.tries }) : '—'),
        h('td', {}, h('div', { class: 'cell-actions' }, actionsFor(c))))));
      empty.hidden = data.callbacks.length > 0;
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  void load();
  const el = sheetFrame({
    title: t('callbacks.title'), lead: t('callbacks.lead'), rows, empty, refresh: load,
    heads: ['due', 'phone', 'complaint', 'channel', 'head.tries', 'action'].map((k) => t(`callbacks.${k}`)),
  });
  return { el, refresh: load };
}
