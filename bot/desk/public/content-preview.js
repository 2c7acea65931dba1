// "Try it" in the content console: one message, what the FAQ and triage do with it under the live version and
// under the supervisor's draft, side by side.
import { api, errorText } from './api.js';
import { h, languageName, levelName, t, toast } from './util.js';

const LOCALES = ['zh-CN', 'zh-TW', 'en'];

export function previewView(state) {
  const text = h('input', { type: 'text', maxlength: 500, placeholder: t('console.previewText'), 'aria-label': t('console.previewText'), value: state.text ?? '' });
  const locale = h('select', { 'aria-label': t('console.previewText') }, LOCALES.map((l) => h('option', { value: l, selected: l === (state.locale ?? 'zh-CN') }, languageName(l))));
  const results = h('div', { class: 'ct-preview-results' });
  const run = async () => {
    state.text = text.value;
    state.locale = locale.value;
    if (!text.value.trim()) return;
    try {
      const r = await api('POST', '/desk/api/content/preview', { text: text.value, locale: locale.value });
      results.replaceChildren(column(t('console.previewLive'), r.live), column(t('console.previewDraft'), r.draft));
    } catch (e) {
      toast(errorText(e), 'error');
    }
  };
  const form = h('form', { class: 'ct-tools', onsubmit: (e) => { e.preventDefault(); void run(); } },
    text, locale, h('button', { class: 'btn primary', type: 'submit' }, t('console.previewRun')));
  if (state.text) void run();
  return h('div', { class: 'ct-preview' }, h('p', { class: 'ct-note ct-lead' }, t('console.previewLead')), form, results, testChat(state));
}

function column(title, outcome) {
  const box = h('div', { class: 'ct-preview-col' }, h('h3', {}, title));
  if (outcome === null) return box.appendChild(h('p', { class: 'ct-note' }, t('console.previewNoDraft'))) && box;
  if (outcome.invalid) return box.appendChild(h('p', { class: 'ct-problem' }, t('console.previewInvalid', { count: outcome.problems }))) && box;
  const { faq, triage } = outcome;
  box.append(
    h('h4', {}, t('console.faq')),
    faq.kind === 'answer' ? h('div', { class: 'ct-answer' }, h('b', {}, t('console.faqAnswer', { question: faq.question })), h('p', {}, faq.answer))
      : faq.kind === 'choices' ? h('div', {}, h('b', {}, t('console.faqChoices')), h('ul', {}, faq.options.map((o) => h('li', {}, o.question))))
        : h('p', { class: 'ct-note' }, t('console.faqNone')),
    h('h4', {}, t('console.triage')),
    h('p', {}, h('span', { class: `level ${triage.level}` }, levelName(triage.level)), ' ',
      h('b', { class: triage.handoff ? 'handoff' : '' }, triage.handoff ? t('console.handoff') : t('console.noHandoff'))),
    h('div', { class: 'chips' }, triage.reasons.map((r) => h('span', { class: 'chip' }, r.words))));
  return box;
}

/** The test chat: the whole bot under the draft, in a sandbox (POST /desk/api/content/try). */
export function testChat(state) {
  const log = h('div', { class: 'ct-chat-log', role: 'log', 'aria-live': 'polite' });
  const badge = h('span', { class: 'chip' });
  const input = h('input', { type: 'text', maxlength: 2000, placeholder: t('console.chatPlaceholder'), 'aria-label': t('console.chatPlaceholder') });
  const locale = h('select', { 'aria-label': t('console.chat') }, LOCALES.map((l) => h('option', { value: l, selected: l === (state.chatLocale ?? 'zh-CN') }, languageName(l))));
  const bubble = (who, text) => h('div', { class: `ct-msg ${who}` }, text);
  const show = (replies) => {
    log.querySelectorAll('.ct-choices').forEach((el) => el.remove());
    for (const r of replies) {
      if (r.text) log.append(bubble('bot', r.text));
      if (r.choices.length) log.append(h('div', { class: 'ct-choices' }, r.choices.map((c) => h('button', { class: 'btn small', type: 'button', onclick: () => void send(c) }, c))));
    }
    log.scrollTop = log.scrollHeight;
  };
  const post = async (body) => {
    try {
      const r = await api('POST', '/desk/api/content/try', { ...body, locale: locale.value });
      state.chat = r.conversation;
      badge.textContent = r.draft ? t('console.chatWithDraft') : t('console.chatWithLive');
      badge.className = r.draft ? 'chip ticket' : 'chip';
      show(r.replies);
    } catch (e) {
      toast(e.code === 'CONTENT_INVALID' ? t('console.previewInvalid', { count: e.detail?.problems ?? '' }) : errorText(e), 'error');
    }
  };
  const send = async (text) => {
    if (!text.trim()) return;
    log.append(bubble('customer', text));
    input.value = '';
    await post({ conversation: state.chat, text });
  };
  const restart = () => {
    state.chat = undefined;
    state.chatLocale = locale.value;
    log.replaceChildren();
    void post({});
  };
  locale.addEventListener('change', restart);
  const form = h('form', { class: 'ct-chat-input', onsubmit: (e) => { e.preventDefault(); void send(input.value); } },
    input, h('button', { class: 'btn primary', type: 'submit' }, t('console.chatSend')));
  restart();
  return h('div', { class: 'ct-chat' },
    h('div', { class: 'ct-chat-head' }, h('h3', {}, t('console.chat')), badge, h('span', { class: 'spacer' }), locale,
      h('button', { class: 'btn small', type: 'button', onclick: restart }, t('console.chatRestart'))),
    h('p', { class: 'ct-note' }, t('console.chatLead')),
    log, form);
}
