// The sign-in card. After signing in, the page reloads: the server then renders the desk with the session's CSRF token.
import { api, errorText } from './api.js';
import { h, page, t } from './util.js';

export function renderLogin(root, reason) {
  const error = h('p', { class: 'form-error', role: 'alert', hidden: !reason }, reason ? errorText({ code: reason }) : '');
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: 'false', maxlength: 64 });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, maxlength: 256 });
  const submit = h('button', { class: 'btn primary', type: 'submit' }, t('login.submit'));
  const form = h('form', { class: 'login-card', novalidate: true },
    h('div', { class: 'login-brand' }, h('img', { src: page.logo, alt: '' }), page.bank),
    h('h1', {}, t('login.heading')),
    h('p', { class: 'lead' }, t('login.lead')),
    error,
    h('label', { class: 'field' }, h('span', {}, t('login.username')), username),
    h('label', { class: 'field' }, h('span', {}, t('login.password')), password),
    submit,
    h('p', { class: 'hint' }, t('login.hint')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!username.value.trim() || !password.value) return (username.value.trim() ? password : username).focus();
    submit.disabled = true;
    submit.textContent = t('login.busy');
    try {
      await api('POST', '/desk/api/login', { username: username.value.trim(), password: password.value });
      location.replace(`/desk${location.search}`);
    } catch (e) {
      error.textContent = errorText(e);
      error.hidden = false;
      password.value = '';
      password.focus();
      submit.disabled = false;
      submit.textContent = t('login.submit');
    }
  });
  document.title = `${t('title')} · ${page.bank}`;
  document.body.className = 'view-login';
  root.replaceChildren(h('main', { class: 'login' }, form));
  (username.value ? password : username).focus();
}
