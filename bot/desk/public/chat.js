// The middle pane (one chat: who, why, what was said, the reply box and the actions) and the details panel.
// Live lines arrive through `onEvent`; the reply the staff member sent is shown at once and not twice.
import { api, chatPath, errorText } from './api.js';
import { Composer } from './composer.js';
import { channelName, confirmDialog, dayTimeOf, h, initial, languageName, levelName, modal, reasonText, t, teamName, timeOf, toast } from './util.js';

export class ChatPane {
  constructor({ me, maxChars, onBack, onChanged }) {
    this.me = me;
    this.onBack = onBack;
    this.onChanged = onChanged;
    this.key = null;
    this.detail = null;
    this.seen = new Set();
    this.head = h('header', { class: 'chat-head', hidden: true });
    this.transcript = h('div', { class: 'transcript', role: 'log', 'aria-live': 'polite' });
    this.composer = new Composer({ maxChars, onSent: (key, entry) => key === this.key && this.append(entry) });
    this.composer.el.hidden = true;
    this.el = h('section', { class: 'pane chat' }, this.head, this.transcript, this.composer.el);
    this.infoEl = h('aside', { class: 'pane info', 'aria-label': t('chat.details') });
    this.close();
  }

  close() {
    this.key = null;
    this.detail = null;
    this.head.hidden = true;
    this.composer.el.hidden = true;
    this.transcript.replaceChildren(h('div', { class: 'placeholder' }, h('b', {}, t('chat.none')), t('chat.noneHint')));
    this.infoEl.replaceChildren();
  }

  async open(key) {
    this.key = key;
    this.seen = new Set();
    this.transcript.replaceChildren();
    await this.reload(false);
    this.composer.focus();
  }

  async reload(background = true) {
    const key = this.key;
    if (!key) return;
    try {
      const detail = await api('GET', chatPath(key), undefined, { background });
      if (key === this.key) this.render(detail);
    } catch (e) {
      if (key !== this.key) return;
      // A chat this agent may no longer see has gone to a colleague (claimed, or transferred away).
      toast(e.code === 'NOT_YOUR_CHAT' ? errorText({ code: 'CHAT_TAKEN' }) : errorText(e), 'error');
      if (e.code === 'CHAT_NOT_FOUND' || e.code === 'NOT_YOUR_CHAT') this.onBack();
    }
  }

  /** A live event from the server: a line of this chat is appended, any other change reloads it. */
  onEvent(event) {
    if (event.key !== this.key) return;
    if (event.type === 'message' && event.entry) this.append(event.entry);
    else void this.reload();
  }

  render(detail) {
    this.detail = detail;
    const { chat } = detail;
    this.names = detail.names;
    this.renderHead(chat);
    this.renderInfo(chat);
    this.transcript.replaceChildren();
    this.seen = new Set();
    for (const entry of detail.transcript) this.append(entry, false);
    if (chat.status === 'ended') this.transcript.append(h('div', { class: 'notice' }, t('chat.ended')));
    this.transcript.scrollTop = this.transcript.scrollHeight;
    const mine = chat.status === 'with_staff' && chat.claimedBy === this.me.username;
    const locked = chat.status === 'waiting' ? t('chat.waitingNote')
      : chat.status === 'ended' ? t('chat.ended')
        : mine ? undefined : t('chat.ownedBy', { name: this.nameOf(chat.claimedBy) });
    this.composer.show(chat.key, detail.canned, locked);
    this.composer.el.hidden = false;
  }

  nameOf(username) {
    return username === this.me.username ? t('chat.you') : (this.names?.[username] ?? username ?? '');
  }

  renderHead(chat) {
    const mine = chat.status === 'with_staff' && chat.claimedBy === this.me.username;
    const supervising = this.me.role === 'supervisor' && chat.status === 'with_staff' && !mine;
    const button = (action, label, onclick, kind = '') => h('button', { class: `btn ${kind}`.trim(), type: 'button', 'data-action': action, onclick }, label);
    // A supervisor may also close a chat that is not theirs: a colleague's (gone home) or one still waiting.
    const closing = [
      button('hand-back', t('chat.handBack'), () => this.end('bot', chat)),
      button('end', t('chat.end'), () => this.end('staff', chat), 'danger'),
    ];
    const actions = chat.status === 'waiting'
      ? [button('claim', t('chat.claim'), () => this.claim(), 'primary'), ...(this.me.role === 'supervisor' ? closing : [])]
      : mine
        ? [button('transfer', t('chat.transfer'), () => this.transfer()), ...closing]
        : supervising ? [button('transfer', t('chat.transfer'), () => this.transfer()), ...closing] : [];
    this.head.replaceChildren(
      h('div', { class: 'title' },
        h('button', { class: 'btn ghost small back', type: 'button', onclick: () => this.onBack() }, `‹ ${t('chat.back')}`),
        h('h2', {}, t('chat.customer', { id: chat.customer })),
        h('span', { class: `level ${chat.level}` }, levelName(chat.level)),
        h('div', { class: 'actions' }, actions)),
      h('div', { class: 'sub' },
        h('span', {}, `${channelName(chat.channelId)} · ${languageName(chat.locale)}`),
        h('span', {}, chat.ticketNumber ? t('chat.ticket', { number: chat.ticketNumber }) : t('chat.noTicket')),
        h('span', { class: 'chips' }, chat.reasons.map((r) => h('span', { class: 'chip' }, reasonText(r))))));
    this.head.hidden = false;
  }

  renderInfo(chat) {
    const row = (label, value) => [h('dt', {}, label), h('dd', {}, value || '—')];
    this.infoEl.replaceChildren(
      h('h3', {}, t('chat.details')),
      h('dl', {},
        row(t('chat.level'), h('span', { class: `level ${chat.level}` }, levelName(chat.level))),
        row(t('chat.channel'), channelName(chat.channelId)),
        row(t('chat.language'), languageName(chat.locale)),
        row(t('chat.team'), chat.team ? teamName(chat.team) : ''),
        row(t('chat.askedAt'), dayTimeOf(chat.askedAt)),
        row(t('chat.claimedBy'), chat.claimedBy ? this.nameOf(chat.claimedBy) : ''),
        row(t('chat.ticket', { number: '' }).trim(), chat.ticketNumber ?? t('chat.noTicket')),
        row(t('chat.reasons'), h('div', { class: 'chips' }, chat.reasons.map((r) => h('span', { class: 'chip' }, reasonText(r)))))));
  }

  /** One line of the transcript, once (a live line and the answer to our own reply can both bring it). */
  append(entry, scroll = true) {
    const id = `${entry.at}|${entry.from}|${entry.text}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    const by = entry.from === 'staff' ? this.nameOf(entry.staffId) : t(`chat.from.${entry.from}`);
    const near = this.transcript.scrollHeight - this.transcript.scrollTop - this.transcript.clientHeight < 80;
    this.transcript.append(h('div', { class: `msg ${entry.from}` },
      h('span', { class: 'by' }, `${by} · ${timeOf(entry.at)}`),
      h('div', { class: 'bubble' }, entry.text)));
    if (scroll && near) this.transcript.scrollTop = this.transcript.scrollHeight;
  }

  async claim() {
    const key = this.key;
    try {
      this.render(await api('POST', chatPath(key, 'claim')));
      this.onChanged('claimed');
      this.composer.focus();
    } catch (e) {
      toast(e.code === 'CHAT_TAKEN' && e.detail.name ? `${errorText(e)}（${e.detail.name}）` : errorText(e), 'error');
      this.onChanged();
      void this.reload();
    }
  }

  async transfer() {
    const key = this.key;
    let colleagues = [];
    try {
      ({ colleagues } = await api('GET', '/desk/api/colleagues'));
    } catch (e) {
      return toast(errorText(e), 'error');
    }
    const to = await modal((close) => h('div', { class: 'dialog' },
      h('h3', {}, t('transfer.title')),
      h('p', {}, colleagues.length ? t('transfer.lead') : t('transfer.none')),
      h('ul', { class: 'people' }, colleagues.map((c) => h('li', {},
        h('button', { type: 'button', 'data-colleague': c.username, onclick: () => close(c) },
          h('span', { class: 'avatar' }, initial(c.name)),
          h('span', { class: 'grow' }, c.name, h('small', {}, [t(`role.${c.role}`), ...c.teams.map(teamName)].join(' · '))),
          h('span', { class: 'chip' }, t('transfer.holding', { count: c.holding })))))),
      h('div', { class: 'buttons' }, h('button', { class: 'btn', type: 'button', onclick: () => close(undefined) }, t('transfer.cancel')))));
    if (!to) return;
    try {
      await api('POST', chatPath(key, 'transfer'), { to: to.username });
      toast(`${t('chat.transfer')} → ${to.name}`);
      this.onChanged('transferred');
      // An agent no longer sees a chat given away; a supervisor keeps watching it.
      if (this.me.role === 'supervisor') void this.reload();
      else this.onBack();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  async end(how, chat) {
    const key = this.key;
    const bot = how === 'bot';
    const notMine = !(chat.status === 'with_staff' && chat.claimedBy === this.me.username);
    const body = [
      notMine ? (chat.claimedBy ? t('end.notMine', { name: this.nameOf(chat.claimedBy) }) : t('end.waiting')) : '',
      t(bot ? 'end.botBody' : 'end.staffBody'),
    ].filter(Boolean).join(' ');
    if (!(await confirmDialog(t(bot ? 'end.botTitle' : 'end.staffTitle'), body, t('end.confirm'), !bot))) return;
    try {
      await api('POST', chatPath(key, 'end'), { how });
      toast(bot ? t('audit.actions.hand_back') : t('audit.actions.end'));
      this.onChanged('ended');
      void this.reload();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }
}
