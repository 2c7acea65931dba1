// Content tuning (supervisors): texts by namespace and key in the three languages side by side, policy and FAQ
// files as JSON, the review (problems at their field, changes against the live version) with publish, and the
// versions with restore. Everything goes to the supervisor's draft first; nothing is live until published.
import { api, errorText } from './api.js';
import { previewView } from './content-preview.js';
import { h, languageName, modal, page, t, timeOf, toast, dateOf } from './util.js';

const LOCALES = ['zh-CN', 'zh-TW', 'en'];
const fileOf = (locale, ns) => `locales/${locale}/${ns}.json`;
/** Rows drawn at once (a namespace has up to a few hundred keys); the search narrows the rest. */
const SHOWN = 200;

export class ContentView {
  constructor() {
    this.tab = 'texts';
    this.ns = 'common';
    this.filter = '';
    this.edits = new Map(); // `${file}\u0000${key}` → text, not yet saved
    this.problems = [];
    this.summary = h('div', { class: 'ct-summary' });
    this.body = h('div', { class: 'ct-body' });
    const tabs = ['texts', 'files', 'preview', 'review', 'versions'];
    this.previewState = {};
    this.tabButtons = Object.fromEntries(tabs.map((id) => [id, h('button', { type: 'button', role: 'tab', 'data-tab': id, onclick: () => this.show(id) }, t(`console.${id}`))]));
    this.el = h('section', { class: 'sheet content-tuning' },
      h('div', { class: 'card' },
        h('header', {}, h('h2', {}, t('console.title')), h('p', {}, t('console.lead'))),
        this.summary,
        h('div', { class: 'ct-tabs', role: 'tablist' }, Object.values(this.tabButtons)),
        this.body));
  }

  async shown() {
    await this.load();
    this.show(this.tab);
  }

  async load() {
    try {
      this.data = await api('GET', '/desk/api/content');
    } catch (e) {
      toast(errorText(e), 'error');
      this.data ??= { live: 0, draft: null, texts: {}, files: [] };
    }
    this.renderSummary();
  }

  renderSummary() {
    const { live, draft } = this.data;
    const discard = h('button', { class: 'btn small danger', type: 'button', onclick: () => this.discard() }, t('console.discard'));
    this.summary.replaceChildren(...present(
      h('span', { class: 'chip' }, live === 0 ? t('console.liveOriginal') : t('console.live', { version: live })),
      h('span', { class: draft ? 'chip ticket' : 'chip' }, draft ? t('console.draftFiles', { count: draft.files.length }) : t('console.draftNone')),
      draft?.behind ? h('span', { class: 'ct-note' }, t('console.draftBehind', { version: live })) : null,
      draft ? discard : null));
  }

  show(tab) {
    this.tab = tab;
    for (const [id, b] of Object.entries(this.tabButtons)) b.setAttribute('aria-selected', String(id === tab));
    const views = { texts: () => this.textsView(), files: () => this.filesView(), preview: () => previewView(this.previewState), review: () => this.reviewView(), versions: () => this.versionsView() };
    this.body.replaceChildren(views[tab]());
  }

  problemAt(file, key) {
    return this.problems.filter((p) => p.file === file && (key === undefined || p.key === key || p.key?.startsWith(`${key}:`)));
  }

  // Texts: one namespace at a time, a row per key, a column per language.
  textsView() {
    const names = Object.keys(this.data.texts).sort();
    const select = h('select', { 'aria-label': t('console.texts'), onchange: (e) => { this.ns = e.target.value; this.show('texts'); } },
      names.map((n) => h('option', { value: n, selected: n === this.ns }, n)));
    const search = h('input', { type: 'search', placeholder: t('console.search'), value: this.filter, oninput: (e) => { this.filter = e.target.value; draw(); } });
    const pending = h('span', { class: 'ct-note' });
    const save = h('button', { class: 'btn primary', type: 'button', onclick: () => this.saveTexts() }, t('console.save'));
    const rows = h('tbody');
    const updatePending = () => {
      pending.textContent = this.edits.size ? t('console.unsaved', { count: this.edits.size }) : '';
      save.disabled = this.edits.size === 0;
    };
    const cell = (key, locale, text) => {
      const file = fileOf(locale, this.ns);
      const id = `${file}\u0000${key}`;
      const area = h('textarea', { rows: Math.min(6, Math.max(2, Math.ceil((text ?? '').length / 38))), lang: locale, 'aria-label': `${key} · ${languageName(locale)}`, 'data-file': file, 'data-key': key });
      area.value = this.edits.get(id) ?? text ?? '';
      area.addEventListener('input', () => {
        if (area.value === (text ?? '')) this.edits.delete(id);
        else this.edits.set(id, area.value);
        area.classList.toggle('edited', this.edits.has(id));
        updatePending();
      });
      area.classList.toggle('edited', this.edits.has(id));
      const problems = this.problemAt(file, key);
      return h('td', { class: problems.length ? 'has-problem' : null, 'data-lang': languageName(locale) }, area, problems.map((p) => h('p', { class: 'ct-problem' }, problemText(p))));
    };
    const draw = () => {
      const texts = this.data.texts[this.ns] ?? {};
      const needle = this.filter.trim().toLowerCase();
      const keys = Object.keys(texts).filter((k) => !needle || k.toLowerCase().includes(needle) || LOCALES.some((l) => (texts[k][l] ?? '').toLowerCase().includes(needle)));
      rows.replaceChildren(...keys.slice(0, SHOWN).map((key) => h('tr', {}, h('th', { scope: 'row', class: 'mono' }, key), LOCALES.map((l) => cell(key, l, texts[key][l])))));
      if (keys.length > SHOWN) rows.append(h('tr', {}, h('td', { colspan: 4, class: 'ct-note' }, t('console.more', { shown: SHOWN, count: keys.length }))));
    };
    draw();
    updatePending();
    return h('div', { class: 'ct-texts' },
      h('div', { class: 'ct-tools' }, select, search, h('span', { class: 'spacer' }), pending, save),
      h('div', { class: 'table-wrap' }, h('table', { class: 'ct-table' },
        h('thead', {}, h('tr', {}, h('th', {}, t('console.key')), LOCALES.map((l) => h('th', {}, languageName(l))))),
        rows)));
  }

  async saveTexts() {
    const changes = [...this.edits].map(([id, text]) => {
      const [file, key] = id.split('\u0000');
      return { file, key, text };
    });
    try {
      await api('PUT', '/desk/api/content/draft/texts', { changes });
      this.edits.clear();
      toast(t('console.saved'));
      await this.load();
      await this.check(false);
      this.show('texts');
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  // Policies and FAQ files: the whole file as JSON.
  filesView() {
    const files = this.data.files;
    this.file ??= files[0];
    const area = h('textarea', { class: 'ct-file', spellcheck: 'false', 'aria-label': this.file });
    const select = h('select', { 'aria-label': t('console.files'), onchange: (e) => { this.file = e.target.value; this.show('files'); } },
      files.map((f) => h('option', { value: f, selected: f === this.file }, f)));
    const save = h('button', { class: 'btn primary', type: 'button', onclick: async () => {
      try {
        await api('PUT', '/desk/api/content/draft/file', { path: this.file, text: area.value });
        toast(t('console.saved'));
        await this.load();
        await this.check(false);
        this.show('files');
      } catch (e) {
        toast(errorText(e), 'error');
      }
    } }, t('console.save'));
    void api('GET', `/desk/api/content/file?path=${encodeURIComponent(this.file)}`).then((r) => { area.value = r.text; }, (e) => toast(errorText(e), 'error'));
    return h('div', { class: 'ct-files' },
      h('div', { class: 'ct-tools' }, select, h('span', { class: 'spacer' }), save),
      h('p', { class: 'ct-note' }, t('console.fileHint')),
      this.problemAt(this.file).map((p) => h('p', { class: 'ct-problem' }, p.key ? `${p.key}: ` : '', problemText(p))),
      area);
  }

  async check(render = true) {
    try {
      const review = await api('GET', '/desk/api/content/review');
      this.problems = review.problems;
      this.changes = review.changes;
    } catch (e) {
      toast(errorText(e), 'error');
    }
    if (render) this.show('review');
  }

  // Review: problems first (each a link to its field), then the changes, then the note and Publish.
  reviewView() {
    const box = h('div', { class: 'ct-review' }, h('p', { class: 'ct-note' }, '…'));
    void this.check(false).then(() => {
      const problems = this.problems;
      const changes = this.changes ?? [];
      const note = h('input', { type: 'text', maxlength: 500, placeholder: t('console.note'), 'aria-label': t('console.note') });
      const publish = h('button', { class: 'btn primary', type: 'button', disabled: problems.length > 0 || changes.length === 0, onclick: () => this.publish(note.value) }, t('console.publish'));
      box.replaceChildren(...present(
        h('h3', {}, problems.length ? t('console.problems', { count: problems.length }) : t('console.problemsNone')),
        problems.length ? h('ul', { class: 'ct-problems' }, problems.map((p) => h('li', {},
          h('button', { class: 'linkish', type: 'button', onclick: () => this.goTo(p) }, `${p.file}${p.key ? ` · ${p.key}` : ''}`),
          h('span', {}, problemText(p))))) : null,
        h('h3', {}, t('console.changes')),
        changes.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'ct-diff' },
          h('thead', {}, h('tr', {}, h('th', {}, t('console.key')), h('th', {}, t('console.before')), h('th', {}, t('console.after')))),
          h('tbody', {}, changes.map((c) => h('tr', {},
            h('th', { scope: 'row', class: 'mono' }, c.file, h('br'), c.key),
            h('td', { class: 'before' }, c.before ?? '—'), h('td', { class: 'after' }, c.after ?? '—')))))) : h('p', { class: 'ct-note' }, t('console.changesNone')),
        h('div', { class: 'ct-publish' }, note, publish)));
    });
    return box;
  }

  goTo(problem) {
    const m = /^locales\/([\w-]+)\/([\w-]+)\.json$/.exec(problem.file);
    if (m) {
      this.ns = m[2];
      this.filter = problem.key ?? '';
      this.show('texts');
    } else {
      this.file = problem.file;
      this.show('files');
    }
  }

  async publish(note) {
    if (note.trim().length < 3) return toast(t('console.noteShort'), 'error');
    try {
      const r = await api('POST', '/desk/api/content/publish', { note: note.trim() });
      toast(t('console.published', { version: r.version.version }));
      this.problems = [];
      await this.load();
      this.show('versions');
    } catch (e) {
      if (e.detail?.problems) this.problems = e.detail.problems;
      toast(errorText(e), 'error');
    }
  }

  async discard() {
    const sure = await modal((close) => h('div', { class: 'dialog' },
      h('h3', {}, t('console.discard')), h('p', {}, t('console.discardConfirm')),
      h('div', { class: 'buttons' },
        h('button', { class: 'btn', type: 'button', onclick: () => close(false) }, t('end.cancel')),
        h('button', { class: 'btn danger', type: 'button', onclick: () => close(true) }, t('console.discard')))));
    if (!sure) return;
    try {
      await api('DELETE', '/desk/api/content/draft');
      this.edits.clear();
      this.problems = [];
      await this.load();
      this.show(this.tab);
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  versionsView() {
    const rows = h('tbody');
    void api('GET', '/desk/api/content/versions').then(({ live, versions, names = {} }) => {
      const row = (v) => h('tr', { class: v.version === live ? 'current' : null },
        h('td', { class: 'mono' }, t('console.version', { version: v.version }), v.version === live ? h('span', { class: 'chip ticket' }, t('console.current')) : null),
        h('td', { class: 'mono' }, v.at ? `${dateOf(v.at)} ${timeOf(v.at)}` : ''),
        h('td', {}, v.by ? (names[v.by] ?? v.by) : ''),
        h('td', { class: 'wrap' }, v.note ?? t('console.version0'), v.restoredFrom !== undefined ? h('small', {}, ` · ${t('console.restoredFrom', { version: v.restoredFrom })}`) : null),
        h('td', { class: 'wrap mono' }, (v.changed ?? []).join(', ')),
        h('td', {}, v.version === live ? null : h('button', { class: 'btn small', type: 'button', onclick: () => this.restore(v.version) }, t('console.restore'))));
      rows.replaceChildren(...versions.map(row), row({ version: 0 }));
    }, (e) => toast(errorText(e), 'error'));
    return h('div', { class: 'table-wrap' }, h('table', { class: 'ct-versions' },
      h('thead', {}, h('tr', {}, ['console.versions', 'console.when', 'console.who', 'console.why', 'console.what', ''].map((k) => h('th', {}, k ? t(k) : '')))),
      rows));
  }

  async restore(version) {
    const note = await modal((close) => {
      const input = h('input', { type: 'text', maxlength: 500, 'aria-label': t('console.restoreNote'), placeholder: t('console.restoreNote') });
      return h('form', { class: 'dialog', onsubmit: (e) => { e.preventDefault(); close(input.value.trim()); } },
        h('h3', {}, t('console.restoreTitle', { version })),
        h('label', { class: 'field' }, h('span', {}, t('console.restoreNote')), input),
        h('div', { class: 'buttons' },
          h('button', { class: 'btn', type: 'button', onclick: () => close(undefined) }, t('end.cancel')),
          h('button', { class: 'btn primary', type: 'submit' }, t('console.restore'))));
    });
    if (note === undefined) return;
    if (note.length < 3) return toast(t('console.noteShort'), 'error');
    try {
      await api('POST', '/desk/api/content/restore', { version, note });
      toast(t('console.restored', { version }));
      await this.load();
      this.show('versions');
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }
}

/** DOM's replaceChildren would write null as text: what is shown only sometimes is left out. */
const present = (...nodes) => nodes.filter((n) => n !== null && n !== undefined);

/** A problem in the supervisor's words; the checker's own words when the kind has none. */
function problemText(p) {
  return t(`console.problem.${p.kind}`, { detail: p.detail ?? '', message: p.message ?? '' });
}

export const canTuneContent = () => page.me?.role === 'supervisor';
