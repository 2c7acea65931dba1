// Reminders and escalations from the status schedule (a promised date near, or missed), newest first; for
// supervisors, the month's satisfaction from the surveys against the target. A complaint opens from its number.
import { api, errorText } from './api.js';
import { dateOf, dayTimeOf, h, sheetFrame, statusName, t, teamName, toast } from './util.js';

export function renderAlerts({ me, openComplaint }) {
  const rows = h('tbody');
  const empty = h('p', { class: 'empty', hidden: true }, t('alerts.empty'));
  const figures = h('div', { class: 'figures', hidden: me.role !== 'supervisor' });
  const month = h('input', { type: 'month', 'aria-label': t('alerts.month') });

  async function loadFigures() {
    if (me.role !== 'supervisor') return;
    try {
      const f = await api('GET', `/desk/api/satisfaction${month.value ? `?month=${month.value}` : ''}`, undefined, { background: true });
      month.value = f.month;
      const rate = f.rate === null ? '—' : `${Math.round(f.rate * 100)}%`;
      const good = f.rate !== null && f.rate >= f.target;
      figures.replaceChildren(
        h('div', { class: `figure ${f.rate === null ? '' : good ? 'good' : 'bad'}` }, h('b', {}, rate), h('span', {}, t('alerts.satisfaction'))),
        h('div', { class: 'figure' }, h('b', {}, String(f.responses)), h('span', {}, t('alerts.responses'))),
        h('div', { class: 'figure' }, h('b', {}, `${Math.round(f.target * 100)}%`), h('span', {}, t('alerts.target'))),
        month);
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  async function load() {
    try {
      const { alerts, names } = await api('GET', '/desk/api/alerts', undefined, { background: true });
      const nameOf = (owner) => (owner ? (names[owner.replace(/^staff:/, '')] ?? owner.replace(/^staff:/, '')) : t('complaints.unowned'));
      rows.replaceChildren(...alerts.map((a) => h('tr', { 'data-alert': `${a.number}:${a.kind}` },
        h('td', { class: 'mono' }, dayTimeOf(a.at)),
        h('td', {}, h('span', { class: `due ${a.kind === 'escalate' ? 'overdue' : 'today'}` }, t(`alerts.kind.${a.kind}`))),
        h('td', {}, h('button', { class: 'link mono', type: 'button', onclick: () => openComplaint(a.number) }, a.number)),
        h('td', {}, teamName(a.department)),
        h('td', {}, nameOf(a.owner)),
        h('td', {}, dateOf(a.promised)),
        h('td', {}, h('span', { class: `badge status-${a.status}` }, statusName(a.status))))));
      empty.hidden = alerts.length > 0;
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  month.addEventListener('change', () => loadFigures());
  void load();
  void loadFigures();
  return sheetFrame({
    title: t('alerts.title'), lead: t('alerts.lead'), rows, empty, refresh: load, before: figures,
    heads: ['when', 'kind', 'complaint', 'team', 'owner', 'promised', 'status'].map((k) => t(`alerts.head.${k}`)),
  });
}
