// Complaints (issue 12): the open complaints of the staff member's teams, soonest promised date first, with
// filters (overdue / due today, status, level) and a search by number or the phone's last four digits; the one
// opened is shown beside the list (on a phone: instead of it, with a back button).
import { api, errorText } from './api.js';
import { ComplaintDetail } from './complaint-detail.js';
import { categoryName, channelName, dateOf, h, levelName, page, serverNow, statusName, syncClock, t, teamName, toast } from './util.js';

const STATUSES = ['received', 'accepted', 'assigned', 'in_progress', 'reopened'];
const LEVELS = ['major', 'urgent', 'important', 'general'];
const DAY_MS = 86_400_000;
/** Ids named in the page's texts under a prefix (category.fees → fees). */
const idsOf = (prefix) => Object.keys(page.texts).filter((k) => k.startsWith(prefix) && k.split('.').length === 2).map((k) => k.slice(prefix.length));

export class ComplaintsView {
  constructor({ me }) {
    this.me = me;
    this.filters = { due: '', status: '', level: '', category: '', channel: '', number: '', phoneTail: '' };
    this.data = { complaints: [], total: 0, names: {} };
    this.openNumber = null;
    this.detail = new ComplaintDetail({ me, onBack: () => this.close(), onChanged: () => void this.load(true) });

    this.dueTabs = ['', 'overdue', 'today'].map((due) => h('button', {
      type: 'button', role: 'tab', 'data-due': due || 'all', 'aria-selected': String(due === ''),
      onclick: () => this.set({ due }),
    }, t(`complaints.due.${due || 'all'}`)));
    const choice = (name, values, label, text) => {
      const el = h('select', { name, 'aria-label': label, onchange: () => this.set({ [name]: el.value }) },
        h('option', { value: '' }, label), values.map((v) => h('option', { value: v }, text(v))));
      return el;
    };
    this.search = h('input', { type: 'search', name: 'q', placeholder: t('complaints.search'), 'aria-label': t('complaints.search'), enterkeyhint: 'search' });
    this.search.addEventListener('keydown', (e) => e.key === 'Enter' && this.find());
    this.search.addEventListener('search', () => this.find());
    this.count = h('div', { class: 'list-count' });
    this.list = h('ul', { class: 'list', role: 'list' });
    this.listPane = h('section', { class: 'pane complaint-list', 'aria-label': t('nav.complaints') },
      h('div', { class: 'tabs', role: 'tablist' }, this.dueTabs),
      h('div', { class: 'filters' },
        this.search,
        choice('status', STATUSES, t('complaints.anyStatus'), statusName),
        choice('level', LEVELS, t('complaints.anyLevel'), levelName),
        choice('category', idsOf('category.'), t('complaints.anyCategory'), categoryName),
        choice('channel', idsOf('channel.'), t('complaints.anyChannel'), channelName)),
      this.count,
      this.list);
    this.el = h('div', { class: 'complaints-view' }, this.listPane, this.detail.el);
  }

  /** A number (TS-…) or the phone's last four digits; anything else is said to be neither. */
  find() {
    const q = this.search.value.trim().toUpperCase();
    if (q && !/^TS-\d{8}-\d{4,}$/.test(q) && !/^\d{4}$/.test(q)) return toast(t('complaints.searchHint'), 'error');
    this.set({ number: q.startsWith('TS-') ? q : '', phoneTail: /^\d{4}$/.test(q) ? q : '' });
  }

  set(change) {
    Object.assign(this.filters, change);
    for (const b of this.dueTabs) b.setAttribute('aria-selected', String((b.dataset.due === 'all' ? '' : b.dataset.due) === this.filters.due));
    void this.load();
  }

  async load(background = false) {
    const query = new URLSearchParams(Object.entries(this.filters).filter(([, v]) => v));
    try {
      const data = await api('GET', `/desk/api/complaints?${query}`, undefined, { background });
      syncClock(data.now);
      this.data = data;
      this.draw();
      // A number searched for and found opens at once.
      const found = this.filters.number && data.complaints.length === 1 ? data.complaints[0].number : null;
      if (found && found !== this.openNumber) this.open(found);
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  draw() {
    const { complaints, total } = this.data;
    this.count.textContent = t('complaints.count', { count: total ?? complaints.length });
    if (complaints.length === 0) {
      const searching = this.filters.number || this.filters.phoneTail;
      return this.list.replaceChildren(h('li', { class: 'empty' }, t(searching ? 'complaints.noMatch' : 'complaints.empty')));
    }
    this.list.replaceChildren(...complaints.map((c) => h('li', {}, this.item(c))));
  }

  item(c) {
    const owner = c.owner ? (this.data.names[c.owner.replace(/^staff:/, '')] ?? c.owner.replace(/^staff:/, '')) : t('complaints.unowned');
    const days = Math.ceil((serverNow() - Date.parse(c.promised)) / DAY_MS);
    const due = c.overdue ? h('span', { class: 'due overdue' }, t('complaints.overdueBy', { days: Math.max(1, days) }))
      : c.dueToday ? h('span', { class: 'due today' }, t('complaints.dueToday'))
        : h('span', { class: 'due' }, t('complaints.promisedOn', { date: dateOf(c.promised) }));
    return h('button', { class: 'item complaint', type: 'button', 'data-number': c.number, 'aria-current': String(c.number === this.openNumber), onclick: () => this.open(c.number) },
      h('div', { class: 'row' },
        h('span', { class: `level ${c.level}` }, levelName(c.level)),
        h('span', { class: 'name mono' }, c.number),
        due),
      h('div', { class: 'row sub' },
        h('span', { class: 'category' }, categoryName(c.category)),
        c.teamConflict ? h('span', { class: 'chip warn' }, t('complaints.teamConflict')) : null,
        h('span', { class: `badge status-${c.status}` }, statusName(c.status))),
      h('div', { class: 'row meta' },
        h('span', {}, teamName(c.department)),
        h('span', {}, owner),
        c.phoneTail ? h('span', {}, t('complaints.phoneTail', { tail: c.phoneTail })) : null));
  }

  open(number) {
    this.openNumber = number;
    this.el.classList.add('detail-open');
    this.draw();
    void this.detail.open(number);
  }

  close() {
    this.openNumber = null;
    this.el.classList.remove('detail-open');
    this.detail.close();
    this.draw();
  }

  /** Shown again (the nav): fresh figures, the open complaint re-read. */
  shown() {
    void this.load();
    if (this.openNumber) void this.detail.reload();
  }
}
