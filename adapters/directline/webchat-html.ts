/** The HTML of the chat page. Texts come from content (namespace "web"); nothing here is customer wording. */
import type { Translator } from '../../bot/content/i18n';
import type { Branding, SupportedLocale } from '../../bot/content/schemas';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** JSON safe to place inside a <script> element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** Mixes a hex colour with white: `amount` 0 is the colour, 1 is white (tints for backgrounds). */
function tint(hex: string, amount: number): string {
  const h = hex.length === 4 ? hex.replace(/^#(.)(.)(.)$/, '#$1$1$2$2$3$3') : hex;
  const mix = (i: number) => Math.round(parseInt(h.slice(i, i + 2), 16) * (1 - amount) + 255 * amount).toString(16).padStart(2, '0');
  return `#${mix(1)}${mix(3)}${mix(5)}`;
}

/** The font stack of the page and of Web Chat (Chinese system fonts first, then Debian's WenQuanYi and Noto). */
const FONT = '-apple-system, "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Segoe UI", sans-serif';

/**
 * Web Chat's look, from the bank's branding: the customer's bubbles in the brand colour with white text on the
 * right, the bot's white bubbles with a border and the bank's logo as avatar on the left, buttons outlined in the
 * brand colour. Colours are validated hex (content/policy/branding.json), so they are safe in the page.
 */
function styleOptions(branding: Branding, logo: string, initials: string): Record<string, unknown> {
  const primary = branding.colours.primary;
  return {
    accent: primary,
    primaryFont: FONT,
    backgroundColor: '#f6f7f9',
    paddingRegular: 10,
    bubbleBackground: '#ffffff',
    bubbleTextColor: '#1f2329',
    bubbleBorderColor: '#e1e5ea',
    bubbleBorderStyle: 'solid',
    bubbleBorderWidth: 1,
    bubbleBorderRadius: 12,
    bubbleNubSize: 0,
    bubbleFromUserBackground: primary,
    bubbleFromUserTextColor: '#ffffff',
    bubbleFromUserBorderColor: primary,
    bubbleFromUserBorderWidth: 1,
    bubbleFromUserBorderRadius: 12,
    bubbleFromUserNubSize: 0,
    bubbleMinWidth: 0,
    bubbleMaxWidth: 560,
    botAvatarImage: logo,
    botAvatarBackgroundColor: 'transparent',
    avatarSize: 36,
    avatarBorderRadius: '8px',
    botAvatarInitials: initials,
    showAvatarInGroup: 'status',
    suggestedActionLayout: 'flow',
    suggestedActionBackgroundColor: '#ffffff',
    suggestedActionBorderColor: primary,
    suggestedActionBorderWidth: 1,
    suggestedActionTextColor: primary,
    suggestedActionBorderRadius: 18,
    suggestedActionHeight: 36,
    suggestedActionBackgroundColorOnHover: tint(primary, 0.9),
    sendBoxButtonColor: primary,
    sendBoxTextWrap: true,
    sendBoxBorderTop: '1px solid #e1e5ea',
    hideUploadButton: true,
    timestampColor: '#6b7480',
    cardEmphasisBackgroundColor: tint(primary, 0.9),
    richCardWrapTitle: true,
  };
}

/**
 * `nonce` is this response's CSP nonce: the inline style and script carry it, and Web Chat gets it for the styles
 * it injects. The bank's name, colours and logo come from content (`branding`); the logo is shown only as an
 * image (a data: URL), where SVG runs no script.
 */
export function renderChatPage(translator: Translator, branding: Branding, locale: SupportedLocale, nonce: string): string {
  const t = (key: string) => translator.t(locale, `web:${key}`);
  const logo = `data:image/svg+xml;base64,${Buffer.from(branding.logoSvg).toString('base64')}`;
  const bank = branding.name[locale];
  const { primary, background } = branding.colours;
  const settings = { locale, placeholder: t('placeholder'), connectError: t('connectError'), styleOptions: styleOptions(branding, logo, [...bank][0] ?? '') };
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t('title'))}</title>
<style nonce="${nonce}">
  html, body { height: 100%; margin: 0; }
  body { font-family: ${FONT}; background: ${background}; color: #1f2329; }
  /* One column: the whole screen on a phone, a centred card-like column on a desktop. */
  #app { display: flex; flex-direction: column; height: 100%; max-width: 760px; margin: 0 auto; background: #fff; }
  @media (min-width: 800px) { #app { height: calc(100% - 48px); margin: 24px auto; border-radius: 14px; overflow: hidden; box-shadow: 0 8px 30px rgba(15, 30, 60, .12); } }
  header { display: flex; align-items: center; gap: 12px; padding: 12px 16px; background: ${primary}; color: #fff; }
  header img { width: 40px; height: 40px; border-radius: 10px; background: #fff; flex: none; }
  header h1 { margin: 0; font-size: 17px; font-weight: 600; line-height: 1.3; }
  header p { margin: 2px 0 0; font-size: 13px; opacity: .9; line-height: 1.3; }
  #notice { margin: 0; padding: 7px 16px; font-size: 12px; line-height: 1.4; background: #fff8e1; color: #5d4200; border-bottom: 1px solid #f3e3b0; }
  #webchat { flex: 1; min-height: 0; background: #f6f7f9; }
  #error { display: none; margin: 0; padding: 16px; color: #8a1c1c; }
</style>
</head>
<body>
<div id="app">
<header><img src="${logo}" alt="" width="40" height="40"><div><h1 id="bank">${escapeHtml(bank)}</h1><p>${escapeHtml(t('title'))} · ${escapeHtml(t('subtitle'))}</p></div></header>
<p id="notice">${escapeHtml(t('privacy'))}</p>
<p id="error" role="alert"></p>
<main id="webchat" role="main"></main>
</div>
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
  // A message with an Adaptive Card carries the same words as plain text for channels without cards; here the
  // card shows them, so the text is dropped before Web Chat renders it (otherwise everything would show twice).
  var CARD = 'application/vnd.microsoft.card.adaptive';
  var store = window.WebChat.createStore({}, function () {
    return function (next) {
      return function (action) {
        var a = action.type === 'DIRECT_LINE/INCOMING_ACTIVITY' && action.payload && action.payload.activity;
        if (a && a.text && (a.attachments || []).some(function (x) { return x.contentType === CARD; })) {
          var copy = Object.assign({}, a);
          delete copy.text;
          action = Object.assign({}, action, { payload: Object.assign({}, action.payload, { activity: copy }) });
        }
        return next(action);
      };
    };
  });
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
      store: store,
      userID: s.userId,
      locale: settings.locale,
      nonce: settings.nonce,
      styleOptions: settings.styleOptions,
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
