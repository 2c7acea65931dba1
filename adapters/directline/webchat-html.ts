/** The HTML of the chat page. Texts come from content (namespace "web"); nothing here is customer wording. */
import type { Translator } from '../../bot/content/i18n';
import type { SupportedLocale } from '../../bot/content/schemas';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** JSON safe to place inside a <script> element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** `nonce` is this response's CSP nonce: the inline style and script carry it, and Web Chat gets it for the styles it injects. */
export function renderChatPage(translator: Translator, locale: SupportedLocale, nonce: string): string {
  const t = (key: string) => translator.t(locale, `web:${key}`);
  const settings = { locale, placeholder: t('placeholder'), connectError: t('connectError') };
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t('title'))}</title>
<style nonce="${nonce}">
  html, body { height: 100%; margin: 0; }
  body { display: flex; flex-direction: column; font-family: -apple-system, "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; background: #f4f6f8; }
  header { padding: 12px 16px; background: #0b5cad; color: #fff; }
  header h1 { margin: 0; font-size: 18px; }
  header p { margin: 4px 0 0; font-size: 13px; opacity: .9; }
  #notice { margin: 0; padding: 6px 16px; font-size: 12px; background: #fff8e1; color: #5d4200; }
  #webchat { flex: 1; min-height: 0; background: #fff; }
  #error { display: none; padding: 16px; color: #8a1c1c; }
</style>
</head>
<body>
<header><h1>${escapeHtml(t('title'))}</h1><p>${escapeHtml(t('subtitle'))}</p></header>
<p id="notice">${escapeHtml(t('privacy'))}</p>
<p id="error" role="alert"></p>
<main id="webchat" role="main"></main>
<script src="/webchat/webchat.js"></script>
<script nonce="${nonce}">
(function () {
  var settings = ${scriptJson({ ...settings, nonce })};
  // Web Chat 4.18 hands the CSP nonce to every style sheet it makes but one (react-scroll-to-bottom's, which then
  // stays empty and the transcript cannot scroll). Style elements created by script get this page's nonce; style
  // in injected markup still gets none, so this is narrower than allowing 'unsafe-inline'.
  ['appendChild', 'insertBefore'].forEach(function (name) {
    var original = Node.prototype[name];
    Node.prototype[name] = function (node) {
      if (node && node.nodeName === 'STYLE' && !node.getAttribute('nonce')) node.setAttribute('nonce', settings.nonce);
      return original.apply(this, arguments);
    };
  });
  var KEY = 'cfd.webchat';
  function showError() {
    var el = document.getElementById('error');
    el.textContent = settings.connectError;
    el.style.display = 'block';
  }
  function saved() {
    try {
      var s = JSON.parse(sessionStorage.getItem(KEY) || 'null');
      return s && s.expiresAt > Date.now() + 60000 ? s : null;
    } catch (e) { return null; }
  }
  function fresh() {
    return fetch('/webchat/token', { method: 'POST' }).then(function (r) {
      if (!r.ok) throw new Error('token ' + r.status);
      return r.json();
    }).then(function (j) {
      var s = { token: j.token, conversationId: j.conversationId, userId: j.userId, expiresAt: Date.now() + j.expires_in * 1000 };
      try { sessionStorage.setItem(KEY, JSON.stringify(s)); } catch (e) {}
      return s;
    });
  }
  var existing = saved();
  (existing ? Promise.resolve(existing) : fresh()).then(function (s) {
    var directLine = window.WebChat.createDirectLine({
      domain: location.origin + '/v3/directline',
      token: s.token,
      conversationId: existing ? s.conversationId : undefined,
      conversationStartProperties: { locale: settings.locale },
      webSocket: true
    });
    window.WebChat.renderWebChat({
      directLine: directLine,
      userID: s.userId,
      locale: settings.locale,
      nonce: settings.nonce,
      styleOptions: { sendBoxTextWrap: true, suggestedActionLayout: 'flow', hideUploadButton: true },
      overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: settings.placeholder }
    }, document.getElementById('webchat'));
    document.querySelector('#webchat > *') && document.querySelector('#webchat').focus();
  }).catch(showError);
})();
</script>
</body>
</html>
`;
}
