// The desk frame: top bar (who is signed in, live status, staff on duty), the queue, the open chat and its
// details, or the audit log for supervisors. Live events refresh the queue (once per burst) and the open chat.
import { api, errorText, whenExpired } from './api.js';
import { renderAlerts } from './alerts.js';
import { renderAudit } from './audit.js';
import { renderCallbacks } from './callbacks.js';
import { ChatPane } from './chat.js';
import { ComplaintsView } from './complaints.js';
import { ContentView } from './content-tuning.js';
import { ReportsView } from './reports.js';
import { renderDeadLetters } from './dead-letters.js';
import { connectLive } from './live.js';
import { renderLogin } from './login.js';
import { Queue } from './queue.js';
import { h, initial, page, t, toast } from './util.js';

export function startDesk(root) {
  const me = page.me;
  let live;
  let openKey = null;
  let refreshTimer;
  let ended = false;

  const signedOut = (code) => {
    if (ended) return;
    ended = true;
    live?.close();
    renderLogin(root, code);
  };
  whenExpired(signedOut);

  const status = h('span', { class: 'status down' }, t('nav.reconnecting'));
  const onDuty = h('span', { class: 'chip', hidden: true });
  const supervisor = me.role === 'supervisor';
  const { features = {} } = page;
  const navButton = (view, shown = true) => (shown ? h('button', { type: 'button', 'data-view': view, onclick: () => show(view) }, t(`nav.${view}`)) : null);
  const nav = {
    chats: navButton('chats'),
    complaints: navButton('complaints', features.complaints),
    alerts: navButton('alerts', features.alerts),
    callbacks: navButton('callbacks', features.callbacks),
    dead: navButton('dead', supervisor && features.deadLetters),
    audit: navButton('audit', supervisor),
    reports: navButton('reports', supervisor),
    content: navButton('content', supervisor),
  };
  nav.chats.setAttribute('aria-current', 'page');
  const topbar = h('header', { class: 'topbar' },
    h('div', { class: 'brand' }, h('img', { src: page.logo, alt: '' }), h('span', {}, t('title')), h('small', {}, page.bank)),
    h('nav', {}, Object.values(nav)),
    h('span', { class: 'spacer' }),
    onDuty,
    status,
    h('div', { class: 'me' },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, initial(me.name)),
      h('span', { class: 'who' }, h('b', {}, me.name), h('small', {}, t(`role.${me.role}`)))),
    h('button', { class: 'btn small', type: 'button', 'data-action': 'logout', onclick: signOut }, t('nav.logout')));

  const queue = new Queue({ me, onOpen: (key) => open(key) });
  const chat = new ChatPane({
    me,
    maxChars: page.replyMaxChars,
    onBack: () => {
      openKey = null;
      frame.classList.remove('chat-open');
      chat.close();
      queue.render(queue.data, null);
    },
    onChanged: (what) => {
      if (what === 'claimed') queue.select('mine');
      void refresh(false);
    },
  });
  const main = h('div', { class: 'main' }, queue.el, chat.el, chat.infoEl);
  const frame = h('div', { class: 'desk', 'data-view': 'chats' }, topbar, main);
  document.body.className = 'view-desk';
  root.replaceChildren(frame);

  // The complaints view is kept (its filters and open complaint survive a visit to the chats); the sheets are
  // built afresh each time they are shown.
  let complaints;
  let contentView;
  let reportsView;
  const openComplaint = (number) => {
    show('complaints');
    complaints.open(number);
  };
  function show(view) {
    for (const [name, button] of Object.entries(nav)) {
      if (name === view) button?.setAttribute('aria-current', 'page');
      else button?.removeAttribute('aria-current');
    }
    frame.dataset.view = view;
    if (view === 'complaints') {
      complaints ??= new ComplaintsView({ me });
      complaints.shown();
      return main.replaceChildren(complaints.el);
    }
    if (view === 'reports') {
      reportsView ??= new ReportsView();
      void reportsView.shown();
      return main.replaceChildren(reportsView.el);
    }
    if (view === 'content') {
      // Kept like the complaints view: unsaved edits survive a look at the queue.
      contentView ??= new ContentView();
      void contentView.shown();
      return main.replaceChildren(contentView.el);
    }
    const sheets = {
      audit: () => renderAudit(),
      alerts: () => renderAlerts({ me, openComplaint }),
      callbacks: () => renderCallbacks({ me, openComplaint }).el,
      dead: () => renderDeadLetters({ openComplaint }).el,
    };
    main.replaceChildren(...(sheets[view] ? [sheets[view]()] : [queue.el, chat.el, chat.infoEl]));
  }

  async function refresh(background = true) {
    try {
      const data = await api('GET', '/desk/api/queue', undefined, { background });
      queue.render(data, openKey);
      onDuty.hidden = false;
      onDuty.textContent = t('nav.onDuty', { count: data.onDuty.length });
      // The tab shows how many customers wait, so a desk in a background tab is still watched.
      document.title = `${data.waiting.length ? `(${data.waiting.length}) ` : ''}${t('title')} · ${page.bank}`;
    } catch (e) {
      if (e.code !== 'SESSION_EXPIRED' && e.code !== 'UNAUTHORIZED') toast(errorText(e), 'error');
    }
  }
  /** A burst of events (a busy queue) costs one refresh. */
  const soon = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh(true), 250);
  };

  function open(key) {
    openKey = key;
    frame.classList.add('chat-open');
    queue.render(queue.data, key);
    void chat.open(key);
  }

  async function signOut() {
    try {
      await api('POST', '/desk/api/logout');
    } catch {
      // Signed out or not, the page goes back to the sign-in card.
    }
    signedOut();
  }

  live = connectLive({
    heartbeatMs: page.heartbeatMs,
    onReady: () => {
      status.className = 'status';
      status.textContent = t('nav.live');
      void refresh(true);
      if (openKey) void chat.reload();
    },
    onDown: () => {
      status.className = 'status down';
      status.textContent = t('nav.reconnecting');
    },
    onEvent: (event) => {
      soon();
      chat.onEvent(event);
    },
    onExpired: () => signedOut('SESSION_EXPIRED'),
  });
  void refresh(false);
  setInterval(() => queue.tick(), 15_000);
}
