// The reply box: canned replies (in the customer's language), Enter to send (not while an input method is
// composing Chinese), a draft kept per chat, and — when the server refuses a reply for a forbidden service
// phrase — the better wording, with a button that puts it in place of the phrase.
import { api, ApiError, chatPath, errorText } from './api.js';
import { h, t, toast } from './util.js';

/** The phrase as typed, also with spaces or invisible characters between its letters (the server finds those too). */
function phrasePattern(phrase) {
  const escaped = Array.from(phrase, (c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(escaped.join('[\\s\\u200b-\\u200d\\u2060\\ufeff]*'), 'g');
}

export class Composer {
  constructor({ maxChars, onSent }) {
    this.onSent = onSent;
    this.drafts = new Map();
    this.key = null;
    this.canned = [];
    this.box = h('textarea', { rows: 3, maxlength: maxChars, placeholder: t('chat.placeholder'), 'aria-label': t('chat.placeholder') });
    this.box.addEventListener('input', () => {
      this.drafts.set(this.key, this.box.value);
      this.counter.textContent = t('chat.count', { count: this.box.value.length, max: maxChars });
    });
    this.box.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        void this.send();
      }
    });
    this.sendButton = h('button', { class: 'btn primary', type: 'button', onclick: () => this.send() }, t('chat.send'));
    this.cannedButton = h('button', { class: 'btn', type: 'button', 'aria-expanded': 'false', onclick: () => this.toggleCanned() }, t('chat.canned'));
    this.cannedList = h('div', { class: 'canned', role: 'menu', hidden: true });
    this.counter = h('span', { class: 'hint' }, '');
    this.suggest = h('div', { class: 'suggest', role: 'alert', hidden: true });
    this.locked = h('div', { class: 'locked', hidden: true });
    this.editor = h('div', {}, this.suggest, this.box, h('div', { class: 'bar' }, this.cannedButton, this.sendButton, this.counter));
    this.el = h('div', { class: 'composer' }, this.cannedList, this.locked, this.editor);
    document.addEventListener('click', (e) => {
      if (!this.cannedList.hidden && !this.el.contains(e.target)) this.toggleCanned(false);
    });
  }

  /** Shows the box for `key` (its draft back), or a line saying why replying is not possible now. */
  show(key, canned, lockedText) {
    if (key !== this.key) {
      this.key = key;
      this.box.value = this.drafts.get(key) ?? '';
      this.suggest.hidden = true;
      this.box.dispatchEvent(new Event('input'));
    }
    this.canned = canned;
    this.locked.hidden = !lockedText;
    this.locked.textContent = lockedText ?? '';
    this.editor.hidden = Boolean(lockedText);
    if (lockedText) this.toggleCanned(false);
  }

  focus() {
    if (!this.editor.hidden) this.box.focus();
  }

  toggleCanned(open = this.cannedList.hidden) {
    this.cannedList.hidden = !open;
    this.cannedButton.setAttribute('aria-expanded', String(open));
    if (!open) return;
    this.cannedList.replaceChildren(...this.canned.map((c) =>
      h('button', { type: 'button', role: 'menuitem', onclick: () => this.insert(c.text) }, h('b', {}, t(`canned.${c.id}.label`)), h('span', {}, c.text))));
  }

  insert(text) {
    this.box.value += text;
    this.box.dispatchEvent(new Event('input'));
    this.toggleCanned(false);
    this.box.focus();
  }

  async send() {
    const text = this.box.value.trim();
    const key = this.key;
    if (!text || !key || this.sendButton.disabled) return;
    this.sendButton.disabled = true;
    this.sendButton.textContent = t('chat.sending');
    try {
      const { entry } = await api('POST', chatPath(key, 'reply'), { text });
      this.drafts.delete(key);
      if (this.key === key) {
        this.box.value = '';
        this.suggest.hidden = true;
        this.box.dispatchEvent(new Event('input'));
      }
      this.onSent(key, entry);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'FORBIDDEN_PHRASE') this.showSuggestions(e.detail.hits ?? []);
      else toast(errorText(e), 'error');
    } finally {
      this.sendButton.disabled = false;
      this.sendButton.textContent = t('chat.send');
      this.box.focus();
    }
  }

  /** One row per forbidden phrase: the phrase, the better wording, and a button that swaps them in the draft. */
  showSuggestions(hits) {
    this.hits = hits;
    if (hits.length === 0) {
      this.suggest.hidden = true;
      return;
    }
    const rows = hits.map((hit) =>
      h('div', { class: 'better' },
        h('span', { class: 'chip' }, hit.phrase),
        h('span', {}, '→'),
        h('q', {}, hit.suggestion),
        h('button', { class: 'btn small', type: 'button', onclick: () => this.replace(hit) }, t('suggest.replace'))));
    this.suggest.replaceChildren(
      h('p', {}, t('suggest.title', { phrase: hits.map((x) => x.phrase).join('、') })),
      ...rows,
      h('div', { class: 'better' }, h('button', { class: 'btn ghost small', type: 'button', onclick: () => { this.suggest.hidden = true; this.box.focus(); } }, t('suggest.dismiss'))));
    this.suggest.hidden = false;
  }

  replace(hit) {
    const pattern = phrasePattern(hit.phrase);
    this.box.value = pattern.test(this.box.value) ? this.box.value.replace(pattern, hit.suggestion) : `${hit.suggestion}${this.box.value}`;
    this.box.dispatchEvent(new Event('input'));
    this.showSuggestions(this.hits.filter((x) => x !== hit));
    this.box.focus();
  }
}
